"""One small helper shared by the sheet builders: rows through the safe writer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from openpyxl.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from exports.cells import safe_cell, safe_row

SHARE_FORMAT = "0.0%"
SENTIMENT_FORMAT = "0.00"


class Sheet:
    """A write-only sheet that knows the "not shown" word and keeps count of rows,
    so that builders can point charts and tables at what they wrote."""

    def __init__(self, ws: WriteOnlyWorksheet, not_shown: str, widths: Sequence[float] = ()):
        self.ws = ws
        self.not_shown = not_shown
        self.rows = 0
        for index, width in enumerate(widths):
            ws.column_dimensions[get_column_letter(index + 1)].width = width

    def row(self, *values: object) -> int:
        """Append one row of values (numbers, text, ready cells); its row number."""
        self.ws.append(safe_row(self.ws, values))
        self.rows += 1
        return self.rows

    def heading(self, *values: object) -> int:
        """Append one bold row."""
        return self.row(*(self.bold(value) for value in values))

    def blank(self) -> None:
        self.row()

    def bold(self, value: object) -> Cell:
        return safe_cell(self.ws, value, bold=True)

    def count(self, value: int | None) -> object:
        """A count, or the "not shown" word when suppressed."""
        return self.not_shown if value is None else value

    def number(self, value: float | None, number_format: str) -> object:
        """A formatted number, or the "not shown" word when suppressed."""
        if value is None:
            return self.not_shown
        return safe_cell(self.ws, value, number_format=number_format)

    def share(self, value: float | None) -> object:
        return self.number(value, SHARE_FORMAT)


def joined(parts: Iterable[str], separator: str) -> str:
    return separator.join(parts)
