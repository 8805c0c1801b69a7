"""The optional second factor for admins and planners: time-based one-time codes
(TOTP, RFC 6238: HMAC-SHA-1, 30-second steps, 6 digits), as every authenticator
app makes them, written with the standard library.

The secret is stored encrypted (Fernet, under a key derived from the secret key),
so a copy of the database alone does not give anyone codes. A code is accepted for
the step before and after the current one (a phone's clock is rarely exact), and
only for a step later than the last one used (Staff.totp_last_step), so a code
seen over someone's shoulder cannot be used again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

from cryptography.fernet import Fernet, InvalidToken

from consult.database import write_transaction
from consult.services import audit
from consult.settings import get_settings
from consult.tables import Staff
from consult.text_input import is_ascii_number

STEP_SECONDS = 30
DIGITS = 6
# Steps either side of now that still count (RFC 6238 section 5.2's advice).
DRIFT_STEPS = 1
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends for HMAC-SHA-1
ISSUER = "consult"


def new_secret() -> str:
    """A new random secret, as the base32 text a person types into their app."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _secret_bytes(secret: str) -> bytes:
    return base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))


def step_at(moment: float) -> int:
    """The time step (T in RFC 6238) of a Unix time."""
    return int(moment // STEP_SECONDS)


def code_at(key: bytes, step: int, digits: int = DIGITS) -> str:
    """The code for time step `step` (RFC 4226's HOTP with the step as counter)."""
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def _now() -> float:
    return time.time()


def matching_step(secret: str, typed: str, moment: float | None = None) -> int | None:
    """The step whose code `typed` is, within DRIFT_STEPS of now; None if none is."""
    code = "".join(typed.split())
    if len(code) != DIGITS or not is_ascii_number(code):
        return None
    key = _secret_bytes(secret)
    now = step_at(_now() if moment is None else moment)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(key, step), code):
            return step
    return None


def otpauth_uri(secret: str, username: str) -> str:
    """The otpauth:// address an authenticator app reads from a QR code."""
    label = quote(f"{ISSUER}:{username}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def _fernet() -> Fernet:
    key = hashlib.sha256(f"totp:{get_settings().secret_key}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _seal(secret: str) -> str:
    return _fernet().encrypt(secret.encode()).decode("ascii")


def _open(sealed: str) -> str | None:
    try:
        return _fernet().decrypt(sealed.encode()).decode("ascii")
    except (InvalidToken, ValueError):  # a changed secret key: the factor is lost
        return None


async def _stored(user_id: int) -> tuple[str, int] | None:
    row = (
        await Staff.select(Staff.totp_secret, Staff.totp_last_step)
        .where(Staff.user == user_id)
        .first()
    )
    if row is None or not row["totp_secret"]:
        return None
    return row["totp_secret"], int(row["totp_last_step"])


async def is_on(user_id: int) -> bool:
    """Does this user sign in with a code as well as a password?"""
    return await _stored(user_id) is not None


async def use_code(user_id: int, typed: str) -> bool:
    """Is `typed` a current code of this user's that was not used before? A code
    that is accepted is used up (one atomic update, so two requests racing with the
    same code cannot both pass)."""
    stored = await _stored(user_id)
    secret = _open(stored[0]) if stored else None
    step = matching_step(secret, typed) if secret else None
    if step is None:
        return False
    async with write_transaction():
        used = (
            await Staff.update({Staff.totp_last_step: step})
            .where((Staff.user == user_id) & (Staff.totp_last_step < step))
            .returning(Staff.id)
        )
    return bool(used)


async def turn_on(user_id: int, secret: str, typed: str) -> bool:
    """Turn the second factor on with `secret`, if `typed` is its current code (so
    the person's app is known to make the right codes); audited."""
    step = matching_step(secret, typed)
    if step is None:
        return False
    async with write_transaction():
        await Staff.update({Staff.totp_secret: _seal(secret), Staff.totp_last_step: step}).where(
            Staff.user == user_id
        )
    await audit.record(user_id, "totp_on", "user", user_id)
    return True


async def turn_off(user_id: int, typed: str) -> bool:
    """Turn the second factor off, if `typed` is a current, unused code; audited."""
    if not await use_code(user_id, typed):
        return False
    async with write_transaction():
        await Staff.update({Staff.totp_secret: "", Staff.totp_last_step: 0}).where(
            Staff.user == user_id
        )
    await audit.record(user_id, "totp_off", "user", user_id)
    return True


__all__ = [
    "DIGITS",
    "STEP_SECONDS",
    "code_at",
    "is_on",
    "matching_step",
    "new_secret",
    "otpauth_uri",
    "step_at",
    "turn_off",
    "turn_on",
    "use_code",
]
