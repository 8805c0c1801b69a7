"""Responses as CSV: UTF-8 with a byte-order mark (so Excel reads the letters
right), RFC 4180 quoting and CRLF line ends, every value through the same safe rule
as the workbook (exports.cells.csv_row): formula-like text and error words get a
leading apostrophe, characters a spreadsheet cannot hold are replaced, text is
capped at Excel's cell limit.

Streamed: write the header once, then append batches as they are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, BinaryIO, TextIO

from exports.cells import csv_row

BOM = "\ufeff"
ENCODING = "utf-8"


def _writer(out: TextIO) -> Any:  # csv's writer type is private (_csv._writer)
    return csv.writer(out, dialect="excel", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


class CsvWriter:
    """Rows onto a file: a binary one (encoded here) or a text one opened with
    newline="" (the caller chose its encoding; UTF-8 is expected). The header is
    written at once; close() flushes but leaves the file open for its owner."""

    def __init__(self, header: Sequence[str], target: BinaryIO | TextIO) -> None:
        if isinstance(target, io.TextIOBase):
            self._text: TextIO = target
            self._wrapper: io.TextIOWrapper | None = None
        else:
            self._wrapper = io.TextIOWrapper(
                target,  # type: ignore[arg-type]
                encoding=ENCODING,
                newline="",
                write_through=True,
            )
            self._text = self._wrapper
        self._text.write(BOM)
        self._csv = _writer(self._text)
        self._csv.writerow(csv_row(header))

    def append(self, rows: Iterable[Sequence[object]]) -> None:
        """One line per response, each value through the safe rule."""
        write = self._csv.writerow
        for values in rows:
            write(csv_row(values))

    def close(self) -> None:
        self._text.flush()
        if self._wrapper is not None:
            self._wrapper.detach()  # the binary file stays open for its owner


def csv_chunks(
    header: Sequence[str], batches: Iterable[Iterable[Sequence[object]]]
) -> Iterator[bytes]:
    """The same CSV as bytes, one chunk for the header and one per batch, for a
    streamed HTTP response."""
    buffer = io.StringIO(newline="")
    writer = _writer(buffer)
    buffer.write(BOM)
    writer.writerow(csv_row(header))
    yield buffer.getvalue().encode(ENCODING)
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        for values in batch:
            writer.writerow(csv_row(values))
        yield buffer.getvalue().encode(ENCODING)
