"""Fuzzing the one safe writer (exports.cells) and the workbook built on it:
arbitrary text never becomes a formula, an error cell or a crash, and reads back
(openpyxl, the csv module) as the same text after the documented normalisation:
characters a workbook cannot hold replaced, the length capped (clean_text), and
line ends as XML reads them (CR LF and a lone CR become LF).

Deterministic (derandomize) and bounded, so a CI run is repeatable.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from exports.cells import (
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    TRUNCATION_MARK,
    clean_text,
    csv_row,
    needs_quote,
    safe_row,
)
from tests.unit.test_workbook import LABELS, build, model

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Every character but lone surrogates, which no browser can send in a form
# (tests/data/hostile_strings says why); formula triggers and error words are
# made likely rather than left to chance.
_ANY = st.text(st.characters(exclude_categories=("Cs",)), max_size=200)
_RISKY = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from([*FORMULA_TRIGGERS, "#", "'", " ", "\x00", "\ufeff", "＝"]),
    _ANY,
)
_ERRORS = st.sampled_from(["#N/A", "#ref!", "#DIV/0!", "#VALUE!", "#NAME?", "#NULL!", "#SPILL!"])
_LONG = st.builds(lambda c, n: c * n, st.sampled_from(["a", "=", "é", "🙂"]), st.just(32_770))
TEXTS = st.one_of(_ANY, _RISKY, _ERRORS, _LONG)
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _read_back(values: list[object]) -> list:
    """`values` as one row of a workbook, written and read back: one cell each."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("S")
    # A last cell that is there, so that trailing empty cells are read back too.
    sheet.append(safe_row(sheet, [*values, "end"]))
    buffer = io.BytesIO()
    book.save(buffer)
    _assert_no_formula_or_error(buffer.getvalue())
    return next(iter(load_workbook(buffer)["S"].iter_rows(max_row=1)))[:-1]


def _assert_no_formula_or_error(content: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode("utf-8")
                # Element tags only: the text itself may spell '<f>'.
                assert not re.search(r"<f[ >]", xml), name
                assert not re.search(r'<c [^>]*t="(e|str)"', xml), name


def _as_xml_reads(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


@FUZZ
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_any_text_is_a_text_cell_holding_the_same_text(texts):
    cells = _read_back(list(texts))
    for text, cell in zip(texts, cells, strict=True):
        expected = clean_text(text)
        if not expected.text:
            assert cell.value is None
            continue
        assert cell.data_type == "s", repr(text)
        assert cell.value == _as_xml_reads(expected.text), repr(text)
        assert bool(cell.quotePrefix) == expected.needs_quote, repr(text)


@FUZZ
@given(
    values=st.lists(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(min_value=-(2**53), max_value=2**53),
            st.floats(allow_nan=True, allow_infinity=True),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_numbers_stay_numbers_and_no_value_breaks_the_file(values):
    cells = _read_back(list(values))
    for value, cell in zip(values, cells, strict=True):
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            assert cell.value is None
        elif isinstance(value, bool):
            assert cell.value is value
        else:
            assert cell.data_type == "n"
            # A spreadsheet holds 15 significant digits; openpyxl writes that many.
            assert math.isclose(cell.value, value, rel_tol=1e-14), value


@FUZZ
@given(texts=st.lists(TEXTS, min_size=1, max_size=4))
def test_any_text_in_csv_reads_back_quoted_where_a_spreadsheet_would_run_it(texts):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, dialect="excel", lineterminator="\r\n").writerow(csv_row(list(texts)))
    [row] = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    for text, written in zip(texts, row, strict=True):
        expected = clean_text(text)
        assert not ILLEGAL.search(written), repr(text)
        if expected.needs_quote:
            assert written.startswith("'"), repr(text)
            assert len(written) <= MAX_CELL_CHARS
            # The apostrophe takes one character of the cap: the text may lose one more.
            kept = written[1:]
            if kept != expected.text:
                assert kept.endswith(TRUNCATION_MARK)
                assert expected.text.startswith(kept[: -len(TRUNCATION_MARK)]), repr(text)
        else:
            assert written == expected.text, repr(text)
            assert not needs_quote(written)


WORKBOOK = settings(FUZZ, max_examples=25)


@WORKBOOK
@given(texts=st.lists(TEXTS, min_size=3, max_size=12), rows=st.lists(TEXTS, max_size=5))
def test_a_workbook_of_any_text_opens_with_no_formula_and_the_responses_as_typed(texts, rows):
    """Every text field of the strategy workbook's model and every response cell
    from the fuzzed texts, a few rows of them."""
    supply = iter(texts * 200)
    data = model(text=lambda _default: next(supply), many=lambda _default: tuple(texts))
    responses = [(number, text, text, "") for number, text in enumerate(rows, 1)]
    content = build(data, LABELS, responses)
    _assert_no_formula_or_error(content)
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    cells = list(sheet.iter_rows(min_row=2, max_col=2))
    assert len(cells) == len(rows)
    for row, text in zip(cells, rows, strict=True):
        expected = clean_text(text).text
        assert row[1].value == (_as_xml_reads(expected) if expected else None), repr(text)
