"""`consult text`: the text-analysis engine on any file of answers. Pure code.

    consult text themes FILE.csv --column COL              suggested themes as JSON
    consult text code FILE.csv --column COL --codebook CODEBOOK.json --out CODED.csv
    consult text redact < IN.txt > OUT.txt                 personal data replaced

CSV files are read as Excel writes them: UTF-8 with or without a byte-order mark,
separated by commas or (as Nordic Excel does) semicolons, found from the header.
Rows are streamed, so a file of any length is read in constant memory (`themes`
keeps the features of each answer, not its text). The coded file keeps every
column and row of the input, in order, and adds (or refreshes) `themes`,
`sentiment` and `language`; it is written to a temporary file that replaces the
output only when complete, so a failure leaves no half-written file behind.

Bad input (a missing file or column, a codebook that does not parse, text that is
not UTF-8) is reported on stderr with exit status 2. The messages are English: a
command line for analysts has no request locale to translate into.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, TextIO

from analysis.codebook import CodebookError, parse_codebook
from analysis.coder import Coder
from analysis.redact import redact
from analysis.text import SENTIMENT_LANGUAGES, analyse_many
from analysis.themes import suggest_themes
from exports.cells import clean_text

EXIT_BAD_INPUT = 2
ADDED_COLUMNS = ("themes", "sentiment", "language")
_BATCH = 1_000
# A cell may hold a long testimony; csv's default limit (128 KiB) is too small for some exports.
_FIELD_LIMIT = 16 * 1024 * 1024


class BadInput(Exception):
    """Input the command cannot use; the message says what and where."""


@dataclass(frozen=True)
class _Table:
    header: list[str]
    column: int
    dialect: type[csv.Dialect] | csv.Dialect
    bom: bool


def _delimiter(first_line: str) -> str:
    """The separator the header uses: Excel writes ';' where ',' is the decimal mark."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _find_column(header: list[str], wanted: str, path: Path) -> int:
    if wanted in header:
        return header.index(wanted)
    # Spreadsheets add stray spaces and capitals; accept one unambiguous match.
    loose = [i for i, name in enumerate(header) if name.strip().casefold() == wanted.casefold()]
    if len(loose) == 1:
        return loose[0]
    names = ", ".join(repr(name) for name in header) or "none"
    raise BadInput(f"{path}: no column {wanted!r}; the columns are: {names}")


