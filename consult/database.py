"""The database engines, and the helpers every write goes through."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

import aiosqlite
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import (
    SQLiteEngine,
    SQLiteTransaction,
    TransactionType,
    dict_factory,
)

from consult.settings import Settings

# aiosqlite logs every statement with its bound values at DEBUG: with the root
# logger at DEBUG, residents' answers would reach the log. Its own level keeps it
# at INFO, whatever the root logger's (tests/integration/test_logs_hold_nothing_personal.py).
logging.getLogger("aiosqlite").setLevel(logging.INFO)

# Pragmas set on every SQLite connection. WAL itself is a property of the file and is
# set once by `consult migrate`; synchronous=FULL makes every commit durable.
_CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = FULL")
# Read connections the app keeps open: more than one, so that a slow query (an
# export, say) does not hold up every page behind it.
_KEPT_READERS = 2


class _KeptConnections:
    """The connections an app keeps open on its event loop, for one database file.

    Opening a SQLite connection costs a thread, a file open and the pragmas, and
    Piccolo opens one for every query outside a transaction and for every
    transaction: a burst of requests meant a burst of threads. While the app runs,
    its queries use these instead: one writer (writes queue for the write lock
    anyway) and a few readers, each query on the reader with the least to do.
    """

    def __init__(self, engine: ConsultSQLiteEngine) -> None:
        self.engine = engine
        self.path: str = engine.path
        self._writer: aiosqlite.Connection | None = None
        self._readers: list[aiosqlite.Connection] = []
        self._reader_load: list[int] = []

    async def open(self) -> None:
        try:
            for _ in range(_KEPT_READERS):
                self._readers.append(await self.engine.get_connection())
        except BaseException:
            await self.close()  # an open connection's thread would keep the process alive
            raise
        self._reader_load = [0] * len(self._readers)

    async def close(self) -> None:
        connections = [*self._readers, *([self._writer] if self._writer else [])]
        self._readers, self._writer = [], None
        for connection in connections:
            await connection.close()

    async def writer(self) -> aiosqlite.Connection:
        # Transactions come one at a time (the write lock), so no two open it at once.
        if self._writer is None:
            self._writer = await self.engine.get_connection()
        return self._writer

    async def drop_writer(self, connection: aiosqlite.Connection) -> None:
        """Close a writer whose transaction could not end; the next write opens another."""
        if self._writer is connection:
            self._writer = None
        # Closing a broken connection may fail too; it is gone either way.
        with contextlib.suppress(Exception):
            await connection.close()

    async def read(self, query: str, args: list[Any]) -> list[dict[str, Any]]:
        index = min(range(len(self._readers)), key=self._reader_load.__getitem__)
        self._reader_load[index] += 1
        try:
            # Autocommit: the statement's read transaction ends once it is fetched.
            return await self._readers[index].execute_fetchall(query, args)  # type: ignore[return-value]
        finally:
            self._reader_load[index] -= 1


class _KeptWriterTransaction(SQLiteTransaction):
    """A transaction on the kept writer connection, which stays open after it."""

    def __init__(self, engine: ConsultSQLiteEngine, kept: _KeptConnections) -> None:
        super().__init__(engine, transaction_type=TransactionType.immediate)
        self.kept = kept

    async def get_connection(self) -> aiosqlite.Connection:
        return await self.kept.writer()

    async def __aexit__(self, exception_type: Any, exception: Any, traceback: Any) -> bool:
        # SQLiteTransaction.__aexit__, less closing the connection.
        if self._parent:
            return exception is None
        try:
            if exception is not None:
                if not self._rolled_back:
                    await self.rollback()
            elif not self._committed and not self._rolled_back:
                await self.commit()
        except BaseException:
            # A COMMIT or ROLLBACK that failed may leave the connection inside a
            # transaction: it must not serve the next one.
            await self.kept.drop_writer(self.connection)
            raise
        finally:
            self.engine.current_transaction.reset(self.context)
        return exception is None


class ConsultSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with durable, WAL-friendly connection settings.

    While the app runs (keep_connections() at start-up, release_connections() at
    shutdown), queries on the app's event loop use its kept connections; anywhere
    else (the CLI, scripts, other event loops) they open their own, as Piccolo does.
    """

    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        # Weak, so that a loop that ends without the app's shutdown takes its
        # connections along (aiosqlite stops a collected connection's thread).
        self._kept: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _KeptConnections] = (
            weakref.WeakKeyDictionary()
        )

    async def get_connection(self) -> aiosqlite.Connection:
        connection = await aiosqlite.connect(**self.connection_kwargs)
        connection.row_factory = dict_factory  # type: ignore[assignment]
        for pragma in _CONNECTION_PRAGMAS:
            await connection.execute(pragma)
        return connection

    async def keep_connections(self) -> None:
        loop = asyncio.get_running_loop()
        if loop not in self._kept:
            kept = _KeptConnections(self)
            await kept.open()
            self._kept[loop] = kept

    async def release_connections(self) -> None:
        kept = self._kept.pop(asyncio.get_running_loop(), None)
        if kept is not None:
            await kept.close()

    def _kept_here(self) -> _KeptConnections | None:
        """This event loop's kept connections, if they are to the database in use."""
        kept = self._kept.get(asyncio.get_running_loop())
        return kept if kept is not None and kept.path == self.path else None

    def writer_transaction(self) -> SQLiteTransaction:
        """An IMMEDIATE transaction, on the kept writer connection when there is one."""
        kept = self._kept_here()
        if kept is not None:
            return _KeptWriterTransaction(self, kept)
        return self.transaction(transaction_type=TransactionType.immediate)

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        # Outside a transaction. RETURNING (SQLite 3.35+) gives inserted keys, so
        # Piccolo's fallback for older versions is not needed.
        kept = self._kept_here()
        if kept is not None:
            return await kept.read(query, args or [])
        # Piccolo opens its own connection here; ours adds the durability pragmas.
        connection = await self.get_connection()
        try:
            rows = await connection.execute_fetchall(query, args or [])
            await connection.commit()
            return rows  # type: ignore[return-value]
        finally:
            await connection.close()

    async def _run_in_existing_connection(
        self,
        connection: aiosqlite.Connection,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: Any = None,
    ) -> list[dict[str, Any]]:
        # One round trip to the connection's thread, where Piccolo makes three
        # (execute, fetch, close the cursor) plus a PRAGMA foreign_keys before every
        # query, which SQLite ignores inside a transaction (get_connection set it).
        # Round trips count: a write transaction holds the write lock across them.
        return await connection.execute_fetchall(query, args or [])  # type: ignore[return-value]


