"""Approved quotes on a real database: a planner approves a text answer's redacted
text, may shorten it (personal data typed back in is redacted again), edits and
withdraws it, and only quotes of complete responses are read."""

from __future__ import annotations

import html
import re

import pytest

from tests.fixtures import send_survey, sign_in

ANSWERS = (
    "The bus at night is scary, write to anna@example.is about it.",
    "Teach children in school what to do about hate.",
)


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _as(client, username: str | None) -> None:
    client.cookies.clear()
    if username:
        assert sign_in(client, username).status_code == 303


@pytest.fixture(scope="module")
def survey(client, run, make_survey, make_staff):
    from analysis import jobs

    survey = make_survey("quotes")
    ids, options = survey.question_ids, survey.option_ids
    for text in ANSWERS:
        form = {
            f"q{ids['single']}": [str(options["single"][0])],
            f"q{ids['scale']}": [str(options["scale"][0])],
            f"q{ids['text']}": [text],
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    run(jobs.analyse_all_pending)
    for name, role in (("quote-planner", "planner"), ("quote-facilitator", "facilitator")):
        make_staff(name, role)
    return survey


def _answers(run, survey) -> list[dict]:
    from analysis.tables import TextAnswer

    return run(
        TextAnswer.select(TextAnswer.id, TextAnswer.redacted)
        .where(TextAnswer.question == survey.question_ids["text"])
        .order_by(TextAnswer.id)
        .run
    )


def test_approve_edit_and_withdraw(run, survey):
    from analysis import quotes

    first, second = _answers(run, survey)
    assert "anna@example.is" not in first["redacted"]
    quote = run(quotes.approve, first["id"])
    (view,) = run(quotes.approved_quotes, survey.survey_id)
    assert (view.id, view.text_answer_id, view.text) == (quote, first["id"], first["redacted"])
    assert view.question_id == survey.question_ids["text"]
    # Shortened, with an address typed back in: it is redacted again.
    assert run(quotes.edit, quote, "The bus at night is scary, call 555 1234 or anna@example.is")
    (view,) = run(quotes.approved_quotes, survey.survey_id)
    assert "anna@example.is" not in view.text
    assert "555 1234" not in view.text
    assert view.text.startswith("The bus at night is scary")
    with pytest.raises(quotes.QuoteInvalid):
        run(quotes.edit, quote, "   ")
    again = run(quotes.approve, second["id"], "Teach children about hate.")
    assert [q.text for q in run(quotes.approved_quotes, survey.survey_id)][1] == (
        "Teach children about hate."
    )
    assert run(quotes.withdraw, again)
    assert not run(quotes.withdraw, again)
    assert [q.id for q in run(quotes.approved_quotes, survey.survey_id)] == [quote]
    with pytest.raises(LookupError):
        run(quotes.approve, 999999)