def _lines(handle: IO[bytes], path: Path) -> Iterator[str]:
    """The file's lines as text, each decoded on its own so an error names its line."""
    for number, raw in enumerate(handle, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise BadInput(_not_utf8(path, number)) from None
        yield line.removeprefix("\ufeff") if number == 1 else line


@contextmanager
def _open_csv(path: Path, column: str) -> Iterator[tuple[_Table, Iterator[list[str]]]]:
    """The table's header and a stream of its data rows."""
    csv.field_size_limit(_FIELD_LIMIT)
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a directory, not a CSV file") from None
    except OSError as error:
        raise BadInput(f"{path}: cannot be read ({error.strerror})") from None
    with handle:
        bom = handle.read(3) == b"\xef\xbb\xbf"
        handle.seek(0)
        lines = _lines(handle, path)
        first = next(lines, "")
        reader = csv.reader(chain([first], lines), delimiter=_delimiter(first))
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise BadInput(f"{path}, line 1: {error}") from None
        if not header:
            raise BadInput(f"{path}: the file is empty; the first row must name the columns")
        table = _Table(header, _find_column(header, column, path), reader.dialect, bom)

        def rows() -> Iterator[list[str]]:
            try:
                for row in reader:
                    if row:  # csv gives [] for a blank line; it is no answer
                        yield row
            except csv.Error as error:
                raise BadInput(f"{path}, line {reader.line_num}: {error}") from None

        yield table, rows()


def _not_utf8(path: Path, line: int) -> str:
    return (
        f'{path}, line {line}: not UTF-8 text; in Excel, save it as "CSV UTF-8 (Comma delimited)"'
    )


def _answer(row: list[str], table: _Table) -> str:
    return row[table.column].strip() if table.column < len(row) else ""


def _safe(value: str) -> str:
    """A cell as the one safe writer allows it: no formula a spreadsheet would run."""
    cleaned = clean_text(value)
    if cleaned.needs_quote and not _is_number(cleaned.text):
        return "'" + cleaned.text
    return cleaned.text


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


# --- themes -----------------------------------------------------------------------------------


def themes(path: Path, column: str, out: TextIO, *, max_themes: int, min_size: int) -> int:
    """Print the candidate themes of a file's answers as JSON; returns the answers read."""
    with _open_csv(path, column) as (table, rows):
        keys: list[int] = []

        def texts() -> Iterator[tuple[str, None]]:
            for number, row in enumerate(rows, start=2):  # row 1 is the header
                text = _answer(row, table)
                if text:
                    keys.append(number)
                    yield text, None

        # The features of every answer are kept (small); the texts are read again below.
        answers = [(str(keys[i]), f) for i, f in enumerate(analyse_many(texts()))]
    found = suggest_themes(answers, max_themes=max_themes, min_size=min_size)
    wanted = {int(key) for theme in found for key in theme.example_keys}
    examples: dict[int, str] = {}
    with _open_csv(path, column) as (table, rows):
        for number, row in enumerate(rows, start=2):
            if number in wanted:
                # Planners see answers only with personal data taken out.
                examples[number] = redact(_answer(row, table)).text
    document = {
        "file": str(path),
        "column": table.header[table.column],
        "answers": len(answers),
        "themes": [
            {
                "key": theme.key,
                "label": theme.label,
                "size": theme.size,
                "lemmas": list(theme.lemmas),
                "noun_phrases": list(theme.noun_phrases),
                "languages": list(theme.languages),
                "examples": [
                    {"row": int(key), "text": examples[int(key)]} for key in theme.example_keys
                ],
            }
            for theme in found
        ],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return len(answers)


# --- code -------------------------------------------------------------------------------------


def _load_coder(codebook_path: Path) -> Coder:
    try:
        data = codebook_path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{codebook_path}: no such file") from None
    except OSError as error:
        raise BadInput(f"{codebook_path}: cannot be read ({error.strerror})") from None
    try:
        return Coder.from_codebook(parse_codebook(data))
    except CodebookError as error:
        raise BadInput(f"{codebook_path}: {error}") from None


@contextmanager
def _replacing(out_path: Path, *, bom: bool) -> Iterator[IO[str]]:
    """A text file that becomes `out_path` only if the block completes."""
    directory = out_path.parent if str(out_path.parent) else Path()
    if not directory.is_dir():
        raise BadInput(f"{out_path}: the folder {directory} does not exist")
    descriptor, temporary = tempfile.mkstemp(
        dir=directory, prefix=f".{out_path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(
            descriptor, "w", encoding="utf-8-sig" if bom else "utf-8", newline=""
        ) as handle:
            yield handle
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def code(path: Path, column: str, codebook_path: Path, out_path: Path) -> tuple[int, int]:
    """Write the file back with themes, sentiment and language; returns (answers, coded)."""
    coder = _load_coder(codebook_path)
    answers = coded = 0
    with _open_csv(path, column) as (table, rows):
        header = list(table.header)
        # Coding a coded file again refreshes its columns instead of adding more.
        positions = []
        for name in ADDED_COLUMNS:
            if name not in header:
                header.append(name)
            positions.append(header.index(name))
        with _replacing(out_path, bom=table.bom) as handle:
            writer = csv.writer(handle, dialect=table.dialect, lineterminator="\r\n")
            writer.writerow([_safe(name) for name in header])
            while batch := list(islice(rows, _BATCH)):
                texts = [_answer(row, table) for row in batch]
                features = list(analyse_many((text, None) for text in texts))
                suggestions = coder.suggest_many(zip(texts, features, strict=True))
                for row, text, found, feature in zip(
                    batch, texts, suggestions, features, strict=True
                ):
                    row = row + [""] * (len(header) - len(row))
                    if text:
                        answers += 1
                        coded += bool(found)
                    sentiment = ""
                    if feature.language in SENTIMENT_LANGUAGES and feature.polarity is not None:
                        sentiment = f"{feature.polarity:.3f}"
                    values = (
                        ";".join(s.theme_id for s in found),
                        sentiment,
                        feature.language or "",
                    )
                    for position, value in zip(positions, values, strict=True):
                        row[position] = value
                    writer.writerow([_safe(cell) for cell in row])
    return answers, coded


# --- redact -----------------------------------------------------------------------------------


def redact_lines(source: TextIO, target: TextIO) -> int:
    """Copy `source` to `target` line by line with personal data replaced; returns lines."""
    count = 0
    for line in source:
        body = line.rstrip("\r\n")
        target.write(redact(body).text + line[len(body) :])
        count += 1
    return count


# --- the command ------------------------------------------------------------------------------


def run(
    args: argparse.Namespace,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one `consult text` subcommand (parsed by consult/cli.py); returns the exit status."""
    stderr = stderr or sys.stderr
    try:
        if args.text_command == "redact":
            # Bytes that are not UTF-8 pass through unchanged rather than stop the copy.
            source = stdin or io.TextIOWrapper(
                sys.stdin.buffer, encoding="utf-8", errors="surrogateescape", newline=""
            )
            target = stdout or io.TextIOWrapper(
                sys.stdout.buffer, encoding="utf-8", errors="surrogateescape", newline=""
            )
            redact_lines(source, target)
            target.flush()
        elif args.text_command == "themes":
            if args.max_themes < 1 or args.min_size < 1:
                raise BadInput("--max-themes and --min-size must be at least 1")
            themes(
                args.file,
                args.column,
                stdout or sys.stdout,
                max_themes=args.max_themes,
                min_size=args.min_size,
            )
        elif args.text_command == "code":
            answers, coded = code(args.file, args.column, args.codebook, args.out)
            print(f"Coded {coded} of {answers} answers into {args.out}.", file=stderr)
    except BadInput as error:
        print(f"consult text {args.text_command}: {error}", file=stderr)
        return EXIT_BAD_INPUT
    return 0