async def keep_connections(pool_size: int) -> None:
    """Open the engine's connections for as long as this event loop needs them (an
    app's life, a demo load) instead of one per query: a PostgreSQL pool of at most
    `pool_size`, or SQLite's kept reader and writer. Undo with release_connections()."""
    engine = engine_finder()
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool(min_size=1, max_size=pool_size)
    elif isinstance(engine, ConsultSQLiteEngine):
        await engine.keep_connections()


async def release_connections() -> None:
    engine = engine_finder()
    if isinstance(engine, PostgresEngine):
        pool = engine.pool
        try:
            # A connection a cancelled task never gave back would make close() wait
            # for ever (seen on PostgreSQL: a stop that hung): after 10 s, close hard.
            await asyncio.wait_for(engine.close_connection_pool(), timeout=10)
        except TimeoutError:
            if pool is not None:
                pool.terminate()
            engine.pool = None
    elif isinstance(engine, ConsultSQLiteEngine):
        await engine.release_connections()


@asynccontextmanager
async def connections_kept(pool_size: int) -> AsyncIterator[None]:
    """keep_connections() for the block, released after it."""
    await keep_connections(pool_size)
    try:
        yield
    finally:
        await release_connections()


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


# The task holding the write transaction it is in: a service that writes can then
# be called from inside another's transaction and joins it (the per-process lock is
# not re-entrant, so opening a second one would wait for ever).
_writing_task: ContextVar[asyncio.Task[Any] | None] = ContextVar("writing_task", default=None)


@asynccontextmanager
async def write_transaction() -> AsyncIterator[None]:
    """One short write transaction: IMMEDIATE on SQLite, a plain one on PostgreSQL.

    Inside one already (the same task), it joins that one: all or nothing together.
    """
    task = asyncio.current_task()
    if task is not None and _writing_task.get() is task:
        yield
        return
    token = _writing_task.set(task)
    try:
        async with _write_transaction():
            yield
    finally:
        _writing_task.reset(token)


@asynccontextmanager
async def _write_transaction() -> AsyncIterator[None]:
    engine = engine_finder()
    if isinstance(engine, ConsultSQLiteEngine):
        async with _write_lock(), engine.writer_transaction():
            yield
    elif isinstance(engine, SQLiteEngine):
        async with _write_lock(), engine.transaction(transaction_type=TransactionType.immediate):
            yield
    else:
        assert engine is not None
        async with engine.transaction():
            yield
