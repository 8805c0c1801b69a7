"""Save and continue later: a code shown once, answers sealed, 30 days to come back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures import csrf_token
from tests.integration.journey import begin, post_page, summary, walk

CODE = re.compile(r'<p class="resume-code"[^>]*>([0-9A-Z-]+)</p>')
TYPED = "Lights at the bus stop, and a night bus – Ljós við strætóskýlin"


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("save-later")


def _save_on_page_4(client, survey) -> str:
    """Answer three pages, type on the fourth, press "Save and continue later";
    the code the saved page shows."""
    client.cookies.clear()
    begin(client, survey.url)
    ids, options = survey.question_ids, survey.option_ids
    post_page(client, survey.page_url(1), {f"q{ids['single']}": str(options["single"][1])})
    post_page(client, survey.page_url(2), {f"q{ids['multiple']}": str(options["multiple"][0])})
    post_page(client, survey.page_url(3), {f"q{ids['scale']}": str(options["scale"][2])})
    saved = post_page(client, survey.page_url(4), {f"q{ids['text']}": TYPED}, action="save")
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{survey.url}/saved"
    page = client.get(saved.headers["location"])
    assert page.status_code == 200
    match = CODE.search(page.text)
    assert match, page.text
    return match.group(1)


def _resume(client, survey, typed: str):
    html = client.get(f"/c/{survey.slug}/resume").text
    return client.post(
        f"/c/{survey.slug}/resume",
        data={"_csrf_token": csrf_token(html), "code": typed},
        follow_redirects=False,
    )


def test_the_code_is_shown_once_in_four_groups_and_the_browser_forgets_the_answers(client, survey):
    code = _save_on_page_4(client, survey)
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code)
    again = client.get(f"{survey.url}/saved").text
    assert code not in again
    assert "shown once" in again
    # This browser no longer has the answers: the pages start empty.
    page = client.get(survey.page_url(4)).text
    assert TYPED not in page


def test_the_code_brings_back_every_answer_and_the_page_to_continue_on(client, survey):
    code = _save_on_page_4(client, survey)
    client.cookies.clear()  # another day, maybe another phone
    # Typed as people type it: lower case, spaces, an O for a zero.
    typed = code.lower().replace("-", " ").replace("0", "o")
    resumed = _resume(client, survey, typed)
    assert resumed.status_code == 303
    # Page 4 was saved but not continued from: that is where the resident goes on.
    assert resumed.headers["location"] == survey.page_url(4)
    page = client.get(survey.page_url(4)).text
    assert TYPED in page
    number = post_page(client, survey.page_url(4), {f"q{survey.question_ids['text']}": TYPED})
    assert number.headers["location"] == survey.page_url(5)
    done = post_page(client, survey.page_url(5), {})
    rows = summary(client.get(done.headers["location"]).text)
    assert rows["Do you feel safe?"] == ["No"]
    assert rows["What should the city do?"] == [TYPED]


def test_a_wrong_code_is_refused_in_words_and_keeps_what_was_typed(client, survey):
    client.cookies.clear()
    for typed, message in (
        ("not a code", "Enter your code: 16 letters and numbers"),
        ("ZZZZ-ZZZZ-ZZZZ-ZZZZ", "No saved answers match this code"),
    ):
        page = _resume(client, survey, typed)
        assert page.status_code == 422
        assert "<title>Error:" in page.text
        assert message in page.text
        assert f'value="{typed}"' in page.text


def test_a_code_does_not_open_another_consultations_answers(client, survey, make_survey):
    code = _save_on_page_4(client, survey)
    other = make_survey("other-place")
    client.cookies.clear()
    page = _resume(client, other, code)
    assert page.status_code == 422


def test_the_database_holds_the_answers_sealed_and_never_the_code(client, run, survey):
    from surveys.tables import ResumeDraft

    code = _save_on_page_4(client, survey)
    rows = run(ResumeDraft.select().run)
    assert rows
    for row in rows:
        sealed = bytes(row["sealed"])
        assert TYPED.encode() not in sealed
        assert b"bus stop" not in sealed
        assert code.replace("-", "") not in row["token_hash"]
        assert code.replace("-", "").encode() not in sealed


def test_a_saved_draft_keeps_30_days_and_then_is_gone(client, run, survey):
    from surveys import drafts
    from surveys.tables import ResumeDraft

    code = _save_on_page_4(client, survey)
    newest = run(
        ResumeDraft.select(ResumeDraft.expires_at, ResumeDraft.saved)
        .order_by(ResumeDraft.id, ascending=False)
        .first()
        .run
    )
    assert newest["saved"] is True or newest["saved"] == 1
    left = newest["expires_at"] - datetime.now(UTC)
    assert timedelta(days=29) < left <= timedelta(days=30)
    # 31 days later, `consult purge` deletes it and the code opens nothing.
    purged = run(drafts.purge_expired, datetime.now(UTC) + timedelta(days=31))
    assert purged >= 1
    client.cookies.clear()
    assert _resume(client, survey, code).status_code == 422


def test_an_unsaved_draft_lives_a_day(client, run, survey):
    from surveys.tables import ResumeDraft

    client.cookies.clear()
    walk(
        client,
        survey.url,
        {
            f"q{survey.question_ids['single']}": str(survey.option_ids["single"][0]),
            f"q{survey.question_ids['scale']}": str(survey.option_ids["scale"][0]),
        },
    )
    newest = run(
        ResumeDraft.select(ResumeDraft.expires_at, ResumeDraft.saved)
        .order_by(ResumeDraft.id, ascending=False)
        .first()
        .run
    )
    assert not newest["saved"]
    assert newest["expires_at"] - datetime.now(UTC) <= timedelta(days=1)
