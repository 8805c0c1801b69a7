"""The one safe writer: text stays text, illegal characters go, length is capped,
and the fast path (plain values) is taken only where openpyxl would write text."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, Cell

from exports.cells import (
    ERROR_LITERALS,
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    clean_text,
    csv_value,
    needs_quote,
    safe_row,
)
from tests.data.hostile_strings import HOSTILE

EXCEL_ERRORS = ["#N/A", "#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#NUM!"]


def save(values) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    sheet.append(safe_row(sheet, values))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def roundtrip(values):
    return next(iter(load_workbook(io.BytesIO(save(values)))["S"].iter_rows()))


def sheet_xml(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode("utf-8")


def test_formula_like_text_is_stored_as_quoted_text():
    cells = roundtrip(["=1+1", "+1", "-1", "@A1", "\t=1", "ok"])
    assert [c.value for c in cells] == ["=1+1", "+1", "-1", "@A1", "\t=1", "ok"]
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [True] * 5 + [False]


def test_error_words_stay_the_text_typed():
    """A resident who types #N/A gets the text #N/A, not an error cell: openpyxl
    would write every one of its ERROR_CODES as t="e" (found bug)."""
    words = [*EXCEL_ERRORS, "#GETTING_DATA", "#n/a", "#SPILL!"]
    content = save(words)
    xml = sheet_xml(content)
    assert not re.search(r'<c [^>]*t="e"', xml)
    assert "<f" not in xml
    cells = roundtrip(words)
    assert [c.value for c in cells] == words
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_every_openpyxl_error_code_is_protected():
    """If a newer openpyxl learns a new error code, the rule must know it too."""
    assert set(ERROR_CODES) <= ERROR_LITERALS
    assert all(needs_quote(code) and needs_quote(code.lower()) for code in ERROR_CODES)


def test_near_misses_are_plain_text():
    for text in ("#NA", "N/A", "#", "#1 priority", "#REF", "a#N/A", "#N/A!"):
        assert not needs_quote(text), text
        assert safe_row(None, [text]) == [text]


def test_numbers_stay_numbers():
    cells = roundtrip([5, -2, 1.5, None, True])
    assert [c.value for c in cells[:3]] == [5, -2, 1.5]
    assert cells[0].data_type == "n"


def test_nan_and_infinity_are_left_empty_not_written_as_nan():
    """openpyxl would write <v>nan</v>, which Excel repairs."""
    assert safe_row(None, [float("nan"), float("inf"), -float("inf"), 1.0]) == [
        None,
        None,
        None,
        1.0,
    ]


def test_clean_values_pass_through_unchanged():
    """The fast path: nothing to protect, so no cell object (openpyxl appends
    plain values much faster)."""
    values = ["ok", 1, None, 2.5, "Takk fyrir", "", "a=b", "1+1", "x-1", "e@x"]
    row = safe_row(None, values)
    assert row == values
    assert all(a is b for a, b in zip(row, values, strict=True))


def test_other_types_become_text():
    class Thing:
        def __str__(self):
            return "=thing"

    (cell,) = roundtrip([Thing()])
    assert (cell.value, cell.data_type, bool(cell.quotePrefix)) == ("=thing", "s", True)


def test_illegal_characters_are_replaced_not_fatal():
    assert clean_text("a\x00b\x1fc\x0bd").text == "a\ufffdb\ufffdc\ufffdd"
    assert roundtrip(["x\x01y"])[0].value == "x\ufffdy"
    assert clean_text("lone \ud800 surrogate").text == "lone \ufffd surrogate"
    assert roundtrip(["lone \udfff"])[0].value == "lone \ufffd"


def test_text_is_capped_at_the_excel_limit():
    long = clean_text("é" * (MAX_CELL_CHARS + 10)).text
    assert len(long) == MAX_CELL_CHARS
    assert long.endswith("…")
    assert len(roundtrip(["z" * 40_000])[0].value) == MAX_CELL_CHARS


@pytest.fixture(scope="module")
def sheet():
    return Workbook(write_only=True).create_sheet("S")


def test_the_fast_path_is_taken_only_where_openpyxl_writes_text(sheet):
    """For every hostile string: either the safe writer hands openpyxl the very
    string, and openpyxl's own type inference (Cell._bind_value) makes it a plain
    text cell; or it hands over a cell forced to text with the quote prefix."""
    for text in HOSTILE:
        (value,) = safe_row(sheet, [text])
        if isinstance(value, Cell):
            assert value.data_type == "s", repr(text)
            assert value.quotePrefix, repr(text)
            assert needs_quote(text), repr(text)
            continue
        assert value == clean_text(text).text, repr(text)
        if value:
            bound = WriteOnlyCell(sheet, value=value)  # raises on an illegal character
            assert bound.data_type == "s", repr(text)
        assert not needs_quote(value), repr(text)


def test_the_rule_covers_every_trigger_and_every_error_word():
    for text in HOSTILE:
        cleaned = clean_text(text)
        expected = cleaned.text.startswith(FORMULA_TRIGGERS) or (
            cleaned.text.upper() in ERROR_LITERALS
        )
        assert cleaned.needs_quote == expected, repr(text)


def test_the_whole_corpus_saves_as_text_with_no_formula_and_no_error():
    content = save(list(HOSTILE))
    xml = sheet_xml(content)
    assert not re.search(r"<f[ >]", xml)
    assert not re.search(r'<c [^>]*t="(e|str|n|b)"', xml)
    cells = next(iter(load_workbook(io.BytesIO(content))["S"].iter_rows()))
    assert all(cell.data_type == "s" for cell in cells if cell.value is not None)


def test_csv_uses_the_same_rule():
    for text in HOSTILE:
        value = csv_value(text)
        assert isinstance(value, str)
        assert value.startswith("'") == needs_quote(clean_text(text).text) or (
            text.startswith("'") and not needs_quote(text)
        ), repr(text)
    assert csv_value("#N/A") == "'#N/A"
    assert csv_value("=1+1") == "'=1+1"
    assert csv_value("a\x00") == "a\ufffd"
    assert len(csv_value("=" * 40_000)) == MAX_CELL_CHARS
    assert csv_value(3) == 3
