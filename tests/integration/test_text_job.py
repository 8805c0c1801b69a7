"""The text job: each stored text answer analysed once, redacted, flagged when it
describes harm, and coded from the survey's codebook, on both databases.

Answers go in as residents send them (the submit form); the job is then run to
the end of its queue, as the background worker would (which may have taken some
already: either way the end state is the same, and that is what is checked).
"""

from __future__ import annotations

import json

import pytest

from tests.fixtures import send_survey


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("text-job")


def _send_text(client, survey, text: str) -> None:
    ids, options = survey.question_ids, survey.option_ids
    form = {
        f"q{ids['single']}": [str(options["single"][0])],
        f"q{ids['scale']}": [str(options["scale"][0])],
        f"q{ids['text']}": [text],
    }
    assert send_survey(client, survey.submit_url, form).status_code == 303


def _analyse(run) -> None:
    from analysis import jobs

    run(jobs.analyse_all_pending)


def _analysed(run, survey) -> dict[str, dict]:
    """Stored features by original text, for the survey's long-text question."""
    from analysis.tables import TextAnswer

    rows = run(
        TextAnswer.select(TextAnswer.all_columns(), TextAnswer.answer.text.as_alias("original"))
        .where(TextAnswer.question == survey.question_ids["text"])
        .output(load_json=True)
        .run
    )
    return {row["original"]: row for row in rows}


def _pending(run) -> int:
    from surveys.tables import PendingText

    return run(PendingText.count().run)


def test_a_text_answer_is_analysed_once_and_redacted(client, run, survey):
    email = "Mail me at anna.jonsdottir@example.is, the bus at night is not safe."
    finnish = "Nuoret tarvitsevat turvallisen paikan kaupungissa illalla."
    _send_text(client, survey, email)
    _send_text(client, survey, finnish)
    _analyse(run)
    assert _pending(run) == 0
    analysed = _analysed(run, survey)
    assert "anna.jonsdottir@example.is" not in analysed[email]["redacted"]
    assert "bus at night" in analysed[email]["redacted"]
    assert not any("example" in word for word in analysed[email]["keywords"])
    assert analysed[email]["language"] == "en"
    assert analysed[email]["polarity"] is not None
    assert analysed[finnish]["language"] == "fi"
    assert "kaupunki" in analysed[finnish]["lemmas"]
    assert analysed[finnish]["polarity"] is None, "sentiment only where it means something"
    _analyse(run)  # nothing queued: nothing done twice
    assert len(_analysed(run, survey)) == 2


def test_only_new_answers_are_worked_on(client, run, survey):
    from analysis import jobs

    _analyse(run)
    for number in range(3):
        _send_text(client, survey, f"More youth clubs please, answer {number}.")
    # The worker may have taken some meanwhile; together they are exactly the new ones.
    taken = run(jobs.analyse_all_pending)
    assert taken <= 3
    assert len(_analysed(run, survey)) == 5


def test_an_answer_describing_harm_is_flagged_and_kept(client, run, survey):
    from analysis.tables import SafeguardingFlag

    threat = "A man at school threatened me and said he will kill me if I tell anyone."
    _send_text(client, survey, threat)
    _analyse(run)
    text_answer = _analysed(run, survey)[threat]
    flags = run(
        SafeguardingFlag.select(SafeguardingFlag.concern)
        .where(SafeguardingFlag.text_answer == text_answer["id"])
        .run
    )
    assert {row["concern"] for row in flags} >= {"threat"}
    assert not run(
        SafeguardingFlag.select()
        .where(
            SafeguardingFlag.text_answer
            == _analysed(run, survey)["Nuoret tarvitsevat turvallisen paikan kaupungissa illalla."][
                "id"
            ]
        )
        .run
    ), "an ordinary answer is not flagged"


