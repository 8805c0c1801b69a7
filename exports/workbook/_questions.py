"""One sheet per question: its counts and shares, and a native Excel bar chart
drawn from those very cells (so the chart and the table can never disagree)."""

from __future__ import annotations

from openpyxl.chart import BarChart, Reference

from exports.cells import TRUNCATION_MARK, clean_text
from exports.model import Labels, OptionCount, QuestionSummary
from exports.workbook._base import Sheet

MAX_CHART_TITLE = 255
_CHART_ANCHOR_COLUMN = "F"


def question(sheet: Sheet, item: QuestionSummary, labels: Labels) -> None:
    """The question, its type and how many answered; then its options (or, for a
    matrix, a row per statement) with a chart beside them."""
    title = f"{item.position}. {item.text}"
    sheet.heading(title)
    sheet.row(sheet.bold(labels.type), item.type_label)
    sheet.row(sheet.bold(labels.answered), sheet.count(item.answered))
    sheet.blank()
    if item.statements:
        _matrix(sheet, item, labels, title)
    elif item.options:
        _options(sheet, item.options, labels, title)


def _options(sheet: Sheet, options: tuple[OptionCount, ...], labels: Labels, title: str) -> None:
    header = sheet.heading(labels.option, labels.count, labels.share)
    for option in options:
        sheet.row(option.label, sheet.count(option.count), sheet.share(option.share))
    chart = _chart(title, labels.count)
    chart.add_data(
        Reference(sheet.ws, min_col=2, min_row=header, max_row=sheet.rows), titles_from_data=True
    )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=header + 1, max_row=sheet.rows))
    sheet.ws.add_chart(chart, f"{_CHART_ANCHOR_COLUMN}{header}")


def _matrix(sheet: Sheet, item: QuestionSummary, labels: Labels, title: str) -> None:
    """Counts: a row per statement, a column per option (the options of all
    statements, in order of first appearance); then the same for shares."""
    columns: list[str] = []
    for statement in item.statements:
        for option in statement.options:
            if option.label not in columns:
                columns.append(option.label)
    header = sheet.heading(labels.statement, *columns, labels.answered)
    for statement in item.statements:
        by_label = {option.label: option for option in statement.options}
        sheet.row(
            statement.text,
            *(sheet.count(by_label[c].count) if c in by_label else None for c in columns),
            sheet.count(statement.answered),
        )
    last = sheet.rows
    sheet.blank()
    sheet.heading(labels.statement, *(f"{c} ({labels.share})" for c in columns))
    for statement in item.statements:
        by_label = {option.label: option for option in statement.options}
        sheet.row(
            statement.text,
            *(sheet.share(by_label[c].share) if c in by_label else None for c in columns),
        )
    if not columns:
        return
    chart = _chart(title, labels.count, legend=True)
    chart.grouping = "clustered"
    chart.add_data(
        Reference(sheet.ws, min_col=2, max_col=1 + len(columns), min_row=header, max_row=last),
        titles_from_data=True,
    )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=header + 1, max_row=last))
    sheet.ws.add_chart(chart, f"{_CHART_ANCHOR_COLUMN}{header}")


def _chart(title: str, axis_title: str, *, legend: bool = False) -> BarChart:
    """A horizontal bar chart; titles are plain text in the chart XML, so they are
    cleaned of what XML cannot carry and kept short."""
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = _short(title)
    chart.y_axis.title = _short(axis_title)
    # openpyxl 3.1 marks axes as deleted unless told otherwise; Excel then hides them.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if legend:
        chart.legend.position = "b"
    else:
        chart.legend = None
    chart.height = 9
    chart.width = 18
    return chart


def _short(text: str) -> str:
    text = clean_text(text).text
    if len(text) > MAX_CHART_TITLE:
        text = text[: MAX_CHART_TITLE - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return text
