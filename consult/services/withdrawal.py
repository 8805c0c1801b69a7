"""Withdrawal codes: a respondent who just submitted may take a code, and with it
later delete their response (answers, text features, codes, quotes), retracted
from the tally in the same transaction.

A code is 20 characters of the join codes' alphabet (no look-alikes), about 91.7
bits, shown in groups of four. Only its SHA-256 is stored, on the response: a
random code that long needs no salt or slow hash, since nobody can try enough of
them, and the attempts are rate-limited on top. The response the code is for is
named by the idempotency key of the form just sent, which the controller keeps in
the respondent's session (SESSION_KEY) until a code is taken; kiosks never keep it.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from consult.database import write_transaction
from consult.join_codes import ALPHABET
from consult.services import audit, rate_limits
from consult.services.purge import delete_responses, locked
from surveys.tables import Response

# The session's note of the response this browser just sent (its idempotency key).
SESSION_KEY = "withdrawable"
CODE_LENGTH = 20
GROUP = 4
ENTROPY_BITS = CODE_LENGTH * math.log2(len(ALPHABET))
# Codes tried (on the form and at the confirmation): per address, and from everyone
# together, which stops guessing from many addresses at once. A real code is given
# back, so only wrong ones count.
TRIES_PER_ADDRESS = rate_limits.Limit("withdraw:address", 10, timedelta(minutes=10))
TRIES_EVERYWHERE = rate_limits.Limit("withdraw:all", 300, timedelta(minutes=1))
_EVERYONE = "*"
# A code is offered for a response sent at most this long ago (to the hour).
TAKE_WITHIN = timedelta(hours=1)
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def display(code: str) -> str:
    """ "ACDE-FGHJ-KMNP-QRTU-VWXY": groups of four, to copy and read aloud."""
    return "-".join(code[start : start + GROUP] for start in range(0, len(code), GROUP))


def normalise(typed: str) -> str | None:
    """The code a person meant (case, spaces and dashes do not matter), or None when
    what they typed cannot be one."""
    cleaned = _SEPARATORS.sub("", typed.strip()).upper()
    if len(cleaned) != CODE_LENGTH or any(char not in ALPHABET for char in cleaned):
        return None
    return cleaned


def code_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


async def issue(idempotency_key: str, now: datetime | None = None) -> str | None:
    """A new code for the response sent with this key (a code taken before stops
    working), or None when that response is no longer stored or was sent more than
    TAKE_WITHIN ago: a phone passed on later must not let the next person take one."""
    code = new_code()
    # submitted_at is rounded down to the hour: compare with the hour's start.
    since = (now or datetime.now(UTC)).replace(minute=0, second=0, microsecond=0) - TAKE_WITHIN
    async with write_transaction():
        rows = (
            await Response.update({Response.withdrawal_hash: code_hash(code)})
            .where((Response.idempotency_key == idempotency_key) & (Response.submitted_at >= since))
            .returning(Response.id)
        )
    return code if rows else None


@dataclass(frozen=True)
class Withdrawable:
    """What the confirmation page says of the response a code opens: no answers."""

    consultation_title: str
    submitted_at: datetime


async def find(code: str) -> Withdrawable | None:
    row = (
        await Response.select(
            Response.survey.consultation.title.as_alias("title"), Response.submitted_at
        )
        .where(Response.withdrawal_hash == code_hash(code))
        .first()
    )
    return Withdrawable(row["title"], row["submitted_at"]) if row else None


async def withdraw(code: str) -> bool:
    """Delete the response this code opens, retracted from the tally, in one
    transaction; False when there is none (a wrong code, or already deleted).
    Audited by survey, never by response: the trail says a response went, not which."""
    async with write_transaction():
        rows = await locked(
            Response.select(Response.survey).where(Response.withdrawal_hash == code_hash(code))
        )
        if not rows:
            return False
        await delete_responses(Response.withdrawal_hash == code_hash(code))
        await audit.add(None, "withdraw_response", "survey", rows[0]["survey"])
    return True


async def count_try(address: str) -> int | None:
    """Count one code tried from `address`; seconds to wait when over a limit."""
    mine = await rate_limits.hit(TRIES_PER_ADDRESS, address)
    if not mine.allowed:
        return mine.retry_after()
    everyone = await rate_limits.hit(TRIES_EVERYWHERE, _EVERYONE)
    if not everyone.allowed:
        return everyone.retry_after()
    return None


async def give_back_try(address: str) -> None:
    """The code was a real one: it does not count as a guess."""
    await rate_limits.give_back(TRIES_PER_ADDRESS, address)
    await rate_limits.give_back(TRIES_EVERYWHERE, _EVERYONE)


__all__ = [
    "CODE_LENGTH",
    "ENTROPY_BITS",
    "SESSION_KEY",
    "Withdrawable",
    "count_try",
    "display",
    "find",
    "give_back_try",
    "issue",
    "new_code",
    "normalise",
    "withdraw",
]
