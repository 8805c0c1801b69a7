"""API tokens for a city's BI tools: made, listed, revoked and checked.

A token's secret is shown once, when it is made; the database keeps only its
SHA-256. A secret has 256 random bits, so a plain hash is enough (no salt or slow
hash is needed against guessing), and looking a token up by its hash compares
nothing an attacker can time: the secret itself never meets a comparison.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from consult.database import write_transaction
from consult.services import audit
from consult.services.reach import Reach
from consult.tables import ApiToken

PREFIX = "consult_"
NAME_MAX = 120


class TokenNameInvalid(ValueError):
    """A token's name must have 1 to NAME_MAX characters."""


@dataclass(frozen=True)
class TokenView:
    """A token as the admin's list shows it (never its secret or hash)."""

    id: int
    name: str
    created_at: datetime
    created_by: str | None  # the username, None when unknown or removed
    revoked_at: datetime | None
    city: str = ""  # the city whose consultations it reads ("": every city)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def hash_secret(secret: str) -> str:
    """The SHA-256 of a token's secret, as stored (64 hex digits)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def clean_name(name: str) -> str:
    """The name as stored (trimmed); raises TokenNameInvalid when empty or too long."""
    name = " ".join(name.split())
    if not name or len(name) > NAME_MAX:
        raise TokenNameInvalid(name[:40])
    return name


@dataclass(frozen=True)
class LiveToken:
    """A token that may be used now, and the city it reads ("": every city)."""

    id: int
    city: str

    @property
    def reach(self) -> Reach:
        return Reach(every_city=not self.city, city=self.city)


async def create_token(name: str, created_by: int | None, city: str = "") -> str:
    """Make a token called `name` (by staff user `created_by`, None from the command
    line) reading the consultations of `city` ("": every city, an admin's), and
    return its secret, the only time it is known; audited."""
    name = clean_name(name)
    secret = PREFIX + secrets.token_urlsafe(32)
    async with write_transaction():
        rows = await ApiToken.insert(
            ApiToken(
                name=name,
                token_hash=hash_secret(secret),
                created_by=created_by,
                created_at=datetime.now(UTC),
                city=city,
            )
        )
    await audit.record(created_by, "create_api_token", "api_token", int(rows[0]["id"]), name)
    return secret


async def list_tokens(reach: Reach | None = None) -> tuple[TokenView, ...]:
    """The tokens of the cities `reach` covers (every token without one), the newest
    first, with who made it. An admin's tokens, reading every city, are an admin's."""
    if reach is not None and reach.nothing:
        return ()
    query = ApiToken.select(
        ApiToken.id,
        ApiToken.name,
        ApiToken.created_at,
        ApiToken.created_by.username.as_alias("creator"),
        ApiToken.revoked_at,
        ApiToken.city,
    ).order_by(ApiToken.id, ascending=False)
    rows = await (reach.narrow(query, ApiToken.city) if reach else query)
    return tuple(
        TokenView(
            id=row["id"],
            name=row["name"],
            created_at=row["created_at"],
            created_by=row["creator"],
            revoked_at=row["revoked_at"],
            city=row["city"],
        )
        for row in rows
    )


async def revoke(token_id: int, revoked_by: int | None) -> bool:
    """Stop a token working at once; False when there is no such token. Revoking a
    revoked token keeps its first revocation time. Audited."""
    async with write_transaction():
        row = await ApiToken.select(ApiToken.revoked_at).where(ApiToken.id == token_id).first()
        if row is None:
            return False
        if row["revoked_at"] is None:
            await ApiToken.update({ApiToken.revoked_at: datetime.now(UTC)}).where(
                ApiToken.id == token_id
            )
    await audit.record(revoked_by, "revoke_api_token", "api_token", token_id)
    return True


async def token_for_secret(secret: str) -> int | None:
    """The id of the live (not revoked) token with this secret, else None."""
    token = await live_token(secret)
    return token.id if token else None


async def live_token(secret: str) -> LiveToken | None:
    """The live (not revoked) token with this secret, with its city, else None."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    digest = hash_secret(secret)
    row = (
        await ApiToken.select(ApiToken.id, ApiToken.token_hash, ApiToken.city)
        .where((ApiToken.token_hash == digest) & ApiToken.revoked_at.is_null())
        .first()
    )
    # The index found the row; comparing the digests again in constant time costs
    # nothing and does not rest on how the database compares strings.
    if row is None or not hmac.compare_digest(row["token_hash"], digest):
        return None
    return LiveToken(id=int(row["id"]), city=row["city"])