CODEBOOK = {
    "themes": [
        {
            "id": "transport",
            "label": "Unsafe on public transport",
            "description": "Buses and stops, especially at night.",
            "keywords": ["bus", "strætó*"],
            "examples": ["I am scared on the night bus."],
        },
        {
            "id": "youth",
            "label": "Youth spaces",
            "description": "Places for young people.",
            "keywords": ["youth club", "nuoret"],
            "examples": ["The youth club should open at weekends."],
        },
    ]
}


def _codes(run, survey) -> dict[str, set[tuple[str, str]]]:
    """original text -> {(theme key, source)}"""
    from analysis.tables import Coding

    rows = run(
        Coding.select(
            Coding.source,
            Coding.theme.key.as_alias("theme_key"),
            Coding.text_answer.answer.text.as_alias("original"),
        )
        .where(Coding.theme.survey == survey.survey_id)
        .run
    )
    found: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        found.setdefault(row["original"], set()).add((row["theme_key"], row["source"]))
    return found


def test_an_imported_codebook_codes_answers_old_and_new(client, run, survey):
    from analysis import codebooks, coding

    run(codebooks.import_codebook, survey.survey_id, json.dumps(CODEBOOK))
    run(coding.recode_survey, survey.survey_id)
    codes = _codes(run, survey)
    email = "Mail me at anna.jonsdottir@example.is, the bus at night is not safe."
    assert ("transport", "auto") in codes[email]
    # An answer stored after the codebook is coded by the job itself.
    later = "Strætóinn er ekki öruggur á kvöldin."
    _send_text(client, survey, later)
    _analyse(run)
    assert ("transport", "auto") in _codes(run, survey)[later]
    exported = json.loads(run(codebooks.export_codebook, survey.survey_id))
    assert [theme["id"] for theme in exported["themes"]] == ["transport", "youth"]
    assert exported["themes"][0]["keywords"] == ["bus", "strætó*"]


def test_a_bad_codebook_file_stores_nothing(run, survey):
    from analysis import codebooks
    from analysis.codebook import CodebookError
    from analysis.tables import Theme

    before = run(Theme.count().where(Theme.survey == survey.survey_id).run)
    bad = {"themes": [{"id": "fine", "label": "Fine"}, {"id": "fine", "label": "Again"}]}
    with pytest.raises(CodebookError) as error:
        run(codebooks.import_codebook, survey.survey_id, json.dumps(bad))
    assert "themes[1]" in str(error.value)
    assert run(Theme.count().where(Theme.survey == survey.survey_id).run) == before


def test_a_reviewed_code_survives_recoding(run, survey):
    from analysis import coding
    from analysis.tables import CodeSource, Coding

    email = "Mail me at anna.jonsdottir@example.is, the bus at night is not safe."
    code = run(
        Coding.select(Coding.id)
        .where(
            (Coding.theme.key == "transport")
            & (Coding.text_answer.answer.text == email)
            & (Coding.theme.survey == survey.survey_id)
        )
        .first()
        .run
    )
    run(
        Coding.update({Coding.source: CodeSource.rejected.value}).where(Coding.id == code["id"]).run
    )
    run(coding.recode_survey, survey.survey_id)
    assert ("transport", "rejected") in _codes(run, survey)[email]
    assert ("transport", "auto") not in _codes(run, survey)[email]


def test_the_job_codes_with_the_codebook_as_it_is_now(client, run, survey):
    """The job keeps its coder between passes; editing a theme must still count."""
    from analysis.tables import Theme

    _send_text(client, survey, "Skateboarding near the harbour is fun.")
    _analyse(run)  # the coder is built and kept
    run(
        Theme.update({Theme.keywords: ["youth club", "nuoret", "skatepark"]})
        .where((Theme.survey == survey.survey_id) & (Theme.key == "youth"))
        .run
    )
    later = "We need a skatepark for teenagers."
    _send_text(client, survey, later)
    _analyse(run)
    assert ("youth", "auto") in _codes(run, survey)[later]
