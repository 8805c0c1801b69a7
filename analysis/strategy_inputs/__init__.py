"""The strategy-input exports: the workbook a planner takes to the council, and the
responses as CSV, written from the database as a stream.

Summary sheets come from the same services as the planner's pages (so they show,
and hide, what the screen does); response rows are read by keyset a batch at a time
(analysis.services.response_batches, free text redacted) and written in a thread,
the next batch read while the last one is written. Memory holds a batch or two,
however many responses there are.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Protocol

from analysis import services
from analysis.strategy_inputs import _words
from analysis.strategy_inputs._assemble import strategy_workbook
from analysis.strategy_inputs._source import load, workbook_segments
from consult import i18n
from exports.csv import CsvWriter
from exports.workbook import StrategyWorkbookWriter

Progress = Callable[[int, int], Awaitable[None]]  # (done, total) responses written so far

__all__ = ["Progress", "workbook_segments", "write_csv", "write_workbook"]


class _RowWriter(Protocol):
    def append(self, rows: Sequence[Sequence[object]]) -> None: ...


async def _stream(
    batches: AsyncIterator[list[tuple[object, ...]]],
    writer: _RowWriter,
    total: int,
    progress: Progress | None,
) -> int:
    """Every batch into the writer (in a thread), reading the next one meanwhile."""
    done = 0
    if progress is not None:
        await progress(0, total)
    upcoming = asyncio.ensure_future(anext(batches, None))
    try:
        while (batch := await upcoming) is not None:
            upcoming = asyncio.ensure_future(anext(batches, None))
            await asyncio.to_thread(writer.append, batch)
            done += len(batch)
            if progress is not None:
                await progress(done, max(total, done))
    finally:
        if not upcoming.done():
            upcoming.cancel()
            with contextlib.suppress(asyncio.CancelledError, StopAsyncIteration):
                await upcoming
        await batches.aclose()  # type: ignore[attr-defined]
    return done


async def write_workbook(
    survey_id: int, locale: str, path: Path, progress: Progress | None = None
) -> int:
    """Write the strategy-input workbook of a survey to `path`, in `locale`'s words;
    the number of responses written. Raises LookupError for an unknown survey."""
    gettext = i18n.translations(locale).gettext
    source = await load(survey_id, locale, gettext)
    header = (*_words.response_columns(gettext), *services.response_header(source.survey))
    data, total = await strategy_workbook(source, header)
    writer = await asyncio.to_thread(StrategyWorkbookWriter, data, _words.labels(gettext), path)
    written = await _stream(services.response_batches(source.survey), writer, total, progress)
    await asyncio.to_thread(writer.close)
    return written


async def write_csv(
    survey_id: int, locale: str, path: Path, progress: Progress | None = None
) -> int:
    """Write the survey's responses as CSV (UTF-8 with a BOM, the workbook's
    headings and safe values) to `path`; the number of responses written."""
    gettext = i18n.translations(locale).gettext
    source = await load(survey_id, locale, gettext)
    header = (*_words.response_columns(gettext), *services.response_header(source.survey))
    results = await services.survey_results(source.survey, source.k)
    with path.open("wb") as handle:
        writer = CsvWriter(header, handle)
        written = await _stream(
            services.response_batches(source.survey), writer, results.responses, progress
        )
        writer.close()
    return written
