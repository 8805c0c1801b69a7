"""The first, two-sheet workbook (Summary, Responses), kept until the export route
moves to StrategyWorkbookWriter: plain data in, an .xlsx file out.

Built in openpyxl's write-only mode, rows appended as they are read from the
database, so that memory stays flat however many responses a consultation has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from exports.cells import safe_row


@dataclass(frozen=True)
class OptionLine:
    label: str
    count: int | None  # None: suppressed (fewer than k)
    percent: float | None


@dataclass(frozen=True)
class QuestionBlock:
    position: int
    text: str
    type_label: str
    answered: int | None
    options: tuple[OptionLine, ...]


@dataclass(frozen=True)
class WorkbookLabels:
    """The words the workbook uses, already translated by the caller."""

    summary_sheet: str
    responses_sheet: str
    consultation: str
    survey: str
    city: str
    exported: str
    responses: str
    k_note: str
    question: str
    answer: str
    count: str
    percent: str
    answered: str
    suppressed: str


@dataclass(frozen=True)
class WorkbookData:
    consultation_title: str
    city: str
    survey_title: str
    exported_at: datetime
    response_count: int
    questions: tuple[QuestionBlock, ...]
    response_header: tuple[str, ...]


class WorkbookWriter:
    """The workbook written as the rows arrive: a summary sheet, then one row per
    response appended batch by batch, saved to `path` by close().

    openpyxl's write-only mode keeps each sheet in a temporary file, so memory stays
    flat however many responses there are; the caller streams them in.
    """

    def __init__(self, data: WorkbookData, labels: WorkbookLabels, path: Path) -> None:
        self._path = path
        self._workbook = Workbook(write_only=True)
        self._summary(data, labels)
        self._responses = self._workbook.create_sheet(labels.responses_sheet)
        self._responses.append(safe_row(self._responses, data.response_header))

    def _summary(self, data: WorkbookData, labels: WorkbookLabels) -> None:
        summary = self._workbook.create_sheet(labels.summary_sheet)
        summary.column_dimensions["A"].width = 60
        summary.column_dimensions["B"].width = 40
        for row in (
            (labels.consultation, data.consultation_title),
            (labels.survey, data.survey_title),
            (labels.city, data.city),
            (labels.exported, data.exported_at.strftime("%Y-%m-%d %H:%M UTC")),
            (labels.responses, data.response_count),
            (labels.k_note, ""),
            (),
            (labels.question, labels.answer, labels.count, labels.percent),
        ):
            summary.append(safe_row(summary, row))
        for block in data.questions:
            answered = labels.suppressed if block.answered is None else block.answered
            summary.append(
                safe_row(summary, (f"{block.position}. {block.text}", labels.answered, answered))
            )
            for line in block.options:
                summary.append(
                    safe_row(
                        summary,
                        (
                            "",
                            line.label,
                            labels.suppressed if line.count is None else line.count,
                            "" if line.percent is None else round(line.percent, 1),
                        ),
                    )
                )

    def append(self, rows: Iterable[Sequence[object]]) -> None:
        """One row per response, each cell through the safe writer."""
        for values in rows:
            self._responses.append(safe_row(self._responses, values))

    def close(self) -> None:
        self._workbook.save(self._path)
