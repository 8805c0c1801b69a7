"""The benchmark's own look at a site's database, SQLite or PostgreSQL alike.

SQL is written with `?` placeholders (sqlite3's); for PostgreSQL they become
$1, $2 ... (asyncpg's). PostgreSQL databases are made per run and dropped after.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import asyncpg

# The server and the database to connect to for creating and dropping others.
POSTGRES_ENV = "BENCH_POSTGRES_URL"
POSTGRES_DEFAULT = "postgres://postgres@127.0.0.1:5432/postgres"
_PLACEHOLDER = re.compile(r"\?")


def postgres_admin_url() -> str:
    return os.environ.get(POSTGRES_ENV, POSTGRES_DEFAULT)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite:")


def sqlite_path(url: str) -> str:
    return url.split(":///", 1)[1]


def _numbered(sql: str) -> str:
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


async def _pg_rows(url: str, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    connection = await asyncpg.connect(url)
    try:
        return [tuple(row) for row in await connection.fetch(_numbered(sql), *params)]
    finally:
        await connection.close()


def rows(url: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """The rows of one query against the site's database."""
    if is_sqlite(url):
        import sqlite3

        with sqlite3.connect(sqlite_path(url)) as db:
            return [tuple(row) for row in db.execute(sql, params)]
    return asyncio.run(_pg_rows(url, sql, params))


def _with_database(url: str, name: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{name}"


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(postgres_admin_url())
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def postgres_reachable() -> bool:
    async def probe() -> None:
        connection = await asyncpg.connect(postgres_admin_url(), timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    return True


@contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for this run (consult_bench_<pid>_<label>),
    dropped afterwards; its URL."""
    name = f"consult_bench_{os.getpid()}_{label}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(postgres_admin_url(), name)
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
