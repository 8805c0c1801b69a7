"""Paper questionnaires: the printable survey, and keying one in on the entry screen
(stored once, with the session and channel paper, checked as online, blanks allowed
but not a wholly blank questionnaire)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from tests.data.hostile_strings import HOSTILE
from tests.fixtures import PASSWORD, csrf_token, idempotency_key, sign_in

HOSTILE_OPTION = '<img src=x onerror="alert(1)">'
HOSTILE_QUESTION = "<script>alert('q')</script> Who did it?"


@dataclass(frozen=True)
class PaperSite:
    consultation_id: int
    survey_id: int
    session_id: int  # a paper session of the organisation "Youth club"
    kiosk_session_id: int  # a kiosk session of the same organisation
    other_session_id: int  # a paper session of another organisation
    spec: object

    def question(self, key_text: str):
        return next(q for q in self.spec.questions if q.text.startswith(key_text))

    def field(self, key_text: str) -> str:
        return self.question(key_text).field_name


def _definition():
    from surveys.definition import (
        SCHEMA_ID,
        ConditionDefinition,
        OptionDefinition,
        QuestionDefinition,
        SurveyDefinition,
        check_definition,
    )

    options = lambda *labels: [OptionDefinition(label) for label in labels]  # noqa: E731
    return check_definition(
        SurveyDefinition(
            schema=SCHEMA_ID,
            title="Paper safety survey",
            intro="Ten minutes of your time.",
            consent_text="You agree that the city may use your answers.",
            questions=[
                QuestionDefinition(
                    key="seen",
                    type="single_choice",
                    text="Have you seen hate speech?",
                    help="In the last 12 months.",
                    required=True,
                    options=options("Yes", "No"),
                ),
                QuestionDefinition(
                    key="where",
                    type="multiple_choice",
                    text="Where did you see it?",
                    required=True,
                    max_choices=2,
                    options=[
                        *options("Online", "Street", "School"),
                        OptionDefinition("Somewhere else", other=True),
                    ],
                    show_if=ConditionDefinition(
                        question="seen", operator="equals", options=["Yes"]
                    ),
                ),
                QuestionDefinition(
                    key="trust",
                    type="scale",
                    text="How much do you trust the police?",
                    options=[
                        *options("None", "Little", "Much"),
                        OptionDefinition("Don't know", dont_know=True),
                    ],
                ),
                QuestionDefinition(
                    key="agree",
                    type="matrix",
                    text="How much do you agree?",
                    options=options("Disagree", "Agree"),
                    statements=["The city listens", "I feel at home"],
                ),
                QuestionDefinition(
                    key="priorities",
                    type="ranking",
                    text="What should come first?",
                    options=options("Youth work", "Policing", "Schools"),
                ),
                QuestionDefinition(
                    key="years",
                    type="number",
                    text="How many years have you lived here?",
                    min_number=0,
                    max_number=120,
                    unit="years",
                ),
                QuestionDefinition(key="who", type="short_text", text=HOSTILE_QUESTION, options=[]),
                QuestionDefinition(
                    key="hostile",
                    type="single_choice",
                    text="Pick a hostile option",
                    options=options(HOSTILE_OPTION, HOSTILE[0][:200]),
                ),
                QuestionDefinition(key="ideas", type="long_text", text="What should the city do?"),
            ],
        )
    )


async def _make_site() -> PaperSite:
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.services.staff import create_user
    from consult.tables import ConsultationStatus, HostedSession, Organisation, Role
    from surveys import builder
    from surveys.services import load_spec

    consultation = await consultations.create(
        ConsultationInput(
            slug="paper-city",
            title="Paper consultation",
            purpose="Why we ask on paper.",
            city="Reykjavik",
            run_by="City of Reykjavik",
            data_use="Only planners read the answers.",
            minutes_to_complete=10,
        )
    )
    survey_id = await builder.import_definition(consultation.id, _definition())
    await consultations.set_status(consultation, ConsultationStatus.open)
    organisations = []
    for name in ("Youth club", "Chess club"):
        rows = await Organisation.insert(Organisation(name=name, kind="youth", city="Reykjavik"))
        organisations.append(rows[0]["id"])
    sessions = []
    for code, organisation, mode in (
        ("PAPERAAAA1", organisations[0], "paper"),
        ("KIOSKAAAA1", organisations[0], "kiosk"),
        ("PAPERBBBB1", organisations[1], "paper"),
    ):
        rows = await HostedSession.insert(
            HostedSession(
                consultation=consultation.id,
                organisation=organisation,
                title=f"Evening at {code}",
                code=code,
                mode=mode,
                locale="en",
                created_at=datetime.now(UTC),
            )
        )
        sessions.append(rows[0]["id"])
    await create_user("paper-planner", PASSWORD, Role.planner, city="Reykjavik")
    await create_user("youth-helper", PASSWORD, Role.facilitator, organisations[0])
    await create_user("chess-helper", PASSWORD, Role.facilitator, organisations[1])
    return PaperSite(consultation.id, survey_id, *sessions, spec=await load_spec(survey_id))


@pytest.fixture(scope="module")
def site(run) -> PaperSite:
    return run(_make_site)


@pytest.fixture
def as_facilitator(client, site):
    client.cookies.clear()
    sign_in(client, "youth-helper")
    yield client
    client.cookies.clear()


def _entry(site: PaperSite) -> str:
    return f"/staff/sessions/{site.session_id}/paper"


def _post(client, site: PaperSite, data: dict, key: str | None = None, session_id=None):
    page = client.get(f"/staff/sessions/{session_id or site.session_id}/paper")
    return client.post(
        f"/staff/sessions/{session_id or site.session_id}/paper",
        data={
            "_csrf_token": csrf_token(page.text),
            "idempotency_key": key or idempotency_key(page.text),
            **data,
        },
        follow_redirects=False,
    )


def _responses(run, site: PaperSite) -> list[dict]:
    from surveys.tables import Response

    return run(
        Response.select(Response.id, Response.channel, Response.hosted_session)
        .where(Response.survey == site.survey_id)
        .order_by(Response.id)
        .run
    )


def _answers(run, response_id: int) -> list[dict]:
    from surveys.tables import Answer

    return run(
        Answer.select(Answer.question, Answer.option, Answer.number, Answer.text, Answer.rank)
        .where(Answer.response == response_id)
        .order_by(Answer.id)
        .run
    )


def _whole(site: PaperSite) -> dict[str, object]:
    """One questionnaire with every question answered."""
    where = site.question("Where")
    agree = site.question("How much do you agree")
    ranking = site.question("What should come first")
    return {
        site.field("Have you seen"): "1",
        where.field_name: [str(where.options[0].id), str(where.options[3].id)],
        where.other_field: "On the bus",
        site.field("How much do you trust"): "3",
        agree.statement_field(agree.statements[0]): "2",
        agree.statement_field(agree.statements[1]): "1",
        ranking.rank_field(ranking.options[1]): "1",
        ranking.rank_field(ranking.options[0]): "2",
        site.field("How many years"): "12",
        site.field("<script>"): "Neighbours",
        site.field("Pick a hostile"): "1",
        site.field("What should the city do"): "More youth workers.",
    }


def test_a_whole_questionnaire_is_stored_with_channel_paper_and_the_session(
    run, site, as_facilitator
):
    from surveys import tally

    before = run(tally.read, site.survey_id).cells.get((0, 0, 0), 0)
    sent = _post(as_facilitator, site, _whole(site))
    assert sent.status_code == 303
    assert sent.headers["location"] == _entry(site)
    stored = _responses(run, site)[-1]
    assert stored["channel"] == "paper"
    assert stored["hosted_session"] == site.session_id
    answers = _answers(run, stored["id"])
    seen, where, trust = (
        site.question("Have"),
        site.question("Where"),
        site.question("How much do you trust"),
    )
    assert {
        "question": seen.id,
        "option": seen.options[0].id,
        "number": None,
        "text": None,
        "rank": None,
    } in answers
    assert any(a["option"] == where.options[3].id and a["text"] == "On the bus" for a in answers)
    # Option 3 of the scale is "Much", the third point.
    assert any(a["option"] == trust.options[2].id and a["number"] == 3 for a in answers)
    assert any(a["number"] == 12 for a in answers)
    ranking = site.question("What should come first")
    ranks = {a["option"]: a["rank"] for a in answers if a["question"] == ranking.id}
    assert ranks == {ranking.options[1].id: 1, ranking.options[0].id: 2}
    # The tally (what results pages read) counts it.
    assert run(tally.read, site.survey_id).cells.get((0, 0, 0), 0) == before + 1
    # Then an empty form again, the confirmation and the focus on the first field.
    page = as_facilitator.get(_entry(site))
    count = len([r for r in _responses(run, site) if r["hosted_session"] == site.session_id])
    assert f"Questionnaire {count} saved" in page.text
    first = site.field("Have you seen")
    assert re.search(rf'id="{first}"[^>]*value=""[^>]*autofocus', page.text)
    assert "On the bus" not in page.text
    # Shown once only.
    assert "saved</h2>" not in as_facilitator.get(_entry(site)).text


def test_blanks_are_allowed_even_for_required_questions(run, site, as_facilitator):
    before = len(_responses(run, site))
    sent = _post(as_facilitator, site, {site.field("How many years"): "40"})
    assert sent.status_code == 303
    stored = _responses(run, site)
    assert len(stored) == before + 1
    answers = _answers(run, stored[-1]["id"])
    assert [a["number"] for a in answers] == [40]


def test_a_blank_questionnaire_is_refused_not_counted(run, site, as_facilitator):
    """Enter pressed on an empty screen must not add a response to every count."""
    before = len(_responses(run, site))
    sent = _post(as_facilitator, site, {})
    assert sent.status_code == 422
    assert "Enter at least one answer from the questionnaire" in sent.text
    assert len(_responses(run, site)) == before


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("Have you seen", "3", "Enter the number of one of the answers, from 1 to 2."),
        ("Have you seen", "yes", "Enter the number of one of the answers, from 1 to 2."),
        ("How many years", "121", "Enter a number from 0 to 120."),
        ("How much do you trust", "0", "from 1 to 4"),
    ],
)
def test_invalid_values_are_refused_with_every_value_kept(
    run, site, as_facilitator, name, value, message
):
    before = len(_responses(run, site))
    data = {**_whole(site), site.field(name): value}
    sent = _post(as_facilitator, site, data)
    assert sent.status_code == 422
    assert message in sent.text
    assert "There is a problem" in sent.text
    assert f'href="#{site.field(name)}"' in sent.text
    # Every typed value is kept, the wrong one included.
    assert f'value="{value}"' in sent.text
    assert 'value="On the bus"' in sent.text
    assert "More youth workers." in sent.text
    assert len(_responses(run, site)) == before


def test_too_many_choices_are_refused(run, site, as_facilitator):
    where = site.question("Where")
    before = len(_responses(run, site))
    data = {**_whole(site), where.field_name: [str(o.id) for o in where.options[:3]]}
    sent = _post(as_facilitator, site, data)
    assert sent.status_code == 422
    assert "Select no more than 2 answers." in sent.text
    assert len(_responses(run, site)) == before
    for option in where.options[:3]:
        assert re.search(rf'value="{option.id}" checked', sent.text)


def test_a_double_submit_stores_once(run, site, as_facilitator):
    page = as_facilitator.get(_entry(site))
    key = idempotency_key(page.text)
    before = len(_responses(run, site))
    for _ in range(2):
        sent = _post(as_facilitator, site, _whole(site), key=key)
        assert sent.status_code == 303
    assert len(_responses(run, site)) == before + 1


def test_the_key_is_kept_through_an_error(run, site, as_facilitator):
    page = as_facilitator.get(_entry(site))
    key = idempotency_key(page.text)
    refused = _post(as_facilitator, site, {site.field("How many years"): "x"}, key=key)
    assert refused.status_code == 422
    assert idempotency_key(refused.text) == key


def test_answers_to_hidden_questions_are_dropped(run, site, as_facilitator):
    where = site.question("Where")
    data = {**_whole(site), site.field("Have you seen"): "2"}
    # Even an invalid answer to a question the respondent skipped is not checked.
    data[where.field_name] = [str(o.id) for o in where.options]
    assert _post(as_facilitator, site, data).status_code == 303
    answers = _answers(run, _responses(run, site)[-1]["id"])
    assert not [a for a in answers if a["question"] == where.id]
    assert [a for a in answers if a["question"] == site.question("Have").id]


def test_a_closed_consultation_stores_nothing(run, site, as_facilitator):
    from consult.services import consultations
    from consult.tables import ConsultationStatus

    page = as_facilitator.get(_entry(site))
    consultation = run(consultations.by_id, site.consultation_id)
    run(consultations.set_status, consultation, ConsultationStatus.closed)
    try:
        before = len(_responses(run, site))
        sent = as_facilitator.post(
            _entry(site),
            data={
                "_csrf_token": csrf_token(page.text),
                "idempotency_key": idempotency_key(page.text),
                **_whole(site),
            },
            follow_redirects=False,
        )
        assert sent.status_code == 409
        assert "This consultation is closed" in sent.text
        assert len(_responses(run, site)) == before
        shown = as_facilitator.get(_entry(site))
        assert "This consultation is closed" in shown.text
        assert "Save and enter the next" not in shown.text
    finally:
        run(consultations.set_status, consultation, ConsultationStatus.open)


def test_a_kiosk_session_refuses_paper_entry(run, site, as_facilitator):
    page = as_facilitator.get(f"/staff/sessions/{site.kiosk_session_id}/paper")
    assert page.status_code == 200
    assert "Paper questionnaires are entered for sessions held on paper" in page.text
    assert "Save and enter the next" not in page.text
    before = len(_responses(run, site))
    sent = as_facilitator.post(
        f"/staff/sessions/{site.kiosk_session_id}/paper",
        data={"_csrf_token": csrf_token(page.text), **_whole(site)},
        follow_redirects=False,
    )
    assert sent.status_code == 409
    assert len(_responses(run, site)) == before


def test_post_without_csrf_is_refused(run, site, as_facilitator):
    before = len(_responses(run, site))
    sent = as_facilitator.post(_entry(site), data=_whole(site), follow_redirects=False)
    assert sent.status_code == 403
    assert len(_responses(run, site)) == before


def test_another_organisations_facilitator_reaches_no_paper_route(run, client, site):
    client.cookies.clear()
    sign_in(client, "chess-helper")
    try:
        for path in (
            f"/staff/sessions/{site.session_id}/paper",
            f"/staff/sessions/{site.session_id}/paper-survey",
            f"/staff/surveys/{site.survey_id}/paper",
        ):
            page = client.get(path)
            assert page.status_code in (403, 404), path
            assert "Have you seen hate speech?" not in page.text
        before = len(_responses(run, site))
        token = csrf_token(client.get(f"/staff/sessions/{site.other_session_id}/paper").text)
        sent = client.post(
            f"/staff/sessions/{site.session_id}/paper",
            data={"_csrf_token": token, **_whole(site)},
            follow_redirects=False,
        )
        assert sent.status_code in (403, 404)
        assert len(_responses(run, site)) == before
        # Their own session works.
        assert client.get(f"/staff/sessions/{site.other_session_id}/paper").status_code == 200
    finally:
        client.cookies.clear()


def test_signed_out_is_sent_to_sign_in(client, site):
    client.cookies.clear()
    page = client.get(f"/staff/sessions/{site.session_id}/paper-survey", follow_redirects=False)
    assert page.status_code in (302, 303, 401)


def test_the_paper_survey_has_every_question_option_and_condition(client, site):
    client.cookies.clear()
    sign_in(client, "youth-helper")
    try:
        page = client.get(f"/staff/sessions/{site.session_id}/paper-survey")
    finally:
        client.cookies.clear()
    assert page.status_code == 200
    text = html.unescape(page.text)
    for question in site.spec.questions:
        assert f"{question.position}.</span> {question.text}" in text
        for option in question.options:
            assert option.label in text
        for statement in question.statements:
            assert statement.text in text
    for expected in (
        "Why we ask on paper.",
        "Only planners read the answers.",
        "Ten minutes of your time.",
        "You agree that the city may use your answers.",
        "In the last 12 months.",
        "Tick all that apply, up to 2.",
        "Tick one box.",
        "Tick one box in each row.",
        "Write a whole number from 0 to 120.",
        "years",
        "If you ticked ‘Somewhere else’, please say what it is:",
        "If you answered ‘Yes’ to question 1, answer question 2; otherwise go to question 3.",
        "For office use",
        "Session PAP-ERA-AAA1",
        "Questionnaire no.",
    ):
        assert expected in text, expected
    # Printed, not clickable: the print styles hide the navigation.
    assert "paper.css" in page.text


def test_hostile_text_is_escaped_on_both_pages(client, site):
    client.cookies.clear()
    sign_in(client, "paper-planner")
    try:
        pages = [
            client.get(f"/staff/surveys/{site.survey_id}/paper").text,
            client.get(f"/staff/sessions/{site.session_id}/paper").text,
        ]
    finally:
        client.cookies.clear()
    for text in pages:
        assert HOSTILE_OPTION not in text
        assert "<script>alert('q')</script>" not in text
        assert html.escape(HOSTILE_OPTION, quote=False) in text.replace("&#34;", '"')


def test_a_planner_prints_any_survey_without_a_session_code(client, site):
    client.cookies.clear()
    sign_in(client, "paper-planner")
    try:
        page = client.get(f"/staff/surveys/{site.survey_id}/paper")
        assert page.status_code == 200
        assert "PAP-ERA-AAA1" not in page.text
        assert "For office use" in page.text
        assert client.get("/staff/surveys/999999/paper").status_code == 404
    finally:
        client.cookies.clear()


def test_a_facilitator_cannot_print_by_survey(client, site):
    client.cookies.clear()
    sign_in(client, "youth-helper")
    try:
        assert client.get(f"/staff/surveys/{site.survey_id}/paper").status_code == 403
    finally:
        client.cookies.clear()


def test_the_paper_survey_is_in_the_sessions_language(run, client, site, monkeypatch):
    from consult import i18n
    from consult.tables import HostedSession

    # Catalogues are compiled by `make install`; the language need only be known.
    locale = "is"
    monkeypatch.setattr(i18n, "available_locales", lambda: ("en", locale))
    update = HostedSession.update({HostedSession.locale: locale})
    run(update.where(HostedSession.id == site.session_id).run)
    client.cookies.clear()
    sign_in(client, "youth-helper")
    try:
        page = client.get(
            f"/staff/sessions/{site.session_id}/paper-survey",
            headers={"accept-language": "en"},
        )
        assert f'<html lang="{locale}"' in page.text
        # The survey's own content is printed as stored.
        assert "Have you seen hate speech?" in page.text
    finally:
        client.cookies.clear()
        run(
            HostedSession.update({HostedSession.locale: "en"})
            .where(HostedSession.id == site.session_id)
            .run
        )
