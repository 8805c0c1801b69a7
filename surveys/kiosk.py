"""Joining a hosted session and the shared tablet (kiosk): the rules, no HTTP.

- Which channel a response records for a session joined by its code: the mode's
  own (own phones: web, with a helper: assisted). A kiosk session's or a paper
  session's code typed on someone's own phone is that: web, with the session
  (kiosk is only a browser a facilitator made a kiosk; paper forms are entered by
  staff elsewhere, and a person who scans the poster of a paper session and
  answers on their phone is still counted for the session).
- How many codes may be tried: 10 wrong ones per client address per 10 minutes,
  and 300 wrong ones a minute from everyone together, which stops guessing from
  many addresses at once. An attempt is counted before the code is looked at and
  given back when it was a real code, so a locked-out address waits even with a
  correct code: that is what makes guessing pointless.
- Leaving kiosk mode takes the facilitator's password: 5 wrong ones per kiosk
  user per 10 minutes.
- The kiosk's timings (idle warning, time to answer it, the thank-you page), from
  the settings (CONSULT_KIOSK_*_SECONDS), so that tests can shorten them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from piccolo.apps.user.tables import BaseUser

from consult.database import write_transaction
from consult.services import rate_limits
from consult.services.staff import authenticate
from consult.settings import get_settings
from consult.tables import SessionMode
from surveys import drafts
from surveys.tables import Channel

CLEAR_PATH = "/kiosk/clear"
EXIT_PATH = "/kiosk/exit"

CODE_TRIES_PER_ADDRESS = rate_limits.Limit("join-code:address", 10, timedelta(minutes=10))
CODE_TRIES_EVERYWHERE = rate_limits.Limit("join-code:all", 300, timedelta(minutes=1))
EXIT_TRIES = rate_limits.Limit("kiosk-exit:user", 5, timedelta(minutes=10))
_EVERYONE = "*"

_CHANNELS = {
    SessionMode.own_phones.value: Channel.web,
    SessionMode.assisted.value: Channel.assisted,
    SessionMode.kiosk.value: Channel.web,
    SessionMode.paper.value: Channel.web,
}


def joined_channel(mode: str) -> Channel:
    """The channel of a response from someone who joined a session of `mode` by code."""
    return _CHANNELS.get(mode, Channel.web)


@dataclass(frozen=True)
class Timings:
    """Seconds: without input before the warning, from the warning to clearing, and
    on the thank-you page before the next person's start."""

    idle: int
    warning: int
    thanks: int


def timings() -> Timings:
    """The kiosk's timings, from the settings (CONSULT_KIOSK_*_SECONDS)."""
    settings = get_settings()
    return Timings(
        idle=settings.kiosk_idle_seconds,
        warning=settings.kiosk_warning_seconds,
        thanks=settings.kiosk_thanks_seconds,
    )


@dataclass(frozen=True)
class Throttled:
    """Too many attempts: try again after this many seconds."""

    retry_after: int


async def count_code_try(address: str) -> Throttled | None:
    """Count one code typed from `address`; Throttled when over either limit."""
    mine = await rate_limits.hit(CODE_TRIES_PER_ADDRESS, address)
    if not mine.allowed:
        return Throttled(mine.retry_after())
    everyone = await rate_limits.hit(CODE_TRIES_EVERYWHERE, _EVERYONE)
    if everyone.hits == 1:
        # A new minute for everyone: a moment to drop counters nobody needs.
        await rate_limits.forget_old()
    if not everyone.allowed:
        return Throttled(everyone.retry_after())
    return None


async def give_back_code_try(address: str) -> None:
    """The code was a real one: it does not count as a guess."""
    await rate_limits.give_back(CODE_TRIES_PER_ADDRESS, address)
    await rate_limits.give_back(CODE_TRIES_EVERYWHERE, _EVERYONE)


@dataclass(frozen=True)
class ExitCheck:
    """The password typed to leave kiosk mode: right, wrong, or too many tries."""

    ok: bool
    retry_after: int | None = None


async def check_exit_password(user_id: int, password: str) -> ExitCheck:
    """Is `password` the password of the facilitator who started this kiosk?"""
    subject = str(user_id)
    counted = await rate_limits.current(EXIT_TRIES, subject)
    if counted.hits >= counted.limit:
        return ExitCheck(ok=False, retry_after=counted.retry_after())
    row = await BaseUser.select(BaseUser.username).where(BaseUser.id == user_id).first()
    if row is not None and password and await authenticate(row["username"], password) == user_id:
        return ExitCheck(ok=True)
    after = await rate_limits.hit(EXIT_TRIES, subject)
    return ExitCheck(ok=False, retry_after=None if after.allowed else after.retry_after())


async def discard_drafts(codes: list[str]) -> None:
    """Delete the drafts a kiosk's current person left (nothing of theirs stays)."""
    if codes:
        async with write_transaction():
            await drafts.delete_drafts(codes)


__all__ = [
    "CLEAR_PATH",
    "CODE_TRIES_EVERYWHERE",
    "CODE_TRIES_PER_ADDRESS",
    "EXIT_PATH",
    "EXIT_TRIES",
    "ExitCheck",
    "Throttled",
    "Timings",
    "check_exit_password",
    "count_code_try",
    "discard_drafts",
    "give_back_code_try",
    "joined_channel",
    "timings",
]
