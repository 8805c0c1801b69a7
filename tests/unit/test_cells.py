"""The one safe writer: text stays text, illegal characters go, length is capped."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from exports.cells import MAX_CELL_CHARS, clean_text, safe_row


def roundtrip(values):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append(safe_row(sheet, values))
    buffer = io.BytesIO()
    book.save(buffer)
    return next(iter(load_workbook(io.BytesIO(buffer.getvalue()))["S"].iter_rows()))


def test_formula_like_text_is_stored_as_quoted_text():
    cells = roundtrip(["=1+1", "+1", "-1", "@A1", "\t=1", "ok"])
    assert [c.value for c in cells] == ["=1+1", "+1", "-1", "@A1", "\t=1", "ok"]
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False]


def test_numbers_stay_numbers():
    cells = roundtrip([5, -2, 1.5, None])
    assert [c.value for c in cells[:3]] == [5, -2, 1.5]
    assert cells[0].data_type == "n"


def test_illegal_characters_are_replaced_not_fatal():
    assert clean_text("a\x00b\x1fc\x0bd").text == "a\ufffdb\ufffdc\ufffdd"
    assert roundtrip(["x\x01y"])[0].value == "x\ufffdy"


def test_text_is_capped_at_the_excel_limit():
    long = clean_text("é" * (MAX_CELL_CHARS + 10)).text
    assert len(long) == MAX_CELL_CHARS
    assert long.endswith("…")
    assert len(roundtrip(["z" * 40_000])[0].value) == MAX_CELL_CHARS
