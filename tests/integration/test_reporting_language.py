"""Exports in the consultation's reporting language: an English consultation with
Icelandic translations, reported in Icelandic (tests/integration/reporting_world).
The workbook (read back with openpyxl), the CSV, the printable report and the JSON
API give the question texts and option labels in Icelandic, a text with no Icelandic
translation in English (and say so), and free text exactly as it was typed; with no
reporting language chosen everything is in English, as before.
"""

# The world's fixtures are imported by name, and the tests take them as arguments.
# ruff: noqa: F811

from __future__ import annotations

import csv
import io
from typing import Any

from tests.fixtures import page_text, sign_in
from tests.integration.reporting_world import (
    ANSWERS,
    ARABIC,
    CONSULTATION_IS,
    FEEL_IS,
    ICELANDIC,
    NIGHT,
    POLISH,
    QUESTIONS_IS,
    SURVEY_IS,
    TRUST_IS,
    as_before,  # noqa: F401 - the module's fixtures
    flat,
    icelandic,  # noqa: F401
    planning,  # noqa: F401
    question_sheets,
    report_in,
    rows_of,
    survey,  # noqa: F401
    translated,  # noqa: F401
    workbook,
)


def test_question_sheets_are_in_the_reporting_language(icelandic):
    sheets = question_sheets(icelandic)
    assert sheets[0].startswith("Q1 Finnst þér")
    first = rows_of(icelandic[sheets[0]])
    assert first[0][0] == f"1. {FEEL_IS}"
    labels = [row[0] for row in first]
    assert "Já" in labels
    assert "Nei" in labels
    # No Icelandic for "Not sure": the English label, never an empty one.
    assert "Not sure" in labels
    assert "Yes" not in labels
    assert "Answered" in labels  # the export's own words stay the planner's English
    trust = rows_of(icelandic[sheets[2]])
    assert trust[0][0] == f"3. {TRUST_IS}"
    assert {"Ekkert", "Lítið", "Nokkuð", "Mikið", "Fullkomlega"} <= {row[0] for row in trust}
    # The untranslated question keeps its English text and sheet name.
    assert sheets[4].startswith("Q5 How many times")


def test_responses_sheet_headers_and_answers_are_in_the_reporting_language(icelandic):
    rows = rows_of(icelandic["Responses"])
    header = rows[0]
    assert header[:4] == ("Response", "Submitted (hour)", "Channel", "Language")
    assert f"1. {FEEL_IS}" in header
    assert "5. How many times?" in header
    feel = header.index(f"1. {FEEL_IS}")
    assert {row[feel] for row in rows[1:]} == {"Já", "Nei", "Not sure"}


def test_each_response_keeps_its_language_and_free_text_stays_as_typed(icelandic):
    rows = rows_of(icelandic["Responses"])
    header = rows[0]
    text = header.index(f"4. {QUESTIONS_IS['text']}")
    by_language = {row[3]: row[text] for row in rows[1:]}
    assert by_language == {"en": NIGHT, "is": ICELANDIC, "ar": ARABIC, "pl": POLISH}
    assert [row[3] for row in rows[1:]].count("is") == 5


def test_dictionary_says_which_language_each_text_is_in(icelandic):
    rows = rows_of(icelandic["Data dictionary"])
    assert rows[0] == ("Column", "Question", "Type", "Values and coding", "Text language")
    header = rows_of(icelandic["Responses"])[0]
    assert [row[0] for row in rows[1:]] == list(header)
    entries = {row[0]: row for row in rows[1:]}
    feel = entries[f"1. {FEEL_IS}"]
    assert feel[1] == FEEL_IS
    assert "Já; Nei; Not sure" in feel[3]
    assert feel[4] == "Icelandic; not translated, so in English: “Not sure”"
    assert entries[f"3. {TRUST_IS}"][4] == "Icelandic"
    assert entries["5. How many times?"][4] == "English: not translated into Icelandic"
    assert entries["Response"][4] is None


def test_cover_names_the_reporting_language_and_the_languages_answered_in(icelandic):
    rows = rows_of(icelandic["About this export"])
    facts = {row[0]: row[1] for row in rows if row and row[0] is not None and len(row) > 1}
    assert facts["Consultation"] == CONSULTATION_IS
    assert facts["Survey"] == SURVEY_IS
    assert facts["Text language"] == "Icelandic"
    cells = [str(cell) for cell in flat(icelandic["About this export"])]
    # Not translated: "Not sure", the number question; the consultation's purpose and
    # "run by" texts were never translated either.
    assert "Not translated into Icelandic, so shown in English: 4 of the texts" in " ".join(cells)
    start = next(i for i, row in enumerate(rows) if row[0] == "Languages they answered in")
    answered_in = {}
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        answered_in[row[0]] = row[1]
    assert answered_in == {
        "English": 6,
        "Icelandic": 5,
        "Arabic": "not shown",
        "Polish": "not shown",
    }


def test_languages_are_named_in_the_exports_own_language(run, survey, planning, tmp_path_factory):
    book = workbook(run, survey, tmp_path_factory, "is", locale="fi")
    cover = [str(cell) for cell in flat(book.worksheets[0])]
    assert "Islanti" in cover  # Icelandic, in Finnish
    assert "Englanti" in cover
    dictionary = rows_of(book.worksheets[-2])
    assert any(row[4] == "Islanti" for row in dictionary[1:])


