"""The strategy-input workbook: plain data in, .xlsx bytes out.

Built in openpyxl's write-only mode so that memory stays flat however many
responses a consultation has.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

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
    response_rows: Iterable[Sequence[object]]


def build_workbook(data: WorkbookData, labels: WorkbookLabels) -> bytes:
    """The workbook as bytes: a summary sheet, then one row per response."""
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet(labels.summary_sheet)
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
    responses = workbook.create_sheet(labels.responses_sheet)
    responses.append(safe_row(responses, data.response_header))
    for values in data.response_rows:
        responses.append(safe_row(responses, values))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
