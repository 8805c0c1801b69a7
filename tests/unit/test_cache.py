"""A worker's timed cache: reuse for a moment, and one reload when it expires."""

from __future__ import annotations

import asyncio

from consult.cache import TimedCache


class Source:
    """Counts reads, as the database would see them; each read can be held open."""

    def __init__(self) -> None:
        self.reads = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def read(self) -> int:
        self.reads += 1
        await self.gate.wait()
        return self.reads


def test_a_value_is_reused_until_it_expires():
    async def scenario() -> None:
        cache: TimedCache[str, int] = TimedCache()
        source = Source()
        assert await cache.get("a", 60, source.read) == 1
        assert await cache.get("a", 60, source.read) == 1
        assert await cache.get("b", 60, source.read) == 2, "each key is read for itself"
        cache.clear()
        assert await cache.get("a", 60, source.read) == 3

    asyncio.run(scenario())


def test_a_ttl_of_zero_reads_every_time():
    async def scenario() -> None:
        cache: TimedCache[str, int] = TimedCache()
        source = Source()
        values = [await cache.get("a", 0, source.read) for _ in range(3)]
        assert values == [1, 2, 3]

    asyncio.run(scenario())


def test_when_a_value_expires_one_request_reads_it_and_the_others_keep_the_old_one():
    async def scenario() -> None:
        cache: TimedCache[str, int] = TimedCache()
        source = Source()
        await cache.get("a", 0.01, source.read)
        await asyncio.sleep(0.02)
        source.gate.clear()  # the reload is slow
        reloading = asyncio.create_task(cache.get("a", 60, source.read))
        await asyncio.sleep(0)
        # Were they to read too, they would wait on the slow read (and time out here).
        others = await asyncio.wait_for(
            asyncio.gather(*[cache.get("a", 60, source.read) for _ in range(20)]), timeout=2
        )
        assert others == [1] * 20, "requests during the reload get the previous value"
        source.gate.set()
        assert await reloading == 2
        assert source.reads == 2
        assert await cache.get("a", 60, source.read) == 2

    asyncio.run(scenario())
