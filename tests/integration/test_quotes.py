"""Approved quotes on a real database: a planner approves a text answer's redacted
text, may shorten it (personal data typed back in is redacted again), edits and
withdraws it, and only quotes of complete responses are read."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as

ANSWERS = (
    "The bus at night is scary, write to anna@example.is about it.",
    "Teach children in school what to do about hate.",
)


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
    assert run(quotes.withdraw, quote)
    assert run(quotes.approved_quotes, survey.survey_id) == ()


HOSTILE = '<script>alert("x")</script> hx-get="/x" javascript:alert(1)'


@pytest.fixture(scope="module")
def theme(run, survey) -> int:
    """An accepted theme whose codes hold both answers, to review."""
    import json

    from analysis import codebooks, coding
    from analysis.tables import Theme

    book = {"themes": [{"id": "all", "label": "Everything", "keywords": ["bus", "school"]}]}
    run(codebooks.import_codebook, survey.survey_id, json.dumps(book).encode())
    run(coding.recode_survey, survey.survey_id)
    row = run(Theme.select(Theme.id).where(Theme.key == "all").first().run)
    return row["id"]


def test_use_as_a_quote_from_the_review_then_shorten_and_withdraw(client, run, survey, theme):
    signed_in_as(client, "quote-planner")
    review = f"/staff/surveys/{survey.survey_id}/text/themes/{theme}/review"
    page = client.get(review)
    assert page.status_code == 200
    actions = re.findall(r'action="(/staff/text-answers/(\d+)/quote)"', page.text)
    assert len(actions) == 2
    done = post_form(client, review, actions[0][0], {"next": review})
    assert done.status_code == 303
    assert done.headers["location"].startswith(f"{review}?quoted=")
    after = client.get(done.headers["location"]).text
    assert "Approved as a quote." in page_text(after)
    assert len(re.findall(r'action="/staff/text-answers/\d+/quote"', after)) == 1
    # Somewhere else as `next` is not followed.
    elsewhere = post_form(client, review, actions[1][0], {"next": "https://example.com/"})
    assert elsewhere.status_code == 303
    assert elsewhere.headers["location"].startswith(
        f"/staff/surveys/{survey.survey_id}/text/quotes"
    )

    quotes_page = f"/staff/surveys/{survey.survey_id}/text/quotes"
    page = client.get(quotes_page)
    assert page.status_code == 200
    text = page_text(page.text)
    assert "The bus at night is scary" in text
    assert "Teach children in school" in text
    assert "anna@example.is" not in page.text, "only redacted text"
    assert "Everything" in text, "the quote's theme"
    quote_id = int(re.findall(r'action="/staff/quotes/(\d+)"', page.text)[0])
    refused = post_form(client, quotes_page, f"/staff/quotes/{quote_id}", {"text": "  "})
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert f'href="#quote-{quote_id}-text"' in refused.text
    saved = post_form(
        client,
        quotes_page,
        f"/staff/quotes/{quote_id}",
        {"text": f"The bus at night is scary. Mail anna@example.is {HOSTILE}"},
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert "Quote saved." in page_text(page)
    assert "anna@example.is" not in page
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    withdrawn = post_form(client, quotes_page, f"/staff/quotes/{quote_id}/delete", {})
    assert withdrawn.status_code == 303
    page = client.get(withdrawn.headers["location"]).text
    assert "Quote withdrawn." in page_text(page)
    assert f'action="/staff/quotes/{quote_id}"' not in page
    assert post_form(client, quotes_page, f"/staff/quotes/{quote_id}/delete", {}).status_code == 404
    assert post_form(client, quotes_page, "/staff/text-answers/999999/quote", {}).status_code == 404


def test_only_planners_quote(client, survey, theme):
    signed_in_as(client, "quote-facilitator")
    assert client.get(f"/staff/surveys/{survey.survey_id}/text/quotes").status_code == 403
    token = csrf_token(client.get("/staff").text)
    assert client.post("/staff/text-answers/1/quote", data={"_csrf_token": token}).status_code == (
        403
    )
    signed_in_as(client, None)
    response = client.get(f"/staff/surveys/{survey.survey_id}/text/quotes", follow_redirects=False)
    assert response.status_code == 303
    assert "/staff/login" in response.headers["location"]


def test_a_long_answer_is_quoted_by_its_opening_to_shorten_further(client, run, survey):
    """An answer longer than a quote may be (a long answer takes 5,000 characters)
    is proposed cut at a word, with an ellipsis, instead of "Page not found"."""
    from analysis import jobs
    from analysis.quotes import QUOTE_MAX
    from analysis.tables import Quote

    ids, options = survey.question_ids, survey.option_ids
    long_text = "Night buses feel unsafe for young people going home. " * 80
    form = {
        f"q{ids['single']}": [str(options["single"][0])],
        f"q{ids['scale']}": [str(options["scale"][0])],
        f"q{ids['text']}": [long_text],
    }
    assert send_survey(client, survey.submit_url, form).status_code == 303
    run(jobs.analyse_all_pending)
    answer_id = _answers(run, survey)[-1]["id"]

    signed_in_as(client, "quote-planner")
    page = f"/staff/surveys/{survey.survey_id}/text/quotes"
    response = post_form(client, page, f"/staff/text-answers/{answer_id}/quote", {})
    assert response.status_code == 303, response.text
    (quote,) = run(Quote.select(Quote.text).where(Quote.text_answer == answer_id).run)
    assert len(long_text) > QUOTE_MAX >= len(quote["text"])
    body = quote["text"].removesuffix("…")
    assert body != quote["text"], "the cut is marked with an ellipsis"
    assert long_text.startswith(body)
    assert long_text[len(body)] == " ", "cut between words"
    signed_in_as(client, None)
