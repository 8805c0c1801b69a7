"""What the durability tests check afterwards, read straight from the database with
a connection of their own (the app's may have been cut off on purpose)."""

from __future__ import annotations

import asyncio
import sqlite3

from tests.conftest import ENGINE, POSTGRES_URL

ANSWERS_PER_FORM = 3


def stored(keys: list[str]) -> dict[str, int]:
    """Per idempotency key: how many answer rows its stored response holds (a key
    not stored is missing; a response is stored at most once, by the UNIQUE key)."""
    query = (
        "SELECT r.idempotency_key AS key, COUNT(a.id) AS answers FROM response r"
        " LEFT JOIN answer a ON a.response = r.id"
        " WHERE r.idempotency_key = ANY($1) GROUP BY r.idempotency_key"
    )
    if ENGINE == "postgres":
        return asyncio.run(_postgres(query, keys))
    from piccolo.engine import engine_finder

    connection = sqlite3.connect(engine_finder().path)
    try:
        found: dict[str, int] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = connection.execute(query.replace("= ANY($1)", f"IN ({marks})"), chunk).fetchall()
            found.update(dict(rows))
        return found
    finally:
        connection.close()


async def _postgres(query: str, keys: list[str]) -> dict[str, int]:
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        return {row["key"]: row["answers"] for row in await connection.fetch(query, keys)}
    finally:
        await connection.close()


def not_stored_whole(keys: list[str]) -> list[str]:
    """The acknowledged keys whose response is missing or not whole."""
    found = stored(keys)
    return [key for key in keys if found.get(key) != ANSWERS_PER_FORM]
