"""The strategy-input workbook a planner takes to the council, asked for on the
results page and written by the app's own background worker."""

from __future__ import annotations

import io
import re
import time

import pytest
from openpyxl import load_workbook

from tests.fixtures import post_form, send_survey, sign_in

HOSTILE = [
    # No address in it: exports redact links in free text, and the point here is
    # the formula.
    '=CMD|" /C calc"!A0',
    "@SUM(1)",
    "+1+1",
    "-2+3",
    # Stored as typed (control characters are removed on input), but XML cannot
    # carry it: the safe writer replaces it.
    "before\ufffeafter",
    "plain answer",
]


@pytest.fixture(scope="module")
def survey(make_survey, client):
    survey = make_survey("helsinki-export")
    single = survey.question_ids["single"]
    scale = survey.question_ids["scale"]
    text = survey.question_ids["text"]
    yes = survey.option_ids["single"][0]
    for answer in HOSTILE:
        response = send_survey(
            client,
            survey.submit_url,
            {
                f"q{single}": str(yes),
                f"q{scale}": str(survey.option_ids["scale"][2]),
                f"q{text}": answer,
            },
        )
        assert response.status_code == 303
    return survey


def export(client, survey_id: int, fmt: str = "xlsx"):
    """Ask for an export as the results page's button does, wait for the app's job
    worker to write it (the page says when), and download it."""
    asked = post_form(
        client,
        f"/staff/surveys/{survey_id}/results",
        f"/staff/surveys/{survey_id}/exports",
        {"format": fmt},
    )
    assert asked.status_code == 303
    job = asked.headers["location"]
    assert re.fullmatch(r"/staff/exports/\d+", job)
    deadline = time.monotonic() + 30
    while "Ready to download" not in (page := client.get(job).text):
        assert "Failed" not in page
        assert time.monotonic() < deadline, "the export did not finish within 30 s"
        time.sleep(0.2)
    return client.get(f"{job}/download")


@pytest.fixture(scope="module")
def workbook(client, make_staff, survey):
    make_staff("hanna.planner", "planner")
    assert sign_in(client, "hanna.planner").status_code == 303
    response = export(client, survey.survey_id)
    client.cookies.clear()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response.headers["content-disposition"]
    return load_workbook(io.BytesIO(response.content))


def test_workbook_opens_with_the_method_and_ends_with_the_responses(workbook, survey):
    names = workbook.sheetnames
    assert names[0] == "About this export"
    assert names[-1] == "Responses"
    for sheet in ("Indicators", "Cross-tabs", "Themes", "Findings and action plan"):
        assert sheet in names
    # One sheet per question, each named after it.
    assert sum(name.startswith("Q") for name in names) == len(survey.question_ids)


def test_cover_and_question_sheets_give_counts_and_shares(workbook):
    cover = [tuple(cell.value for cell in row) for row in workbook["About this export"].iter_rows()]
    assert ("Consultation", "Consultation helsinki-export") in [r[:2] for r in cover]
    assert ("Responses", len(HOSTILE)) in [r[:2] for r in cover]
    single = next(workbook[name] for name in workbook.sheetnames if name.startswith("Q1 "))
    rows = [tuple(cell.value for cell in row) for row in single.iter_rows()]
    yes = next(r for r in rows if r[0] == "Yes")
    assert yes[1] == len(HOSTILE)
    assert yes[2] == 1.0  # a share, formatted as a percentage


def test_every_answer_is_in_the_responses_sheet_as_text(workbook):
    sheet = workbook["Responses"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    column = next(i for i, title in enumerate(header) if "What should the city do?" in title)
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(HOSTILE)
    by_value = {cell.value: cell for cell in cells}
    for answer in HOSTILE:
        expected = answer.replace("\ufffe", "\ufffd")
        cell = by_value[expected]
        assert cell.data_type == "s", f"{answer!r} was not stored as text"
    for formula_like in HOSTILE[:4]:
        assert by_value[formula_like].quotePrefix, f"{formula_like!r} lacks the quote prefix"
    assert not by_value["plain answer"].quotePrefix


def test_no_cell_anywhere_is_a_formula(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


def test_exports_are_audited(run, workbook, survey):
    from consult.tables import AuditEvent

    events = run(
        AuditEvent.select(AuditEvent.action, AuditEvent.object_id)
        .where(AuditEvent.is_export == True)  # noqa: E712 (Piccolo builds SQL from ==)
        .run
    )
    assert {"action": "export_xlsx", "object_id": survey.survey_id} in events


def test_a_workbook_written_in_batches_has_every_response_once(
    client, make_staff, survey, monkeypatch
):
    """Exports read responses a batch at a time; rows must neither repeat nor go
    missing at the seams."""
    from analysis import services

    monkeypatch.setattr(services, "EXPORT_BATCH", 4)
    make_staff("batch.planner", "planner")
    sign_in(client, "batch.planner")
    response = export(client, survey.survey_id)
    client.cookies.clear()
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Responses"]
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == list(range(1, len(HOSTILE) + 1))
