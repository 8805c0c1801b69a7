"""Invitations for an organisation's staff: a one-time link, valid for a week, with
which they choose a username and password and become the organisation's facilitator.

The link's secret has 256 random bits and is shown once, to the planner who made
it; the database keeps only its SHA-256 (as for API tokens, a plain hash is enough
against guessing such a secret). Accepting marks the invitation used and creates the
user in one transaction, so two people racing with the same link get one account.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from piccolo.apps.user.tables import BaseUser

from consult.database import write_transaction
from consult.i18n import N_
from consult.services import audit, passwords
from consult.tables import Organisation, Role, Staff, StaffInvite

VALID_FOR = timedelta(days=7)
# The policy for passwords people choose themselves (consult/services/passwords.py).
PASSWORD_MIN = passwords.MIN_LENGTH
PASSWORD_MAX = passwords.MAX_LENGTH
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$")
SECRET_MAX = 100

MESSAGES = {
    "username": N_(
        "Enter a username of 3 to 40 letters, digits, dots, hyphens or underscores, "
        "starting with a letter or digit."
    ),
    "username_taken": N_("That username is taken. Choose another."),
    **{f"password_{reason}": message for reason, message in passwords.MESSAGES.items()},
    "confirm": N_("Enter the same password twice."),
}


class InviteState(enum.StrEnum):
    valid = "valid"
    used = "used"
    expired = "expired"
    unknown = "unknown"


@dataclass(frozen=True)
class InviteView:
    id: int
    organisation_id: int
    organisation_name: str
    expires_at: datetime
    state: InviteState


class InviteClosed(Exception):
    """The invitation cannot be accepted (state says why)."""

    def __init__(self, state: InviteState) -> None:
        super().__init__(state.value)
        self.state = state


class AcceptRefused(ValueError):
    """What the person typed cannot be used: field -> message key."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back what was stored; a naive time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


async def create_invite(organisation_id: int, created_by: int | None) -> str:
    """Make an invitation to `organisation_id` and return its secret, the only time
    it is known; audited."""
    secret = secrets.token_urlsafe(32)
    now = _now()
    async with write_transaction():
        rows = await StaffInvite.insert(
            StaffInvite(
                organisation=organisation_id,
                token_hash=hash_secret(secret),
                created_by=created_by,
                created_at=now,
                expires_at=now + VALID_FOR,
            )
        )
    await audit.record(
        created_by,
        "create_invite",
        "staff_invite",
        int(rows[0]["id"]),
        f"organisation {organisation_id}",
    )
    return secret


def _state(row: dict, now: datetime) -> InviteState:
    if row["used_at"] is not None:
        return InviteState.used
    if _aware(row["expires_at"]) <= now:
        return InviteState.expired
    return InviteState.valid


async def find(secret: str) -> InviteView | None:
    """The invitation with this secret (in whatever state), None when there is none."""
    if not secret or len(secret) > SECRET_MAX:
        return None
    row = (
        await StaffInvite.select(
            StaffInvite.id,
            StaffInvite.organisation,
            StaffInvite.organisation.name.as_alias("organisation_name"),
            StaffInvite.expires_at,
            StaffInvite.used_at,
        )
        .where(StaffInvite.token_hash == hash_secret(secret))
        .first()
    )
    if row is None:
        return None
    return InviteView(
        id=row["id"],
        organisation_id=row["organisation"],
        organisation_name=row["organisation_name"],
        expires_at=_aware(row["expires_at"]),
        state=_state(row, _now()),
    )


def check_choice(username: str, password: str, confirm: str) -> dict[str, str]:
    """What is wrong with a chosen username and password (field -> message key)."""
    errors: dict[str, str] = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = "username"
    refused = passwords.problem(password, username)
    if refused is not None:
        errors["password"] = f"password_{refused}"
    elif password != confirm:
        errors["confirm"] = "confirm"
    return errors


async def accept(secret: str, username: str, password: str, confirm: str) -> int:
    """Create the invited facilitator, bound to the invitation's organisation, and
    use the invitation up; return the new user's id.

    Raises InviteClosed (unknown, used or expired) or AcceptRefused (the choice)."""
    invite = await find(secret)
    if invite is None:
        raise InviteClosed(InviteState.unknown)
    if invite.state is not InviteState.valid:
        raise InviteClosed(invite.state)
    errors = check_choice(username, password, confirm)
    if errors:
        raise AcceptRefused(errors)
    # PBKDF2 takes a while: hashed before the write transaction, off the event loop.
    hashed = await asyncio.to_thread(BaseUser.hash_password, password)
    async with write_transaction():
        # Usernames are ASCII (USERNAME_PATTERN), so LOWER() is the same on both engines.
        taken = await BaseUser.raw(
            "SELECT id FROM piccolo_user WHERE LOWER(username) = LOWER({})", username
        )
        if taken:
            raise AcceptRefused({"username": "username_taken"})
        # Used up only if nobody used it meanwhile: the condition is the lock.
        used = (
            await StaffInvite.update({StaffInvite.used_at: _now()}, use_auto_update=False)
            .where(
                (StaffInvite.id == invite.id)
                & StaffInvite.used_at.is_null()
                & (StaffInvite.expires_at > _now())
            )
            .returning(StaffInvite.id)
        )
        if not used:
            raise InviteClosed(InviteState.used)
        user = await BaseUser.insert(
            BaseUser(
                username=username,
                password=hashed,
                # As consult.services.staff.create_user: a unique placeholder, never asked.
                email=f"{username}@staff.consult.invalid",
                active=True,
            )
        )
        user_id = int(user[0]["id"])
        await Staff.insert(
            Staff(user=user_id, role=Role.facilitator.value, organisation=invite.organisation_id)
        )
    await audit.record(user_id, "accept_invite", "staff_invite", invite.id, username)
    return user_id


async def organisation_name(organisation_id: int) -> str | None:
    row = (
        await Organisation.select(Organisation.name)
        .where(Organisation.id == organisation_id)
        .first()
    )
    return row["name"] if row else None
