"""`consult export` for operators: a survey's export written to a file, from a
shell, with a progress bar and an audit row."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.fixtures import consult_cli, send_survey

SLUG = "oslo-cli-export"
RESPONSES = 6


@pytest.fixture(scope="module")
def survey(make_survey, client):
    survey = make_survey(SLUG)
    for number in range(RESPONSES):
        sent = send_survey(
            client,
            survey.submit_url,
            {
                f"q{survey.question_ids['single']}": str(survey.option_ids["single"][1]),
                f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
                f"q{survey.question_ids['text']}": f"cli answer {number}",
            },
        )
        assert sent.status_code == 303
    return survey


def consult_export(*args: str) -> subprocess.CompletedProcess[str]:
    """`consult export ARGS` in a child process on this module's database."""
    return consult_cli("export", *args)


def test_a_csv_export_has_every_response(survey, tmp_path: Path, run):
    from consult.tables import AuditEvent

    out = tmp_path / "oslo.csv"
    done = consult_export(SLUG, "--format", "csv", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    assert f"{RESPONSES} responses" in done.stdout
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert len(rows) == RESPONSES + 1
    assert {f"cli answer {n}" for n in range(RESPONSES)} <= {v for row in rows for v in row}
    # Not a terminal: plain progress lines, no carriage returns.
    assert "\r" not in done.stderr
    assert f"100% {RESPONSES}/{RESPONSES}" in done.stderr.splitlines()[-1]
    events = run(
        AuditEvent.select(AuditEvent.actor, AuditEvent.detail, AuditEvent.object_id)
        .where((AuditEvent.action == "export_csv") & (AuditEvent.is_export == True))  # noqa: E712
        .run
    )
    assert {"actor": None, "detail": "cli", "object_id": survey.survey_id} in events
    assert not list(tmp_path.glob(".*partial"))


def test_a_workbook_by_consultation_id_and_survey(survey, tmp_path: Path):
    out = tmp_path / "oslo.xlsx"
    done = consult_export(
        str(survey.consultation_id),
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--survey",
        str(survey.survey_id),
        "--locale",
        "en",
    )
    assert done.returncode == 0, done.stderr
    workbook = load_workbook(out)
    texts = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    assert "cli answer 0" in texts


def test_an_unknown_consultation_exits_2_with_a_message(survey, tmp_path: Path):
    out = tmp_path / "nothing.csv"
    done = consult_export("no-such-consultation", "--format", "csv", "--out", str(out))
    assert done.returncode == 2
    assert "no consultation with the slug or id 'no-such-consultation'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_a_survey_of_another_consultation_exits_2(survey, tmp_path: Path):
    done = consult_export(
        SLUG, "--format", "csv", "--out", str(tmp_path / "x.csv"), "--survey", "999999"
    )
    assert done.returncode == 2
    assert "has no survey 999999" in done.stderr


def test_an_unknown_language_exits_2(survey, tmp_path: Path):
    done = consult_export(
        SLUG, "--format", "csv", "--out", str(tmp_path / "x.csv"), "--locale", "xx"
    )
    assert done.returncode == 2
    assert "no language 'xx'" in done.stderr


def test_an_existing_file_is_kept_unless_forced(survey, tmp_path: Path):
    out = tmp_path / "kept.csv"
    out.write_text("do not lose me")
    refused = consult_export(SLUG, "--format", "csv", "--out", str(out))
    assert refused.returncode == 2
    assert "exists; add --force" in refused.stderr
    assert out.read_text() == "do not lose me"
    forced = consult_export(SLUG, "--format", "csv", "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "cli answer" in out.read_text(encoding="utf-8-sig")


def test_the_progress_bar_on_a_terminal_redraws_in_place():
    import asyncio

    from consult.cli import _ProgressBar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = _ProgressBar(stream)
    asyncio.run(bar(40_000, 100_000))
    asyncio.run(bar(41_000, 100_000))  # within a tenth of a second: not redrawn
    bar.finish(100_000)
    drawn = stream.getvalue()
    assert drawn.startswith("\r[" + "#" * 12 + " " * 18 + "]  40% 40,000/100,000")
    assert drawn.count("\r") == 2
    assert drawn.endswith("100% 100,000/100,000\n")
