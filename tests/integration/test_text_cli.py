"""`consult text` as an analyst runs it: the installed console script on files."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CONSULT = Path(sys.executable).parent / "consult"
DEMO_CODEBOOK = ROOT / "analysis" / "demo_codebook.json"

ANSWERS = [
    "I feel unsafe on the bus at night.",
    "The bus stop near my home is dark at night, call me on 555 1234.",
    "Waiting for the night bus is scary, there is no street lighting.",
    "At night on the bus people harass women.",
    "People post hateful comments online about refugees.",
    "Online comments about Muslims are horrible.",
    "My daughter was harassed online and the comments were cruel.",
    "I reported the attack to the police but nothing happened.",
    "Ég er hrædd í strætó á kvöldin.",
    "Strætó á kvöldin er óöruggur, menn áreita konur.",
    "Það er myrkur við biðskýlið og strætó kemur seint á kvöldin.",
    "The library has good opening hours.",
]


def consult(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    return subprocess.run(
        [str(CONSULT), "text", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def write_csv(path: Path, rows: list[list[str]], *, delimiter=",", bom=False) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def read_csv(path: Path, *, delimiter=",") -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    """Answers as Nordic Excel saves them: semicolons, a byte-order mark, a district column."""
    rows = [["id", "Answer", "district"]]
    rows += [[str(i), text, "Breiðholt"] for i, text in enumerate(ANSWERS, start=1)]
    rows.append(["99", "", "Vesturbær"])  # no answer
    return write_csv(tmp_path / "answers.csv", rows, delimiter=";", bom=True)


# --- themes ---


def test_themes_prints_suggested_themes_as_json_with_redacted_examples(answers_csv):
    result = consult("themes", str(answers_csv), "--column", "Answer")
    assert result.returncode == 0, result.stderr.decode()
    document = json.loads(result.stdout)
    assert document["answers"] == len(ANSWERS)
    themes = {theme["key"]: theme for theme in document["themes"]}
    night = next(theme for theme in themes.values() if "bus" in theme["lemmas"])
    assert night["size"] == 4
    assert night["languages"] == ["en"]
    icelandic = next(theme for theme in themes.values() if "strætó" in theme["lemmas"])
    assert icelandic["languages"] == ["is"]
    assert icelandic["size"] == 3
    examples = [example["text"] for theme in themes.values() for example in theme["examples"]]
    assert any("[phone]" in text for text in examples)
    assert not any("555 1234" in text for text in examples)
    rows = {example["row"] for example in night["examples"]}
    assert rows <= {2, 3, 4, 5}  # the spreadsheet's row numbers, header on row 1


def test_themes_options_limit_what_is_printed(answers_csv):
    result = consult("themes", str(answers_csv), "--column", "answer", "--max-themes", "1")
    assert result.returncode == 0, result.stderr.decode()
    assert len(json.loads(result.stdout)["themes"]) == 1


# --- code ---


def test_code_writes_every_column_and_row_back_with_themes_sentiment_and_language(
    answers_csv, tmp_path
):
    out = tmp_path / "coded.csv"
    result = consult(
        "code",
        str(answers_csv),
        "--column",
        "Answer",
        "--codebook",
        str(DEMO_CODEBOOK),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr.decode()
    assert b"Coded" in result.stderr
    assert result.stdout == b""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # Excel still reads it as UTF-8
    rows = read_csv(out, delimiter=";")
    assert rows[0] == ["id", "Answer", "district", "themes", "sentiment", "language"]
    body = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert len(body) == len(ANSWERS) + 1
    assert [row[1] for row in rows[1:-1]] == ANSWERS  # the answers, unchanged and in order
    assert body["1"]["themes"] == "unsafe-night-transport"
    assert body["1"]["language"] == "en"
    assert float(body["3"]["sentiment"]) < 0  # "scary"
    assert "online-hate" in body["5"]["themes"].split(";")
    assert "reporting-trust-police" in body["8"]["themes"].split(";")
    assert body["9"]["themes"] == "unsafe-night-transport"  # strætó*, kvöld*
    assert body["9"]["language"] == "is"
    assert body["9"]["sentiment"] == ""  # sentiment is English only
    assert body["12"]["themes"] == ""
    assert body["99"] == {
        "id": "99",
        "Answer": "",
        "district": "Vesturbær",
        "themes": "",
        "sentiment": "",
        "language": "",
    }


def test_coding_a_coded_file_again_refreshes_its_columns(answers_csv, tmp_path):
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    common = ("--column", "Answer", "--codebook", str(DEMO_CODEBOOK))
    assert consult("code", str(answers_csv), *common, "--out", str(first)).returncode == 0
    assert consult("code", str(first), *common, "--out", str(second)).returncode == 0
    assert read_csv(second, delimiter=";") == read_csv(first, delimiter=";")


def test_codebook_examples_train_the_coder(tmp_path):
    codebook = {
        "themes": [
            {
                "id": "lights",
                "label": "Street lights",
                "keywords": [],
                "examples": ["The lamps in our street are broken."],
            }
        ]
    }
    (tmp_path / "codebook.json").write_text(json.dumps(codebook), encoding="utf-8")
    source = write_csv(
        tmp_path / "in.csv", [["text"], ["The lamps in our street are broken."], ["Fine."]]
    )
    out = tmp_path / "out.csv"
    result = consult(
        "code",
        str(source),
        "--column",
        "text",
        "--codebook",
        "codebook.json",
        "--out",
        "out.csv",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert [row[1] for row in read_csv(out)[1:]] == ["lights", ""]


def test_a_cell_a_spreadsheet_would_run_is_written_as_text(tmp_path):
    source = write_csv(
        tmp_path / "in.csv",
        [["answer", "note"], ['=HYPERLINK("http://x")', "-3"], ["ok", "@SUM(A1)"]],
    )
    out = tmp_path / "out.csv"
    result = consult(
        "code",
        str(source),
        "--column",
        "answer",
        "--codebook",
        str(DEMO_CODEBOOK),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr.decode()
    rows = read_csv(out)
    assert rows[1][:2] == ['\'=HYPERLINK("http://x")', "-3"]  # a number stays a number
    assert rows[2][1] == "'@SUM(A1)"


def test_a_long_file_is_coded_row_by_row(tmp_path):
    rows = [["n", "answer"]] + [[str(i), ANSWERS[i % len(ANSWERS)]] for i in range(3_000)]
    source = write_csv(tmp_path / "long.csv", rows)
    out = tmp_path / "out.csv"
    result = consult(
        "code",
        str(source),
        "--column",
        "answer",
        "--codebook",
        str(DEMO_CODEBOOK),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr.decode()
    coded = read_csv(out)
    assert len(coded) == 3_001
    assert [row[0] for row in coded[1:]] == [str(i) for i in range(3_000)]
    assert coded[1][2] == "unsafe-night-transport"


# --- bad input: a clear message, exit status 2, no output file ---


def code_args(source: Path, out: Path, *, column="Answer", codebook=DEMO_CODEBOOK):
    return ("code", str(source), "--column", column, "--codebook", str(codebook), "--out", str(out))


def assert_refused(result, *phrases: str) -> None:
    assert result.returncode == 2
    assert result.stdout == b""
    message = result.stderr.decode()
    for phrase in phrases:
        assert phrase in message
    assert "Traceback" not in message


def test_a_missing_file_is_refused(tmp_path):
    out = tmp_path / "out.csv"
    assert_refused(consult(*code_args(tmp_path / "nope.csv", out)), "nope.csv: no such file")
    assert_refused(consult("themes", str(tmp_path / "nope.csv"), "--column", "a"), "no such file")
    assert not out.exists()


def test_a_missing_column_is_refused_with_the_columns_there_are(answers_csv, tmp_path):
    out = tmp_path / "out.csv"
    result = consult(*code_args(answers_csv, out, column="svar"))
    assert_refused(result, "no column 'svar'", "'id', 'Answer', 'district'")
    assert not out.exists()


def test_a_bad_codebook_is_refused_and_an_earlier_output_is_kept(answers_csv, tmp_path):
    codebook = tmp_path / "codebook.json"
    codebook.write_text('{"themes": [{"id": "a", "label": "A", "keywords": [3]}]}')
    out = tmp_path / "out.csv"
    out.write_text("earlier\n")
    result = consult(*code_args(answers_csv, out, codebook=codebook))
    assert_refused(result, "codebook.json: themes[0].keywords[0]: must be text")
    assert out.read_text() == "earlier\n"
    missing = consult(*code_args(answers_csv, out, codebook=tmp_path / "none.json"))
    assert_refused(missing, "none.json: no such file")


def test_a_file_that_is_not_utf8_is_refused_and_nothing_is_left_behind(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes("answer\nfine\nStrætó á kvöldin\n".encode("latin-1"))
    out = tmp_path / "out.csv"
    assert_refused(consult(*code_args(source, out, column="answer")), "line 3", "not UTF-8")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["latin1.csv"]  # no temp file


def test_an_output_folder_that_does_not_exist_is_refused(answers_csv, tmp_path):
    result = consult(*code_args(answers_csv, tmp_path / "no" / "out.csv"))
    assert_refused(result, "does not exist")


# --- redact ---


def test_redact_copies_stdin_to_stdout_line_by_line_without_personal_data():
    text = (
        "Call me on +354 555 1234 or write to anna@example.is\r\n"
        "In 2023 about 1 500 people came.\n"
        "\n"
        "Kennitala 120174-3389, no newline at the end"
    )
    result = consult("redact", stdin=text.encode("utf-8"))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines(keepends=True)
    assert lines[0] == "Call me on [phone] or write to [email]\r\n"
    assert lines[1] == "In 2023 about 1 500 people came.\n"  # ordinary numbers stay
    assert lines[2] == "\n"
    assert lines[3] == "Kennitala [id number], no newline at the end"
