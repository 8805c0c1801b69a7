"""The strategy-input workbook and CSV, written from the database by
analysis.strategy_inputs and read back as a planner's spreadsheet would read them.

Responses go in through the real submission path (the "Check your answers" form),
the text job analyses them and a codebook codes them; organisations, sessions,
an indicator, a finding with a cross-tab as evidence and a quote are the planner's
own services (sessions, which have no service here, are rows made directly).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import secrets
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from tests.fixtures import send_survey, sign_in

EMAIL = "kari.nordmann@example.no"
NIGHT = "The bus at night is scary and nobody helps."
SCHOOL = "Teach children in school what to do about hate."
QUOTED = 'He said "go home", then, later:\nnothing.'
# (feel safe?, trust the police (scale option index), text): 24 responses. "Not
# sure" is a group of three, below k = 5, so the results page hides it and one more.
ANSWERS = (
    [("Yes", 3, NIGHT)] * 8
    + [("Yes", 4, SCHOOL)] * 6
    + [("No", 0, NIGHT)] * 6
    + [("No", 1, f"Write to me at {EMAIL} about the bus at night")]
    + [("Not sure", 2, QUOTED)] * 3
)
CODEBOOK = {
    "themes": [
        {"id": "night", "label": "Unsafe at night", "keywords": ["night", "bus"]},
        {"id": "school", "label": "Schools", "keywords": ["school"]},
    ]
}
SHEETS = (
    "About this export",
    "Indicators",
    "Cross-tabs",
    "Themes",
    "Findings and action plan",
    "Partners",
    "Data dictionary",
    "Responses",
)


def _rows(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def survey(client, run, make_survey):
    from analysis import codebooks, coding, jobs

    survey = make_survey("strategy-workbook")
    ids, options = survey.question_ids, survey.option_ids
    feel = dict(zip(["Yes", "No", "Not sure"], options["single"], strict=True))
    for answer, trust, text in ANSWERS:
        form = {
            f"q{ids['single']}": str(feel[answer]),
            f"q{ids['scale']}": str(options["scale"][trust]),
            f"q{ids['multiple']}": [str(options["multiple"][0]), str(options["multiple"][1])],
            f"q{ids['text']}": text,
            f"q{ids['number']}": "3",
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    run(jobs.analyse_all_pending)
    run(codebooks.import_codebook, survey.survey_id, json.dumps(CODEBOOK))
    run(coding.recode_survey, survey.survey_id)
    return survey


@pytest.fixture(scope="module")
def partners(run, survey):
    """Three organisations: one hosted a session of 14 responses, one a session of
    2 (below k), one only partners on a finding. Returns their ids by name."""
    from consult.tables import HostedSession, Organisation, SessionGroup
    from surveys.tables import Response

    async def make() -> dict[str, int]:
        made = {}
        for name, kind in (
            ("Grünerløkka Youth Club", "youth"),
            ("Tiny Chess Club", "sports"),
            ("Oslo Mosque", "religious"),
        ):
            rows = await Organisation.insert(Organisation(name=name, kind=kind, city="Reykjavik"))
            made[name] = rows[0]["id"]
        sessions = {}
        for name in ("Grünerløkka Youth Club", "Tiny Chess Club"):
            rows = await HostedSession.insert(
                HostedSession(
                    consultation=survey.consultation_id,
                    organisation=made[name],
                    title=f"Evening at {name}",
                    code=secrets.token_hex(4),
                    created_at=datetime.now(UTC),
                )
            )
            sessions[name] = rows[0]["id"]
        await SessionGroup.insert(
            SessionGroup(session=sessions["Grünerløkka Youth Club"], name="Young people 13-17")
        )
        ids = [
            row["id"]
            for row in await Response.select(Response.id)
            .where(Response.survey == survey.survey_id)
            .order_by(Response.id)
        ]
        await Response.update({Response.hosted_session: sessions["Grünerløkka Youth Club"]}).where(
            Response.id.is_in(ids[:14])
        )
        await Response.update({Response.hosted_session: sessions["Tiny Chess Club"]}).where(
            Response.id.is_in(ids[14:16])
        )
        return made

    return run(make)


@pytest.fixture(scope="module")
def planning(run, survey, partners):
    """An indicator (feel safe: Yes), a finding citing the trust scale by the
    feel-safe question, partnered by two organisations, and an approved quote."""
    from analysis import findings, indicators, quotes
    from analysis.tables import TextAnswer
    from surveys import services

    spec = run(services.load_spec, survey.survey_id)
    single = spec.question_by_id[survey.question_ids["single"]]
    run(indicators.create_indicator, spec, single.id, "Feel safe", [single.options[0].id])
    finding = run(
        findings.create_finding,
        survey.consultation_id,
        findings.FindingInput(
            title="Trust follows safety",
            statement="Those who feel unsafe trust the police less.",
            strategy_area="Prevention and early intervention",
            priority="high",
            partner_ids=(partners["Oslo Mosque"], partners["Grünerløkka Youth Club"]),
        ),
    )
    run(
        findings.add_evidence,
        finding,
        findings.EvidenceInput(
            kind="cross_tab", question_id=survey.question_ids["scale"], segment=f"q{single.id}"
        ),
    )
    night = run(TextAnswer.select(TextAnswer.id).where(TextAnswer.redacted == NIGHT).first().run)
    run(quotes.approve, night["id"])
    return finding


@pytest.fixture(scope="module")
def written(run, survey, planning, tmp_path_factory):
    """(workbook, its path, what write_workbook returned, progress reports)."""
    from analysis.strategy_inputs import write_workbook

    path = tmp_path_factory.mktemp("strategy") / "strategy.xlsx"
    reports: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        reports.append((done, total))

    count = run(write_workbook, survey.survey_id, "en", path, progress)
    return load_workbook(path), path, count, reports


@pytest.fixture(scope="module")
def workbook(written):
    return written[0]


@pytest.fixture(scope="module")
def results(run, survey):
    from analysis import services
    from surveys import services as surveys

    spec = run(surveys.load_spec, survey.survey_id)
    return run(services.survey_results, spec, 5)


def test_every_response_is_written_and_progress_reported(written):
    _, _, count, reports = written
    assert count == len(ANSWERS)
    assert reports[0] == (0, len(ANSWERS))
    assert reports[-1] == (len(ANSWERS), len(ANSWERS))


def test_every_sheet_is_there_in_order(workbook):
    names = workbook.sheetnames
    assert names[:2] == list(SHEETS[:2])
    assert names[-6:] == list(SHEETS[2:])
    questions = names[2:-6]
    assert len(questions) == 5
    assert [name.split(" ", 1)[0] for name in questions] == ["Q1", "Q2", "Q3", "Q4", "Q5"]


def test_each_question_with_options_has_one_chart(workbook, results):
    for name, result in zip(workbook.sheetnames[2:7], results.questions, strict=True):
        charts = workbook[name]._charts
        assert len(charts) == (1 if result.question.options else 0), name


def test_question_sheets_say_what_the_results_say(workbook, results):
    for name, result in zip(workbook.sheetnames[2:7], results.questions, strict=True):
        rows = _rows(workbook[name])
        answered = next(row for row in rows if row[0] == "Answered")
        assert answered[1] == result.answered
        by_label = {row[0]: row for row in rows}
        for option in result.options:
            row = by_label[option.label]
            if option.count is None:
                assert row[1] == "not shown", (name, option.label)
            else:
                assert row[1] == option.count, (name, option.label)
                assert row[2] == pytest.approx(option.percent / 100)


def test_small_groups_are_not_shown_where_the_page_hides_them(
    client, make_staff, survey, workbook, results
):
    make_staff("workbook.planner", "planner")
    assert sign_in(client, "workbook.planner").status_code == 303
    page = client.get(f"/staff/surveys/{survey.survey_id}/results").text
    client.cookies.clear()
    feel = results.questions[0]
    cells = {
        html.unescape(label): count
        for label, count in re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="numeric">([^<]+)</td>', page
        )
    }
    sheet = {row[0]: row[1] for row in _rows(workbook[workbook.sheetnames[2]])}
    assert [o.count for o in feel.options] == [14, None, None]  # "Not sure" and its complement
    for option in feel.options:
        on_page = cells[option.label]
        assert str(sheet[option.label]) == on_page, option.label
    assert sheet["Not sure"] == "not shown"
    assert cells["Yes"] == "14"


def test_cover_gives_counts_channels_languages_and_the_rule(workbook, partners):
    rows = _rows(workbook["About this export"])
    flat = [cell for row in rows for cell in row if cell is not None]
    assert len(ANSWERS) in flat
    assert "Own device" in flat
    assert "Grünerløkka Youth Club" in flat
    assert "Tiny Chess Club" in flat
    assert any("counts below 5 are not shown" in str(cell) for cell in flat)
    assert any("not a random sample" in str(cell) for cell in flat)


def test_indicator_overall_and_by_group(workbook):
    rows = _rows(workbook["Indicators"])
    overall = next(row for row in rows if row[0] == "Feel safe" and row[3] == "Everyone")
    assert overall[5] == len(ANSWERS)
    assert overall[6] == 14
    assert overall[7] == pytest.approx(14 / len(ANSWERS))


def test_cross_tabs_include_the_cited_one_and_hide_small_cells(workbook):
    rows = _rows(workbook["Cross-tabs"])
    titles = [row[0] for row in rows if row[0] and ", by " in str(row[0])]
    assert any(
        t.startswith("3. How much do you trust") and "1. Do you feel safe?" in t for t in titles
    )
    assert any(cell == "not shown" for row in rows for cell in row)


def test_themes_have_counts_and_only_approved_quotes(workbook):
    rows = _rows(workbook["Themes"])
    night = next(row for row in rows if row[0] == "Unsafe at night")  # the first: totals
    assert night[2] == 15  # 8 + 6 night answers and the one with the email
    flat = [str(cell) for row in rows for cell in row if cell is not None]
    assert any(NIGHT in cell for cell in flat)  # the approved quote
    assert not any(SCHOOL in cell for cell in flat)  # never approved


def test_findings_sheet_is_a_table_with_drop_downs(workbook):
    from exports.workbook import TABLE_NAME

    sheet = workbook["Findings and action plan"]
    assert TABLE_NAME in sheet.tables
    rows = _rows(sheet)
    finding = next(row for row in rows if row[0] == "Trust follows safety")
    assert "High" in finding
    assert any("Cross-tab: 3. How much do you trust" in str(cell) for cell in finding)
    assert any("Grünerløkka Youth Club" in str(cell) for cell in finding)
    lists = []
    for validation in sheet.data_validations.dataValidation:
        first, last = validation.formula1.replace("$", "").split(":")
        lists.append([cell.value for (cell,) in sheet[first:last]])
    assert ["High", "Medium", "Low"] in lists
    assert ["Proposed", "Agreed", "In progress", "Done", "Dropped"] in lists


def test_partners_bring_responses_small_ones_hidden(workbook):
    rows = {row[0]: row for row in _rows(workbook["Partners"])}
    youth, tiny, mosque = (
        rows["Grünerløkka Youth Club"],
        rows["Tiny Chess Club"],
        rows["Oslo Mosque"],
    )
    assert youth[2:4] == (1, 14)
    assert "Young people 13-17" in youth[4]
    assert "Trust follows safety" in youth[5]
    assert tiny[3] == "not shown"
    assert mosque[2] == 0
    assert "Trust follows safety" in mosque[5]


def test_dictionary_explains_every_response_column(workbook):
    header = next(workbook["Responses"].iter_rows(max_row=1, values_only=True))
    columns = [row[0] for row in _rows(workbook["Data dictionary"])[1:]]
    assert columns == list(header)


def test_free_text_is_redacted_everywhere(workbook):
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for cell in row:
                assert EMAIL not in str(cell), sheet.title
    texts = [str(row) for row in workbook["Responses"].iter_rows(values_only=True)]
    assert any("[email]" in text for text in texts)


def test_csv_has_a_bom_the_same_rows_and_quotes_what_it_must(run, survey, workbook, tmp_path):
    from analysis.strategy_inputs import write_csv

    path = tmp_path / "responses.csv"
    assert run(write_csv, survey.survey_id, "en", path) == len(ANSWERS)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert EMAIL.encode() not in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    header = next(workbook["Responses"].iter_rows(max_row=1, values_only=True))
    assert tuple(rows[0]) == header
    assert len(rows) == len(ANSWERS) + 1
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(ANSWERS) + 1)]
    text_column = next(i for i, title in enumerate(header) if "What should the city do?" in title)
    assert sum(row[text_column] == QUOTED for row in rows[1:]) == 3
    assert b'"He said ""go home"", then, later:\nnothing."' in raw
