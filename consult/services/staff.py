"""Staff accounts: signing in (throttled), roles, creating users, ending sessions.

Sign-in attempts are counted per account (the username typed) and per client
address (hashed by consult/services/rate_limits.py, never kept): 10 and 30 per 15
minutes. An attempt is counted before the password is looked at and given back
when it was right, so over the limit even the right password waits: guessing from
one address, or at one account from many, gains nothing. The second factor's codes
are counted per account in the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from piccolo.apps.user.tables import BaseUser

from consult.database import write_transaction
from consult.services import audit, passwords, rate_limits, totp
from consult.tables import Role, Staff

ACCOUNT_TRIES = rate_limits.Limit("sign-in:account", 10, timedelta(minutes=15))
ADDRESS_TRIES = rate_limits.Limit("sign-in:address", 30, timedelta(minutes=15))
CODE_TRIES = rate_limits.Limit("sign-in-code:account", 10, timedelta(minutes=15))


@dataclass(frozen=True)
class StaffMember:
    """Who is signed in, and what they may do."""

    user_id: int
    username: str
    role: Role
    organisation_id: int | None
    # A planner's city ("" for an admin, who sees every city).
    city: str = ""
    # The generation a session must name to be this member's (Staff.session_generation).
    session_generation: int = 0


class WeakPassword(ValueError):
    """The password policy refuses the password (reason: a key of passwords.MESSAGES)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class SignInCheck:
    """A password or code tried: whose it proved (None: wrong), or too many tries."""

    user_id: int | None = None
    retry_after: int | None = None


async def authenticate(username: str, password: str) -> int | None:
    """The user id for a correct username and password, else None."""
    return await BaseUser.login(username=username, password=password)


async def member(user_id: int) -> StaffMember | None:
    row = (
        await Staff.select(
            Staff.user.id,
            Staff.user.username,
            Staff.user.active,
            Staff.role,
            Staff.organisation,
            Staff.city,
            Staff.session_generation,
        )
        .where(Staff.user == user_id)
        .first()
    )
    if row is None or not row["user.active"]:
        return None
    return StaffMember(
        user_id=row["user.id"],
        username=row["user.username"],
        role=Role(row["role"]),
        organisation_id=row["organisation"],
        city=row["city"],
        session_generation=row["session_generation"],
    )


async def _counted(limits: tuple[tuple[rate_limits.Limit, str], ...]) -> int | None:
    """Count one attempt against each limit; seconds to wait when any is exceeded."""
    refused = [
        count.retry_after()
        for count in [await rate_limits.hit(limit, subject) for limit, subject in limits]
        if not count.allowed
    ]
    return max(refused) if refused else None


async def _give_back(limits: tuple[tuple[rate_limits.Limit, str], ...]) -> None:
    for limit, subject in limits:
        await rate_limits.give_back(limit, subject)


async def check_sign_in(username: str, password: str, address: str) -> SignInCheck:
    """Check a username and password typed from `address`, counting the attempt."""
    limits = ((ACCOUNT_TRIES, username.casefold()), (ADDRESS_TRIES, address))
    retry_after = await _counted(limits)
    if retry_after is not None:
        return SignInCheck(retry_after=retry_after)
    user_id = await authenticate(username, password) if username and password else None
    if user_id is not None:
        await _give_back(limits)
    return SignInCheck(user_id=user_id)


async def check_code(user_id: int, code: str, address: str) -> SignInCheck:
    """Check the second factor's code typed from `address`, counting the attempt."""
    limits = ((CODE_TRIES, str(user_id)), (ADDRESS_TRIES, address))
    retry_after = await _counted(limits)
    if retry_after is not None:
        return SignInCheck(retry_after=retry_after)
    if not await totp.use_code(user_id, code):
        return SignInCheck()
    await _give_back(limits)
    return SignInCheck(user_id=user_id)


async def session_generation(user_id: int) -> int:
    """The generation a new session of this user is issued under."""
    row = await Staff.select(Staff.session_generation).where(Staff.user == user_id).first()
    return int(row["session_generation"]) if row else 0


async def end_sessions(user_id: int) -> None:
    """Sign this user out everywhere: every session issued so far stops working."""
    async with write_transaction():
        await Staff.update({Staff.session_generation: Staff.session_generation + 1}).where(
            Staff.user == user_id
        )


async def create_user(
    username: str,
    password: str,
    role: Role,
    organisation_id: int | None = None,
    city: str = "",
) -> int:
    """Create a staff user, or give an existing one a new password and role.

    An existing user's sessions all end, and a second factor they had is turned off:
    an operator resetting a password is how someone who lost their phone gets back
    in. Raises WeakPassword when the password policy refuses the password.
    """
    reason = passwords.problem(password, username)
    if reason is not None:
        raise WeakPassword(reason)
    existing = await BaseUser.objects().where(BaseUser.username == username).first()
    if existing is None:
        # Piccolo's user table wants a unique email; staff sign in by username, so a
        # reserved-domain placeholder keeps the column unique without asking for one.
        user = await BaseUser.create_user(
            username=username,
            password=password,
            email=f"{username}@staff.consult.invalid",
            active=True,
        )
    else:
        user = existing
        await BaseUser.update_password(user=user.id, password=password)
    async with write_transaction():
        # Updated in place, so the generation only ever grows: a cookie issued
        # before can never name the current one again.
        changed = (
            await Staff.update(
                {
                    Staff.role: role.value,
                    Staff.organisation: organisation_id,
                    Staff.city: city,
                    Staff.session_generation: Staff.session_generation + 1,
                    Staff.totp_secret: "",
                    Staff.totp_last_step: 0,
                }
            )
            .where(Staff.user == user.id)
            .returning(Staff.id)
        )
        if not changed:
            await Staff.insert(
                Staff(user=user.id, role=role.value, organisation=organisation_id, city=city)
            )
    await audit.record(None, "set_role", "user", user.id, f"{username}: {role.value} {city}")
    return user.id
