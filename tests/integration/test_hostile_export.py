"""Hostile text typed into the real survey form comes out of the strategy workbook
as text: never a formula, an error value or a broken file.

Every string of tests/data/hostile_strings.HOSTILE is answered by a resident, page
by page, through the app (a short-text and a long-text question), then sent from
"Check your answers". The form may refuse a value (the 40,000 characters are over
a text question's limit): that must be a 422 page saying why, never a 500. The
workbook is then written by analysis.strategy_inputs and read back, cell by cell
and as the sheet's XML.
"""

from __future__ import annotations

import zipfile

import pytest
from defusedxml import ElementTree
from openpyxl import load_workbook

from tests.data.hostile_strings import HOSTILE
from tests.fixtures import csrf_token
from tests.integration.journey import begin, send_checked

SHORT_TEXT = "In a few words, what happened?"


@pytest.fixture(scope="module")
def survey(make_survey, run):
    """The fixture survey, with a short-text question added before anyone answers."""
    from surveys import builder

    made = make_survey("hostile-export")
    made.question_ids["short"] = run(
        builder.add_question,
        made.survey_id,
        builder.QuestionInput(type="short_text", text=SHORT_TEXT),
    )
    return made


def _answer_page(client, url: str, answers: dict[str, str]) -> tuple[str, int, str]:
    """POST the page's fields of `answers`; (next address, status, page text)."""
    html = client.get(url).text
    mine = {name: value for name, value in answers.items() if f'name="{name}"' in html}
    data = {"_csrf_token": csrf_token(html), "action": "continue", **mine}
    sent = client.post(url, data=data, follow_redirects=False)
    return sent.headers.get("location", url), sent.status_code, sent.text


@pytest.fixture(scope="module")
def answered(client, survey):
    """Each hostile string as a resident types it: a pair a response, the first in
    the long-text answer and the second in the short one. Returns the strings the
    form refused, with the status and message it answered."""
    ids, options = survey.question_ids, survey.option_ids
    plain = {
        f"q{ids['single']}": str(options["single"][0]),
        f"q{ids['scale']}": str(options["scale"][1]),
    }
    refused: dict[str, tuple[int, str]] = {}
    for at in range(0, len(HOSTILE), 2):
        client.cookies.clear()
        hostile = {f"q{ids['text']}": HOSTILE[at]}
        if at + 1 < len(HOSTILE):
            hostile[f"q{ids['short']}"] = HOSTILE[at + 1]
        url = begin(client, survey.url)
        while "/pages/" in url:
            page = url
            url, status, text = _answer_page(client, page, {**plain, **hostile})
            if status == 303:
                continue
            assert status == 422, f"{page} answered {status} to a hostile answer"
            for field, value in hostile.items():
                if f'name="{field}"' in text:
                    refused[value] = (status, text)
            # The resident gives up on that answer and goes on without it.
            url, status, text = _answer_page(client, page, plain)
            assert status == 303, text[:500]
        sent = send_checked(client, url)
        assert sent.status_code == 303, sent.text[:500]
    client.cookies.clear()
    return refused


@pytest.fixture(scope="module")
def workbook_path(run, survey, answered, tmp_path_factory):
    from analysis.strategy_inputs import write_workbook

    path = tmp_path_factory.mktemp("hostile") / "strategy.xlsx"
    written = run(write_workbook, survey.survey_id, "en", path)
    assert written == (len(HOSTILE) + 1) // 2
    return path


def _stored_texts(run, survey) -> list[str]:
    from surveys.tables import Answer

    rows = run(
        Answer.select(Answer.text)
        .where((Answer.question.survey == survey.survey_id) & (Answer.text.is_not_null()))
        .run
    )
    return [row["text"] for row in rows]


def test_the_form_refuses_only_what_it_says_it_refuses(answered):
    """The only refusals are the over-long strings, each a 422 saying the limit."""
    for value, (status, page) in answered.items():
        assert status == 422
        assert len(value) > 500, f"{value[:40]!r} was refused"
        assert "characters or fewer" in page
    assert any(len(value) == 40_000 for value in answered), "the 40,000 characters were stored"


def test_every_stored_value_is_a_text_cell(run, survey, answered, workbook_path):
    from analysis.redact import redact
    from exports.cells import clean_text

    stored = _stored_texts(run, survey)
    sheet = load_workbook(workbook_path)["Responses"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    columns = [
        index
        for index, title in enumerate(header)
        if "What should the city do?" in str(title) or SHORT_TEXT in str(title)
    ]
    cells = {}
    for row in sheet.iter_rows(min_row=2):
        for index in columns:
            if row[index].value is not None:
                cells[row[index].value] = row[index]
    for value in stored:
        expected = clean_text(redact(value).text)
        cell = cells.get(expected.text)
        assert cell is not None, f"{value[:60]!r} is missing from the workbook"
        assert cell.data_type == "s", f"{value[:60]!r} is a {cell.data_type} cell"
        assert bool(cell.quotePrefix) == expected.needs_quote, value[:60]


def test_every_value_the_form_took_is_stored(run, survey, answered):
    """Stored as typed, less what the form's own cleaning removes (control
    characters, surrounding space); a value that is nothing once cleaned is no answer."""
    from surveys.question_types import clean_text as as_stored

    stored = set(_stored_texts(run, survey))
    for value in HOSTILE:
        if value not in answered and as_stored(value):
            assert as_stored(value) in stored, f"{value[:60]!r} was lost"


def test_no_sheet_holds_a_formula_or_an_error(workbook_path):
    """Read as XML, as a spreadsheet does (a hostile text may itself spell "<f>")."""
    with zipfile.ZipFile(workbook_path) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert len(sheets) > 5
        for name in sheets:
            with archive.open(name) as xml:
                for _event, element in ElementTree.iterparse(xml):
                    tag = element.tag.rsplit("}", 1)[-1]
                    assert tag != "f", f"{name} has a formula"
                    if tag == "c":
                        assert element.get("t") != "e", f"{name}!{element.get('r')} is an error"
