"""An English consultation translated into Icelandic and answered in four
languages, for test_reporting_language: its fixtures and the helpers that switch
its reporting language and write its workbook.

Responses go in through the real submission path, each in the language its
respondent chose (the `lang` cookie); translations through the translation service;
the text job analyses the free text and a codebook codes it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.fixtures import send_survey

NIGHT = "The bus at night is scary and nobody helps."
ICELANDIC = "Strætó á nóttunni er hræðilegur og enginn hjálpar."
ARABIC = "الحافلة في الليل مخيفة ولا أحد يساعد."
POLISH = "Autobus w nocy jest straszny i nikt nie pomaga."
# (respondent's language, feel safe?, trust (scale option index), text)
ANSWERS = (
    [("en", "Yes", 3, NIGHT)] * 6
    + [("is", "No", 1, ICELANDIC)] * 5
    + [("ar", "Not sure", 2, ARABIC), ("pl", "Not sure", 2, POLISH)]
)
FEEL_IS = "Finnst þér þú örugg(ur)?"
TRUST_IS = "Hversu mikið treystir þú lögreglunni?"
# Question texts and option labels in Icelandic; "Not sure" and the number question
# ("How many times?") have no Icelandic translation.
QUESTIONS_IS = {
    "single": FEEL_IS,
    "multiple": "Hvar?",
    "scale": TRUST_IS,
    "text": "Hvað ætti borgin að gera?",
}
OPTIONS_IS = {
    "single": ["Já", "Nei", None],
    "multiple": ["Á netinu", "Á götunni", "Í skólanum", "Vil ekki svara"],
    "scale": ["Ekkert", "Lítið", "Nokkuð", "Mikið", "Fullkomlega"],
}
CONSULTATION_IS = "Samráð um öryggi"
SURVEY_IS = "Öryggiskönnun"
CODEBOOK = {"themes": [{"id": "night", "label": "Unsafe at night", "keywords": ["night", "bus"]}]}


def rows_of(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def flat(sheet) -> list[Any]:
    return [cell for row in rows_of(sheet) for cell in row if cell is not None]


@pytest.fixture(scope="module")
def survey(client, run, make_survey):
    """The survey, answered in four languages, its free text analysed and coded."""
    from analysis import codebooks, coding, jobs

    survey = make_survey("reporting-language")
    ids, options = survey.question_ids, survey.option_ids
    feel = dict(zip(["Yes", "No", "Not sure"], options["single"], strict=True))
    for language, answer, trust, text in ANSWERS:
        client.cookies.clear()
        client.cookies.set("lang", language)
        form = {
            f"q{ids['single']}": str(feel[answer]),
            f"q{ids['scale']}": str(options["scale"][trust]),
            f"q{ids['multiple']}": [str(options["multiple"][0])],
            f"q{ids['text']}": text,
            f"q{ids['number']}": "2",
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    client.cookies.clear()
    run(jobs.analyse_all_pending)
    run(codebooks.import_codebook, survey.survey_id, json.dumps(CODEBOOK))
    run(coding.recode_survey, survey.survey_id)
    return survey


@pytest.fixture(scope="module")
def translated(run, survey):
    """Icelandic translations of the consultation, the survey and its questions,
    all but "Not sure" and the number question."""
    from consult.tables import Consultation
    from surveys import services
    from surveys.translations import field_name, save_texts

    spec = run(services.load_spec, survey.survey_id)
    by_id = {question.id: question for question in spec.questions}
    texts = {
        field_name("consultation", None, "title"): CONSULTATION_IS,
        field_name("survey", spec.id, "title"): SURVEY_IS,
    }
    for key, text in QUESTIONS_IS.items():
        question = by_id[survey.question_ids[key]]
        texts[field_name("question", question.id, "text")] = text
        for option, label in zip(question.options, OPTIONS_IS.get(key, ()), strict=True):
            if label:
                texts[field_name("option", option.id, "label")] = label
    run(save_texts, survey.consultation_id, "is", texts)
    run(
        Consultation.update({Consultation.languages: "is"})
        .where(Consultation.id == survey.consultation_id)
        .run
    )
    return spec


@pytest.fixture(scope="module")
def planning(run, survey, translated):
    """An indicator on "Do you feel safe?" (so its cross-tabs are written), a finding
    citing trust by feeling safe, and the Polish answer approved as a quote of the
    night theme (a planner confirmed the code: it has no English keyword)."""
    from analysis import findings, indicators, quotes
    from analysis.tables import CodeSource, Coding, TextAnswer, Theme

    single = translated.question_by_id[survey.question_ids["single"]]
    run(indicators.create_indicator, translated, single.id, "Feel safe", [single.options[0].id])
    finding = run(
        findings.create_finding,
        survey.consultation_id,
        findings.FindingInput(title="Trust follows safety", priority="high"),
    )
    run(
        findings.add_evidence,
        finding,
        findings.EvidenceInput(
            kind="cross_tab", question_id=survey.question_ids["scale"], segment=f"q{single.id}"
        ),
    )
    polish = run(TextAnswer.select(TextAnswer.id).where(TextAnswer.redacted == POLISH).first().run)
    night = run(Theme.select(Theme.id).where(Theme.survey == survey.survey_id).first().run)
    run(
        Coding.insert(
            Coding(text_answer=polish["id"], theme=night["id"], source=CodeSource.confirmed.value)
        ).run
    )
    run(quotes.approve, polish["id"])


def report_in(run, survey, locale: str) -> None:
    from consult.services import consultations
    from consult.tables import Consultation

    run(
        Consultation.update({Consultation.reporting_locale: locale})
        .where(Consultation.id == survey.consultation_id)
        .run
    )
    consultations.forget_cached()


def workbook(run, survey, tmp_path_factory, reporting: str, locale: str = "en"):
    from analysis.strategy_inputs import write_workbook

    report_in(run, survey, reporting)
    path = tmp_path_factory.mktemp("reporting") / f"{reporting or 'main'}-{locale}.xlsx"
    assert run(write_workbook, survey.survey_id, locale, path) == len(ANSWERS)
    return load_workbook(path)


@pytest.fixture(scope="module")
def icelandic(run, survey, planning, tmp_path_factory):
    """The workbook, reported in Icelandic, in a planner's English."""
    return workbook(run, survey, tmp_path_factory, "is")


@pytest.fixture(scope="module")
def as_before(run, survey, planning, tmp_path_factory):
    """The workbook with no reporting language chosen (the main one, English)."""
    return workbook(run, survey, tmp_path_factory, "")


def question_sheets(book) -> list[str]:
    return [name for name in book.sheetnames if name[:1] == "Q" and name[1:2].isdigit()]
