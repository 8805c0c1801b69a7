"""One loop in the background of each app process: a pass of work, then a rest.

Residents come first: after a pass that did something the loop rests for as long
as the pass took, times `rest_per_work` (at most `max_rest_s`), so background work
takes a bounded share of the process; with nothing to do it checks again after
`idle_s`. A failing pass is logged (by its name only, never with data) and tried
again later; stopping cancels the task and waits for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class BackgroundLoop:
    """`work` runs a pass and says whether it did anything (a count or a flag)."""

    name: str
    work: Callable[[], Awaitable[object]]
    idle_s: float = 2.0
    rest_per_work: float = 1.0
    max_rest_s: float = float("inf")

    def __post_init__(self) -> None:
        self._task: asyncio.Task[None] | None = None

    async def _run_forever(self) -> None:
        while True:
            started = time.monotonic()
            try:
                did = await self.work()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("%s: a pass failed; its work stays queued", self.name)
                did = False
            if did:
                rest = (time.monotonic() - started) * self.rest_per_work
                await asyncio.sleep(min(rest, self.max_rest_s))
            else:
                await asyncio.sleep(self.idle_s)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run_forever(), name=self.name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
