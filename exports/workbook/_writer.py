"""The strategy-input workbook, written as the response rows arrive."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook

from exports.cells import safe_row
from exports.model import Labels, StrategyWorkbook
from exports.workbook import _findings, _questions, _sheets
from exports.workbook._base import Sheet
from exports.workbook._names import SheetNames


class StrategyWorkbookWriter:
    """Cover and method, indicators, a sheet per question (with a bar chart),
    cross-tabs, themes, the findings and action plan, partners and the data
    dictionary are written at once; the responses sheet comes last and gets one row
    per response from append(), batch by batch; close() saves to `target`.

    openpyxl's write-only mode keeps each sheet in a temporary file, so memory stays
    flat however many responses there are; the caller streams them in (from a
    thread: this is CPU work). Every cell goes through the safe writer.
    """

    def __init__(
        self, data: StrategyWorkbook, labels: Labels, target: Path | str | BinaryIO
    ) -> None:
        self._target = target
        self._workbook = Workbook(write_only=True)
        name = SheetNames()
        new = self._new_sheet
        _sheets.cover(new(name(labels.cover_sheet, "Cover"), labels, (28, 80)), data.cover, labels)
        _sheets.indicators(
            new(name(labels.indicators_sheet, "Indicators"), labels, (36, 40, 24, 18, 18)),
            data.indicators,
            labels,
        )
        for item in data.questions:
            prefix = f"{labels.question_sheet}{item.position}"
            sheet = new(name(f"{prefix} {item.text}", prefix), labels, (40, 12, 14))
            _questions.question(sheet, item, labels)
        _sheets.cross_tabs(
            new(name(labels.cross_tabs_sheet, "Cross-tabs"), labels, (40,)), data.cross_tabs, labels
        )
        _sheets.themes(
            new(name(labels.themes_sheet, "Themes"), labels, (24, 50, 10, 14, 80, 24)),
            data.themes,
            labels,
        )
        _findings.findings(
            new(name(labels.findings_sheet, "Findings"), labels),
            data.findings,
            data.priorities,
            data.statuses,
            labels,
        )
        _sheets.partners(
            new(name(labels.partners_sheet, "Partners"), labels, (30, 20, 10, 12, 40, 50)),
            data.partners,
            labels,
        )
        _sheets.dictionary(
            new(name(labels.dictionary_sheet, "Dictionary"), labels, (30, 50, 18, 60, 30)),
            data.dictionary,
            labels,
        )
        responses = new(name(labels.responses_sheet, "Responses"), labels)
        responses.ws.freeze_panes = "A2"
        responses.heading(*data.response_header)
        self._responses = responses.ws

    def _new_sheet(
        self, title: str, labels: Labels | None = None, widths: Sequence[float] = ()
    ) -> Sheet:
        ws = self._workbook.create_sheet(title)
        return Sheet(ws, labels.not_shown if labels else "", widths)

    def append(self, rows: Iterable[Sequence[object]]) -> None:
        """One row per response (one value per response_header column), each cell
        through the safe writer."""
        sheet = self._responses
        write = sheet.append
        for values in rows:
            write(safe_row(sheet, values))

    def close(self) -> None:
        """Save the workbook; the writer cannot be used afterwards."""
        self._workbook.save(self._target)
