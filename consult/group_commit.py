"""Many small writes of one kind, stored together: one transaction per batch."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import weakref
from asyncio import FIRST_COMPLETED
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar

import asyncpg
from piccolo.engine import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

from consult.database import write_transaction
from consult.settings import get_settings

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

# Errors that one item of a batch can cause by itself (a value the schema refuses).
ITEM_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    sqlite3.DataError,
    asyncpg.IntegrityConstraintViolationError,
    asyncpg.DataError,
)


# Rows that every batch updates (a survey's tally, its spike counter) are kept in this
# many shards, summed when read, so that batches written at once by one process or by
# several never wait for each other's lock on one row (see writer_shard()).
WRITER_SHARDS = 32

# The slot (0 .. writers - 1) of the batch the current task is writing, if any.
_writer_slot: ContextVar[int] = ContextVar("writer_slot", default=0)


def postgres_writers() -> int:
    """Batches a process writes at once on PostgreSQL (CONSULT_POSTGRES_WRITERS): a
    batch's transaction spends much of its time waiting for the database's answers,
    which the next one can use. SQLite has one writer: there it is always one."""
    return min(get_settings().postgres_writers, WRITER_SHARDS)


def writer_shard() -> int:
    """The shard this writer's updates of shared rows go to: distinct for the batches
    one process writes at once, and, by process id, most likely for two processes
    too (a clash costs a wait, never a wrong count: readers sum every shard)."""
    writers = postgres_writers()
    processes = max(1, WRITER_SHARDS // writers)
    return ((os.getpid() % processes) * writers + _writer_slot.get()) % WRITER_SHARDS


def _writers_for_engine() -> int:
    return 1 if isinstance(engine_finder(), SQLiteEngine) else postgres_writers()


class GroupCommit(Generic[ItemT, ResultT]):
    """Many small writes of one kind, stored together: one transaction per batch.

    Each caller queues its item and waits for its turn. Whoever's turn it is writes
    every item queued so far (up to max_batch) in one transaction, its own among
    them; the others, finding their result already there, return at once. So while
    one batch commits, the next one gathers: under load a process makes one
    transaction (one fsync, one pass through the write lock) per batch rather than
    per item, and a lone item is still written at once, on its own. Up to `writers`
    batches are written at once (postgres_writers() on PostgreSQL, 1 on SQLite
    unless given); each writer has its own slot for writer_shard().

    `write_batch` runs inside write_transaction() and returns one result per item,
    in order. If a batch fails with one of ITEM_ERRORS, each of its items is written
    again alone, in a transaction of its own, so that one bad item cannot fail the
    others; any other failure (the disk, a lock) is every item's.

    Never call write() inside write_transaction(): the batch waits for the write
    lock its caller holds. Items are written by whichever caller holds the queue, so
    a caller cancelled while queued may still have its item written by the next one.
    """

    def __init__(
        self,
        write_batch: Callable[[list[ItemT]], Awaitable[list[ResultT]]],
        max_batch: int = 64,
        writers: int | None = None,
    ) -> None:
        self._write_batch = write_batch
        self._max_batch = max_batch
        self._writers = writers
        # Futures and locks belong to one event loop, so each loop has its own queue.
        self._queues: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, _Queue[ItemT, ResultT]
        ] = weakref.WeakKeyDictionary()

    async def write(self, item: ItemT) -> ResultT:
        queue = self._queue()
        outcome: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        queue.put(item, outcome)
        while not outcome.done():
            if outcome not in queue.queued:
                # In a batch another writer is writing: wait for it to end, or for
                # that writer to hand the batch back (cancelled before it wrote).
                await asyncio.wait({outcome, queue.handed_back}, return_when=FIRST_COMPLETED)
                continue
            async with queue.writer() as slot:
                token = _writer_slot.set(slot)
                try:
                    while not outcome.done() and outcome in queue.queued:
                        await self._write_next(queue)
                finally:
                    _writer_slot.reset(token)
        return outcome.result()

    async def _write_next(self, queue: _Queue[ItemT, ResultT]) -> None:
        batch = queue.take(self._max_batch)
        try:
            await self._write(batch)
        except Exception as error:
            for _, other in batch:
                _settle(other, error=error)
        except BaseException:
            # Cancelled mid-batch: hand what is unwritten to the next writer.
            queue.hand_back([pair for pair in batch if not pair[1].done()])
            raise

    def _queue(self) -> _Queue[ItemT, ResultT]:
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            writers = _writers_for_engine() if self._writers is None else self._writers
            queue = self._queues[loop] = _Queue(writers)
        return queue

    async def _write(self, batch: list[tuple[ItemT, asyncio.Future[ResultT]]]) -> None:
        try:
            results = await self._in_transaction([item for item, _ in batch])
        except ITEM_ERRORS:
            if len(batch) > 1:
                await self._write_one_by_one(batch)
                return
            raise
        for (_, outcome), result in zip(batch, results, strict=True):
            _settle(outcome, result=result)

    async def _write_one_by_one(self, batch: list[tuple[ItemT, asyncio.Future[ResultT]]]) -> None:
        for item, outcome in batch:
            try:
                (result,) = await self._in_transaction([item])
            except Exception as error:
                _settle(outcome, error=error)
            else:
                _settle(outcome, result=result)

    async def _in_transaction(self, items: list[ItemT]) -> list[ResultT]:
        async with write_transaction():
            return await self._write_batch(items)


class _Queue(Generic[ItemT, ResultT]):
    """One event loop's items waiting to be written, and its writers' slots."""

    def __init__(self, writers: int) -> None:
        self.waiting: list[tuple[ItemT, asyncio.Future[ResultT]]] = []
        # The futures of the items in `waiting`, for a quick "is mine still queued?".
        self.queued: set[asyncio.Future[ResultT]] = set()
        self._writers = asyncio.Semaphore(writers)
        self._free_slots = list(range(writers))
        # Resolved (and replaced) whenever a cancelled writer puts its batch back.
        self.handed_back: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def put(self, item: ItemT, outcome: asyncio.Future[ResultT]) -> None:
        self.waiting.append((item, outcome))
        self.queued.add(outcome)

    def take(self, most: int) -> list[tuple[ItemT, asyncio.Future[ResultT]]]:
        batch = self.waiting[:most]
        del self.waiting[:most]
        self.queued.difference_update(outcome for _, outcome in batch)
        return batch

    def hand_back(self, pairs: list[tuple[ItemT, asyncio.Future[ResultT]]]) -> None:
        self.waiting[:0] = pairs
        self.queued.update(outcome for _, outcome in pairs)
        self.handed_back.set_result(None)
        self.handed_back = asyncio.get_running_loop().create_future()

    @asynccontextmanager
    async def writer(self) -> AsyncIterator[int]:
        """One of the writers' slots, for as long as the block runs."""
        async with self._writers:
            slot = self._free_slots.pop()
            try:
                yield slot
            finally:
                self._free_slots.append(slot)


def _settle(
    outcome: asyncio.Future[ResultT], result: Any = None, error: Exception | None = None
) -> None:
    if outcome.done():
        return  # its caller was cancelled meanwhile
    if error is None:
        outcome.set_result(result)
    else:
        outcome.set_exception(error)
