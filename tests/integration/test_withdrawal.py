"""Withdrawal codes: after sending, a respondent takes a code on the thank-you
page, and later deletes their response with it at /withdraw; the results stop
counting it. A wrong code is told so, guessing is throttled, and a shared tablet
never offers a code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.fixtures import PASSWORD, csrf_token, page_text, post_form, send_survey, sign_in
from tests.integration.journey import send_checked, walk
from tests.integration.test_join import answers_of, new_session

CODE_SHOWN = re.compile(r'<p class="resume-code"[^>]*>([A-Z0-9-]+)</p>')
THANKS_BUTTON = "Take a withdrawal code"


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("withdraw-city")


def _answers(survey, text: str) -> dict[str, str]:
    ids, options = survey.question_ids, survey.option_ids
    return {
        f"q{ids['single']}": str(options["single"][1]),
        f"q{ids['scale']}": str(options["scale"][4]),
        f"q{ids['text']}": text,
    }


def _respond_and_take_code(client, survey, text: str) -> str:
    """Send a response, then press "Take a withdrawal code"; the code shown."""
    client.cookies.clear()
    sent = send_survey(client, survey.submit_url, _answers(survey, text))
    assert sent.status_code == 303
    thanks = client.get(sent.headers["location"]).text
    assert THANKS_BUTTON in thanks
    taken = post_form(client, sent.headers["location"], "/withdraw/code", {})
    assert taken.status_code == 200
    assert "It is shown only once." in page_text(taken.text)
    assert "no-store" in taken.headers["cache-control"]
    match = CODE_SHOWN.search(taken.text)
    assert match, taken.text
    return match.group(1)


async def _counts(survey_id: int) -> dict[str, int]:
    from surveys import tally
    from surveys.tables import Answer, Response

    return {
        "responses": await Response.count().where(Response.survey == survey_id),
        "answers": await Answer.count().where(Answer.response.survey == survey_id),
        "tally": (await tally.read(survey_id)).responses,
    }


def test_a_code_taken_after_sending_deletes_that_response(client, run, survey):
    from surveys.tables import Response

    code = _respond_and_take_code(client, survey, "Withdraw this answer, please.")
    assert re.fullmatch(r"[A-Z0-9]{4}(-[A-Z0-9]{4}){4}", code), "20 characters in groups of four"
    other = send_survey(client, survey.submit_url, _answers(survey, "This one stays."))
    assert other.status_code == 303
    before = run(_counts, survey.survey_id)
    hashes = [row["withdrawal_hash"] for row in run(Response.select(Response.withdrawal_hash).run)]
    assert code.replace("-", "") not in str(hashes), "only a hash of the code is stored"

    client.cookies.clear()
    typed = code.lower().replace("-", " ")  # as a person might type it
    confirm = post_form(client, "/withdraw", "/withdraw", {"code": typed})
    assert confirm.status_code == 200
    assert "Delete your answers?" in page_text(confirm.text)
    assert "Consultation withdraw-city" in page_text(confirm.text)
    assert run(_counts, survey.survey_id) == before, "nothing is deleted before confirming"

    done = post_form(client, "/withdraw", "/withdraw/confirm", {"code": code})
    assert done.status_code == 303
    assert "Your answers have been deleted" in page_text(client.get(done.headers["location"]).text)
    after = run(_counts, survey.survey_id)
    assert after["responses"] == before["responses"] - 1
    assert after["tally"] == before["tally"] - 1, "the results no longer count it"
    assert after["answers"] == before["answers"] - 3
    texts = {row["text"] for row in run(_texts, survey.survey_id)}
    assert "This one stays." in texts
    assert "Withdraw this answer, please." not in texts

    again = post_form(client, "/withdraw", "/withdraw/confirm", {"code": code})
    assert again.status_code == 422
    assert "No response has this code." in page_text(again.text)


async def _texts(survey_id: int) -> list[dict[str, str]]:
    from surveys.tables import Answer

    return await Answer.select(Answer.text).where(
        (Answer.response.survey == survey_id) & Answer.text.is_not_null()
    )


def test_a_wrong_code_is_told_so_and_kept(client, survey):
    client.cookies.clear()
    wrong = post_form(client, "/withdraw", "/withdraw", {"code": "ACDE-FGHJ-KMNP-QRTU-VWXY"})
    assert wrong.status_code == 422
    assert "No response has this code." in page_text(wrong.text)
    assert 'value="ACDE-FGHJ-KMNP-QRTU-VWXY"' in wrong.text, "what was typed is kept"
    malformed = post_form(client, "/withdraw", "/withdraw", {"code": "O0O0-1111"})
    assert malformed.status_code == 422
    assert "A withdrawal code has 20 letters and numbers" in page_text(malformed.text)
    empty = post_form(client, "/withdraw", "/withdraw", {"code": " "})
    assert empty.status_code == 422
    assert "Enter your withdrawal code" in page_text(empty.text)


def test_a_code_is_taken_once_and_only_by_the_browser_that_sent(client, survey):
    client.cookies.clear()
    refused = post_form(client, "/withdraw", "/withdraw/code", {})
    assert refused.status_code == 409, "a browser that sent nothing gets no code"
    assert "This browser has no answers waiting for one." in page_text(refused.text)

    _respond_and_take_code(client, survey, "Once only.")
    thanks = client.get(f"/c/{survey.slug}/thanks").text
    assert THANKS_BUTTON not in thanks
    assert post_form(client, "/withdraw", "/withdraw/code", {}).status_code == 409


def test_a_code_is_not_given_for_a_response_sent_hours_ago(client, run, survey):
    from surveys.tables import Response

    client.cookies.clear()
    sent = send_survey(client, survey.submit_url, _answers(survey, "Sent this morning."))
    assert sent.status_code == 303
    # As if the phone were passed on hours later, the thank-you page still open.
    latest = run(Response.select(Response.id).order_by(Response.id, ascending=False).first().run)
    run(
        Response.update({Response.submitted_at: Response.submitted_at - timedelta(hours=3)})
        .where(Response.id == latest["id"])
        .run
    )
    late = post_form(client, sent.headers["location"], "/withdraw/code", {})
    assert late.status_code == 409
    assert not CODE_SHOWN.search(late.text)


def test_guessing_codes_is_throttled(client, run, survey):
    from consult.services import rate_limits, withdrawal

    code = _respond_and_take_code(client, survey, "Guessers will not find me.")
    client.cookies.clear()
    page = client.get("/withdraw").text
    # The wrong codes of the tests before count too: this address has what is left.
    counted = run(rate_limits.current, withdrawal.TRIES_PER_ADDRESS, "testclient")
    left = counted.limit - counted.hits
    assert left > 0
    statuses = [
        client.post(
            "/withdraw/confirm",
            data={"_csrf_token": csrf_token(page), "code": f"ACDE-FGHJ-KMNP-QRTU-{tail}"},
        ).status_code
        for tail in [f"VW{second}{third}" for second in "XY" for third in "ACDEFGHJ"][: left + 2]
    ]
    assert statuses == [422] * left + [429, 429]
    locked_out = client.post(
        "/withdraw/confirm", data={"_csrf_token": csrf_token(page), "code": code}
    )
    assert locked_out.status_code == 429, "even the right code waits: guessing gains nothing"
    assert "Too many codes tried." in page_text(locked_out.text)
    assert int(locked_out.headers["retry-after"]) > 0


def test_a_kiosk_never_offers_a_code(client, run, survey):
    from consult.services.staff import create_user
    from consult.tables import Role

    session_id, organisation = new_session(run, survey, "kiosk", "KMNPQRTUVW")
    run(create_user, "withdraw-host", PASSWORD, Role.facilitator, organisation)
    client.cookies.clear()
    assert sign_in(client, "withdraw-host").status_code == 303
    start = f"/staff/sessions/{session_id}/kiosk"
    started = client.post(
        start, data={"_csrf_token": csrf_token(client.get(start).text)}, follow_redirects=False
    )
    assert started.status_code == 303
    sent = send_checked(client, walk(client, survey.url, answers_of(survey)))
    assert sent.status_code == 303
    thanks = client.get(sent.headers["location"]).text
    assert "the next person can start in" in thanks
    assert THANKS_BUTTON not in thanks
    taken = client.post("/withdraw/code", data={"_csrf_token": csrf_token(thanks)})
    assert taken.status_code == 409
    assert not CODE_SHOWN.search(taken.text)
