"""Background jobs that write exports (filled in by issue 9's export work)."""

from __future__ import annotations


class JobWorker:
    """Takes queued jobs from the job table and runs them, one at a time."""

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None
