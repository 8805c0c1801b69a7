"""The one safe writer for every user-derived cell of an export.

Text stays text: a value that a spreadsheet would read as a formula is stored as a
string with Excel's quote prefix (so editing the cell keeps it text), characters a
workbook cannot hold are replaced, and text is capped at Excel's cell limit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_CELL_CHARS = 32_767
TRUNCATION_MARK = "…"
REPLACEMENT = "\ufffd"
# Characters that start a formula in Excel, LibreOffice or Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# XML 1.0 cannot carry these; openpyxl would refuse the whole workbook.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class SafeText:
    """Cleaned text, and whether a spreadsheet would have read it as a formula."""

    text: str
    formula_like: bool


def clean_text(value: str) -> SafeText:
    """Replace illegal characters, cap the length and flag formula-like text."""
    text = _ILLEGAL.sub(REPLACEMENT, value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return SafeText(text=text, formula_like=text.startswith(FORMULA_TRIGGERS))


def safe_cell(sheet: WriteOnlyWorksheet, value: object) -> WriteOnlyCell:
    """A write-only cell holding `value` so that no spreadsheet runs it."""
    if value is None or isinstance(value, bool | int | float):
        return WriteOnlyCell(sheet, value=value)
    cleaned = clean_text(str(value))
    cell = WriteOnlyCell(sheet, value=cleaned.text)
    if cleaned.formula_like:
        # openpyxl marks strings starting with "=" as formulas; force plain text.
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def safe_row(sheet: WriteOnlyWorksheet, values: tuple[object, ...] | list[object]) -> list:
    """A row of safe cells, ready for `sheet.append`."""
    return [safe_cell(sheet, value) for value in values]
