"""The one safe writer for every user-derived cell of an export.

Text stays text: a value that a spreadsheet would read as a formula or as an error
value is stored as a string with Excel's quote prefix (so editing the cell keeps it
text; in CSV, a leading apostrophe), characters a workbook cannot hold are replaced,
and text is capped at Excel's cell limit.

Why the fast path is safe (checked against openpyxl 3.1.5, `cell/cell.py`
`Cell._bind_value` and `worksheet/_write_only.py` `_values_to_row`): a plain value
appended to a write-only sheet is bound to a cell whose type comes from Python's
type alone: int, float, Decimal -> "n", bool -> "b", datetime types -> "d", str ->
"s"; a str then becomes a formula ("f") only if it is longer than one character
and starts with "=", and an error ("e") only if it equals one of
`openpyxl.cell.cell.ERROR_CODES`; it raises on the C0 characters of
`ILLEGAL_CHARACTERS_RE`. No other inference happens (no number or date parsing of
text) and the writer (`cell/_writer.py`) emits "s" as an inline string. So a str
that starts with none of "=+-@\\t\\r#", holds no illegal character and fits the cap
is written, unchanged, as text; only the rest needs a cell object.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MAX_CELL_CHARS = 32_767
TRUNCATION_MARK = "…"
REPLACEMENT = "\ufffd"
# Characters that start a formula in Excel, LibreOffice or Google Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Text a spreadsheet reads as an error value: openpyxl's list (it writes these as
# error cells) and every other error Excel shows, which Excel and LibreOffice turn
# into errors when the text is typed in or read from CSV.
ERROR_LITERALS = frozenset(ERROR_CODES) | {
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#EXTERNAL!",
    "#PYTHON!",
}
# XML 1.0 cannot carry these (C0 controls but tab, LF and CR; lone surrogates,
# which cannot even be encoded; U+FFFE and U+FFFF): openpyxl would refuse the
# workbook or write one that does not open.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# First characters after which a string needs a closer look (see the module doc).
_RISKY_FIRST = frozenset("=+-@\t\r#")
_INF = float("inf")
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class SafeText:
    """Cleaned text, and whether a spreadsheet would read it as other than text."""

    text: str
    needs_quote: bool


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet would read `text` as a formula or an error value.

    This is the one rule, shared by the workbook (quote prefix) and CSV (leading
    apostrophe). Error words are matched ignoring case, as Excel does when the
    text is typed in or imported.
    """
    if text.startswith(FORMULA_TRIGGERS):
        return True
    return text[:1] == "#" and text.upper() in ERROR_LITERALS


def clean_text(value: str) -> SafeText:
    """Replace illegal characters, cap the length and flag text needing a quote."""
    text = _ILLEGAL.sub(REPLACEMENT, value)
    if len(text) > MAX_CELL_CHARS:
        text = text[: MAX_CELL_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return SafeText(text=text, needs_quote=needs_quote(text))


def csv_value(value: object) -> object:
    """A value for a CSV row that no spreadsheet runs: the same rule as the workbook,
    with a leading apostrophe where the workbook sets the quote prefix."""
    if isinstance(value, Cell):
        value = value.value
    value = _plain(value)
    if value.__class__ is not str:
        return value
    cleaned = clean_text(value)
    if not cleaned.needs_quote:
        return cleaned.text
    quoted = "'" + cleaned.text
    if len(quoted) > MAX_CELL_CHARS:
        quoted = quoted[: MAX_CELL_CHARS - len(TRUNCATION_MARK)] + TRUNCATION_MARK
    return quoted


def csv_row(values: Iterable[object]) -> list[object]:
    """A row ready for `csv.writer.writerow`, every value through csv_value; the
    same fast path as safe_row."""
    row = list(values)
    risky, illegal, cap = _RISKY_FIRST, _ILLEGAL.search, MAX_CELL_CHARS
    for index, value in enumerate(row):
        if type(value) is str:
            if value and (value[0] in risky or len(value) > cap or illegal(value)):
                row[index] = csv_value(value)
        elif value is not None and type(value) is not int:
            row[index] = csv_value(value)
    return row


def _plain(value: object) -> object:
    """Numbers and None as openpyxl writes them (finite floats only); anything
    else as str, to be cleaned by the caller."""
    if value is None or value.__class__ in (int, bool):
        return value
    if value.__class__ is float:
        # NaN and infinities would be written as "nan"/"inf", which Excel repairs.
        return value if -_INF < value < _INF else None
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return _plain(float(value))
    return str(value)


def _text(sheet: WriteOnlyWorksheet, value: str) -> str | Cell:
    """Text that needs a look: plain cleaned text, or a quoted text cell."""
    cleaned = clean_text(value)
    if not cleaned.needs_quote:
        return cleaned.text
    cell = WriteOnlyCell(sheet, value=cleaned.text)
    # openpyxl marks "=..." as a formula and error words as errors; force text.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_value(sheet: WriteOnlyWorksheet, value: object) -> object:
    """`value` as something `sheet.append` writes so that no spreadsheet runs it:
    the plain value when that is already safe, else a protected cell. A cell made
    by safe_cell passes through as it is."""
    if isinstance(value, Cell):
        return value
    value = _plain(value)
    if value.__class__ is str:
        return _text(sheet, value)
    return value


def safe_cell(
    sheet: WriteOnlyWorksheet,
    value: object,
    *,
    number_format: str | None = None,
    bold: bool = False,
) -> Cell:
    """A write-only cell holding `value` so that no spreadsheet runs it, optionally
    styled (a number format, bold for headings)."""
    value = safe_value(sheet, value)
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)
    if number_format is not None:
        cell.number_format = number_format
    if bold:
        cell.font = _BOLD
    return cell


def safe_row(sheet: WriteOnlyWorksheet, values: Iterable[object]) -> list[object]:
    """A row ready for `sheet.append`, every value through the safe writer.

    This is the hot loop of an export (100,000 rows x dozens of answers), so the
    common cases are inlined: ints, None and clean text pass through untouched, and
    only text that starts with a risky character, holds an illegal one or is too
    long goes to the slow path.
    """
    row = list(values)
    risky, illegal, cap = _RISKY_FIRST, _ILLEGAL.search, MAX_CELL_CHARS
    for index, value in enumerate(row):
        if type(value) is str:
            if value and (value[0] in risky or len(value) > cap or illegal(value)):
                row[index] = _text(sheet, value)
        elif value is not None and type(value) is not int:
            row[index] = safe_value(sheet, value)
    return row
