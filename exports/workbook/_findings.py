"""The findings and action plan: an Excel table (filter buttons, banded rows) with a
frozen header and drop-down lists for priority and status.

In write-only mode openpyxl cannot read the header back to name the table's
columns (it would call them Column1, Column2 ... and Excel would repair the file),
so the columns are named here, from exactly the text written in the header cells.
The allowed priorities and statuses are written as cells beside the table and the
drop-downs point at them: a list typed into the validation itself breaks on a
comma or a quote in a word and is limited to 255 characters.
"""

from __future__ import annotations

import warnings
from itertools import zip_longest

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from exports.model import Finding, Labels
from exports.workbook._base import Sheet
from exports.workbook._names import column_names

TABLE_NAME = "ActionPlan"
_WIDTHS = (30, 50, 22, 12, 14, 40, 22, 30, 14, 50, 3, 16, 16)


def findings(
    sheet: Sheet,
    items: tuple[Finding, ...],
    priorities: tuple[str, ...],
    statuses: tuple[str, ...],
    labels: Labels,
) -> None:
    """Write the table; must be called before any other row of `sheet`."""
    ws = sheet.ws
    for index, width in enumerate(_WIDTHS, 1):
        ws.column_dimensions[get_column_letter(index)].width = width
    names = column_names(
        (
            labels.title,
            labels.finding,
            labels.strategy_area,
            labels.priority,
            labels.status,
            labels.proposed_action,
            labels.owner,
            labels.partners,
            labels.timeline,
            labels.evidence,
        )
    )
    width = len(names)
    lists = (width + 2, width + 3)  # one empty column, then priorities and statuses
    # A table needs at least one data row, even if it is empty.
    last = 1 + max(len(items), 1)
    ref = f"A1:{get_column_letter(width)}{last}"
    ws.freeze_panes = "A2"
    table = Table(
        displayName=TABLE_NAME,
        name=TABLE_NAME,
        ref=ref,
        autoFilter=AutoFilter(ref=ref),
        tableStyleInfo=TableStyleInfo(name="TableStyleMedium2", showRowStripes=True),
    )
    table.tableColumns = [TableColumn(id=i, name=name) for i, name in enumerate(names, 1)]
    with warnings.catch_warnings():
        # "In write-only mode you must add table columns manually": done above.
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(table)
    for column, allowed, letter in (
        (lists[0], priorities, get_column_letter(4)),
        (lists[1], statuses, get_column_letter(5)),
    ):
        if not allowed:
            continue
        source = get_column_letter(column)
        validation = DataValidation(
            type="list",
            formula1=f"${source}$2:${source}${1 + len(allowed)}",
            allow_blank=True,
            showErrorMessage=True,
        )
        validation.add(f"{letter}2:{letter}{last}")
        ws.data_validations.append(validation)

    header: list[object] = [sheet.bold(name) for name in names]
    header += [None, sheet.bold(labels.priority), sheet.bold(labels.status)]
    sheet.row(*header)
    for item, priority, status in zip_longest(items, priorities, statuses):
        cells: list[object] = [None] * width if item is None else _cells(item, labels)
        sheet.row(*cells, None, priority, status)


def _cells(item: Finding, labels: Labels) -> list[object]:
    return [
        item.title,
        item.statement,
        item.strategy_area,
        item.priority,
        item.status,
        item.proposed_action,
        item.owner,
        labels.separator.join(item.partners),
        item.timeline,
        "\n".join(item.evidence),
    ]
