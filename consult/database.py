"""The database engines and the one helper every write goes through."""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiosqlite
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType, dict_factory

from consult.settings import Settings

# Pragmas set on every SQLite connection. WAL itself is a property of the file and is
# set once by `consult migrate`; synchronous=FULL makes every commit durable.
_CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = FULL")


class ConsultSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with durable, WAL-friendly connection settings."""

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in _CONNECTION_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        # Piccolo opens its own connection here; ours adds the durability pragmas.
        # RETURNING (SQLite 3.35+) gives inserted keys, so no fallback is needed.
        connection = await self.get_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                return await cursor.fetchall()  # type: ignore[return-value]
        finally:
            await connection.close()


def make_engine(settings: Settings) -> SQLiteEngine | PostgresEngine:
    """The engine DATABASE_URL names: SQLite by default, PostgreSQL in production."""
    if settings.is_sqlite:
        path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        return ConsultSQLiteEngine(path=str(path), timeout=settings.sqlite_busy_timeout_ms / 1000)
    dsn = settings.database_url.replace("postgresql://", "postgres://", 1)
    return PostgresEngine(config={"dsn": dsn})


def set_wal_mode(path: str) -> None:
    """Switch a SQLite file to write-ahead logging (persistent, so done once)."""
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = WAL")


# One writer per process on SQLite: writers queue on an asyncio lock instead of
# spinning in SQLite's busy handler, which keeps the tail latency short. Locks are
# bound to an event loop, so there is one per loop.
_write_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _write_lock() -> asyncio.Lock:
    loop = asyncio.get_running_loop()
    lock = _write_locks.get(loop)
    if lock is None:
        lock = _write_locks[loop] = asyncio.Lock()
    return lock


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """One short write transaction: IMMEDIATE on SQLite, a plain one on PostgreSQL."""
    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        async with _write_lock(), engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        assert engine is not None
        async with engine.transaction():
            yield