def test_cross_tabs_are_in_the_reporting_language(icelandic):
    rows = rows_of(icelandic["Cross-tabs"])
    titles = [str(row[0]) for row in rows if row[0] and ", by " in str(row[0])]
    assert f"3. {TRUST_IS}, by 1. {FEEL_IS}" in titles
    assert f"1. {FEEL_IS}, by Language" in titles
    by_feel = next(i for i, row in enumerate(rows) if row[0] == f"3. {TRUST_IS}, by 1. {FEEL_IS}")
    assert {"Já", "Nei", "Not sure"} <= set(rows[by_feel + 1])
    assert "Ekkert" in {row[0] for row in rows[by_feel + 2 : by_feel + 8]}


def test_indicators_give_the_question_and_what_counts_in_the_reporting_language(icelandic):
    rows = rows_of(icelandic["Indicators"])
    overall = next(row for row in rows if row[0] == "Feel safe" and row[3] == "Everyone")
    assert overall[1] == f"1. {FEEL_IS}"
    assert overall[2] == "Já"


def test_quotes_stay_as_written_beside_the_language_they_were_written_in(icelandic):
    rows = rows_of(icelandic["Themes"])
    assert rows[0][-1] == "Languages of the quotes"
    night = next(row for row in rows if row[0] == "Unsafe at night")
    assert night[4] == POLISH
    assert night[5] == "Polish"


def test_csv_has_the_language_column_and_reporting_language_headings(
    run, survey, planning, tmp_path
):
    from analysis.strategy_inputs import write_csv

    report_in(run, survey, "is")
    path = tmp_path / "responses.csv"
    assert run(write_csv, survey.survey_id, "en", path) == len(ANSWERS)
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"), newline="")))
    header = rows[0]
    assert header[3] == "Language"
    assert f"1. {FEEL_IS}" in header
    assert "5. How many times?" in header
    text = header.index(f"4. {QUESTIONS_IS['text']}")
    feel = header.index(f"1. {FEEL_IS}")
    assert {(row[3], row[text]) for row in rows[1:]} == {
        ("en", NIGHT),
        ("is", ICELANDIC),
        ("ar", ARABIC),
        ("pl", POLISH),
    }
    assert {row[feel] for row in rows[1:]} == {"Já", "Nei", "Not sure"}


def _report_page(client, make_staff, survey, username: str) -> str:
    make_staff(username, "planner")
    client.cookies.clear()
    assert sign_in(client, username).status_code == 303
    page = client.get(f"/staff/surveys/{survey.survey_id}/report")
    client.cookies.clear()
    assert page.status_code == 200
    return page.text


def test_report_gives_the_survey_in_the_reporting_language(
    client, run, make_staff, survey, planning
):
    report_in(run, survey, "is")
    page = _report_page(client, make_staff, survey, "report.is.planner")
    text = page_text(page)
    assert CONSULTATION_IS in text
    assert SURVEY_IS in text
    assert f"1. {FEEL_IS}" in text
    assert "Já" in text
    assert "Nei" in text
    assert "Not sure" in text
    assert "Do you feel safe?" not in text
    assert "given in Icelandic" in text
    assert "so shown in English: 4 of the texts" in text
    # The free-text question's heading says which language it is in.
    assert f'lang="is">4. {QUESTIONS_IS["text"]}</h3>' in page
    assert POLISH in text  # the approved quote, as written


def _api(client, run, path: str) -> Any:
    from consult.services import api_tokens

    token = run(api_tokens.create_token, "Reporting", None)
    client.cookies.clear()
    response = client.get(path, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.json()


def test_api_gives_texts_in_the_reporting_language(client, run, survey, planning):
    report_in(run, survey, "is")
    body = _api(client, run, f"/api/v1/surveys/{survey.survey_id}/results")
    assert body["title"] == SURVEY_IS
    assert body["text_locale"] == "is"
    questions = {q["id"]: q for q in body["questions"]}
    feel = questions[survey.question_ids["single"]]
    assert feel["text"] == FEEL_IS
    assert [o["label"] for o in feel["options"]] == ["Já", "Nei", "Not sure"]
    assert questions[survey.question_ids["number"]]["text"] == "How many times?"
    not_sure = survey.option_ids["single"][2]
    assert f"option.{not_sure}.label" in body["untranslated"]
    indicators = _api(client, run, f"/api/v1/surveys/{survey.survey_id}/indicators")
    assert indicators["indicators"][0]["counted"] == ["Já"]
    themes = _api(client, run, f"/api/v1/surveys/{survey.survey_id}/themes")
    assert themes["questions"][0]["text"] == QUESTIONS_IS["text"]
    quotes = [q["text"] for t in themes["questions"][0]["themes"] for q in t["quotes"]]
    assert quotes == [POLISH]


def test_with_no_reporting_language_everything_is_as_before(
    client, run, make_staff, survey, as_before
):
    sheets = question_sheets(as_before)
    assert sheets[0].startswith("Q1 Do you feel safe")
    assert {"Yes", "No", "Not sure"} <= {row[0] for row in rows_of(as_before[sheets[0]])}
    header = rows_of(as_before["Responses"])[0]
    assert "1. Do you feel safe?" in header
    dictionary = rows_of(as_before["Data dictionary"])
    assert {row[4] for row in dictionary[1:] if row[1]} == {"English"}
    cells = [str(cell) for cell in flat(as_before["About this export"])]
    assert "Consultation reporting-language" in cells[0]
    assert not any("Not translated" in cell for cell in cells)

    page = page_text(_report_page(client, make_staff, survey, "report.en.planner"))
    assert "1. Do you feel safe?" in page
    assert FEEL_IS not in page
    assert "given in" not in page
    body = _api(client, run, f"/api/v1/surveys/{survey.survey_id}/results")
    assert body["text_locale"] == "en"
    assert body["untranslated"] == []
    assert body["questions"][0]["text"] == "Do you feel safe?"
