"""Responses as CSV: read back with the csv module, as Excel would import them."""

from __future__ import annotations

import csv
import io

from exports.cells import clean_text
from exports.csv import CsvWriter, csv_chunks
from tests.data.hostile_strings import HOSTILE

HEADER = ("Response", "Channel", "What should the city do?")


def read(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "no byte-order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def write(rows, batches=1) -> bytes:
    target = io.BytesIO()
    writer = CsvWriter(HEADER, target)
    size = max(1, len(rows) // batches)
    for start in range(0, len(rows), size):
        writer.append(rows[start : start + size])
    writer.close()
    return target.getvalue()


def test_header_and_rows_round_trip_with_crlf_and_a_bom():
    content = write([(1, "web", "More light"), (2, "paper", 'He said "no", twice\nthen left')])
    assert content.startswith(b"\xef\xbb\xbfResponse,Channel,What should the city do?\r\n")
    assert content.endswith(b"\r\n")
    assert read(content) == [
        list(HEADER),
        ["1", "web", "More light"],
        ["2", "paper", 'He said "no", twice\nthen left'],
    ]


def test_formula_like_text_and_error_words_get_a_leading_apostrophe():
    rows = [
        (n, text, text)
        for n, text in enumerate(
            ["=1+1", "+1", "-1", "@SUM(1)", "\t=1", "\r=1", "#N/A", "#ref!", "ok", "#1"]
        )
    ]
    got = [row[1] for row in read(write(rows))[1:]]
    assert got == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(1)",
        "'\t=1",
        "'\r=1",
        "'#N/A",
        "'#ref!",
        "ok",
        "#1",
    ]


def test_numbers_none_and_odd_floats():
    got = read(write([(1, None, 2.5), (2, float("nan"), float("inf")), (3, True, -4)]))[1:]
    assert got == [["1", "", "2.5"], ["2", "", ""], ["3", "True", "-4"]]


def test_every_hostile_string_survives_safely():
    rows = [(n, text, text) for n, text in enumerate(HOSTILE, 1)]
    content = write(rows, batches=7)
    got = read(content)
    assert got[0] == list(HEADER)
    assert len(got) == len(HOSTILE) + 1
    for line, text in zip(got[1:], HOSTILE, strict=True):
        value = line[1]
        cleaned = clean_text(text)
        if cleaned.needs_quote:
            assert value.startswith("'"), repr(text)
            assert cleaned.text.startswith(value[1:].removesuffix("…")), repr(text)
        else:
            assert value == cleaned.text, repr(text)
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), repr(text)
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in value), repr(text)
        assert len(value) <= 32_767


def test_a_text_file_works_too_and_chunks_give_the_same_bytes():
    rows = [(1, "web", "=cmd|' /C calc'!A0"), (2, "kiosk", "Takk")]
    text = io.StringIO(newline="")
    writer = CsvWriter(HEADER, text)
    writer.append(rows)
    writer.close()
    chunks = list(csv_chunks(HEADER, [rows[:1], rows[1:]]))
    assert len(chunks) == 3
    assert b"".join(chunks) == write(rows) == text.getvalue().encode("utf-8")
