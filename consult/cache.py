"""A worker's short-lived memory of values read from the database."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

KeyT = TypeVar("KeyT", bound=Hashable)
ValueT = TypeVar("ValueT")


class TimedCache(Generic[KeyT, ValueT]):
    """Values reused for `ttl` seconds, so a busy page does not read the same rows
    thousands of times. When a value expires, the first request to need it reads it
    again; requests arriving meanwhile keep the old value instead of all reading at
    once. A ttl of 0 reads every time."""

    def __init__(self) -> None:
        self._entries: dict[KeyT, tuple[float, ValueT]] = {}

    async def get(self, key: KeyT, ttl: float, load: Callable[[], Awaitable[ValueT]]) -> ValueT:
        now = time.monotonic()
        hit = self._entries.get(key)
        if hit is not None and hit[0] > now:
            return hit[1]
        if hit is not None:
            self._entries[key] = (now + ttl, hit[1])
        value = await load()
        self._entries[key] = (time.monotonic() + ttl, value)
        return value

    def clear(self) -> None:
        self._entries.clear()
