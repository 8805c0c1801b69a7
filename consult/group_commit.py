"""Many small writes of one kind, stored together: one transaction per batch."""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import asyncpg

from consult.database import write_transaction

ItemT = TypeVar("ItemT")
ResultT = TypeVar("ResultT")

# Errors that one item of a batch can cause by itself (a value the schema refuses).
ITEM_ERRORS: tuple[type[Exception], ...] = (
    sqlite3.IntegrityError,
    sqlite3.DataError,
    asyncpg.IntegrityConstraintViolationError,
    asyncpg.DataError,
)


class GroupCommit(Generic[ItemT, ResultT]):
    """Many small writes of one kind, stored together: one transaction per batch.

    Each caller queues its item and waits for its turn. Whoever's turn it is writes
    every item queued so far (up to max_batch) in one transaction, its own among
    them; the others, finding their result already there, return at once. So while
    one batch commits, the next one gathers: under load a process makes one
    transaction (one fsync, one pass through the write lock) per batch rather than
    per item, and a lone item is still written at once, on its own.

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
    ) -> None:
        self._write_batch = write_batch
        self._max_batch = max_batch
        # Futures and locks belong to one event loop, so each loop has its own queue.
        self._queues: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, _Queue[ItemT, ResultT]
        ] = weakref.WeakKeyDictionary()

    async def write(self, item: ItemT) -> ResultT:
        queue = self._queue()
        outcome: asyncio.Future[ResultT] = asyncio.get_running_loop().create_future()
        queue.waiting.append((item, outcome))
        async with queue.lock:
            while not outcome.done():
                if not queue.waiting:  # an unwritten item is queued while nobody writes
                    raise RuntimeError("an item was lost from the write queue")
                batch = queue.waiting[: self._max_batch]
                del queue.waiting[: self._max_batch]
                try:
                    await self._write(batch)
                except Exception as error:
                    for _, other in batch:
                        _settle(other, error=error)
                except BaseException:
                    # Cancelled mid-batch: hand what is unwritten to the next writer.
                    queue.waiting[:0] = [pair for pair in batch if not pair[1].done()]
                    raise
        return outcome.result()

    def _queue(self) -> _Queue[ItemT, ResultT]:
        loop = asyncio.get_running_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _Queue()
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


@dataclass
class _Queue(Generic[ItemT, ResultT]):
    waiting: list[tuple[ItemT, asyncio.Future[ResultT]]] = field(default_factory=list)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _settle(
    outcome: asyncio.Future[ResultT], result: Any = None, error: Exception | None = None
) -> None:
    if outcome.done():
        return  # its caller was cancelled meanwhile
    if error is None:
        outcome.set_result(result)
    else:
        outcome.set_exception(error)
