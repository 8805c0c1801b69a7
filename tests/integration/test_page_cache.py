"""Question pages served from a worker's rendered copy: each visitor still gets
their own CSRF field, progress and Back link, and nothing of anyone's answers."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token
from tests.integration.journey import begin, post_page

PROGRESS = re.compile(r'id="progress">Question (\d+) of (\d+)<')


@pytest.fixture
def reused_pages(monkeypatch):
    """Keep rendered pages for a minute, as a busy production worker would."""
    from surveys import pages

    pages.forget_blank_pages()
    monkeypatch.setattr(pages, "_max_age", lambda: 60.0)
    yield
    pages.forget_blank_pages()


@pytest.fixture(scope="module")
def conditional(run):
    """Q1 decides whether Q2 is asked; Q3 is for everyone."""
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.tables import ConsultationStatus
    from surveys import builder, services
    from surveys.definition import (
        SCHEMA_ID,
        ConditionDefinition,
        OptionDefinition,
        QuestionDefinition,
        SurveyDefinition,
        check_definition,
    )

    consultation = run(
        consultations.create,
        ConsultationInput(
            slug="cached-pages",
            title="Cached pages",
            purpose="Why we ask.",
            city="Skien",
            run_by="Skien",
            data_use="Planners read it.",
            minutes_to_complete=3,
        ),
    )
    definition = SurveyDefinition(
        schema=SCHEMA_ID,
        title="Three questions",
        questions=[
            QuestionDefinition(
                key="club",
                type="single_choice",
                text="Are you in a club?",
                required=True,
                options=[OptionDefinition("Yes"), OptionDefinition("No")],
            ),
            QuestionDefinition(
                key="which",
                type="short_text",
                text="Which club?",
                show_if=ConditionDefinition(question="club", operator="equals", options=["Yes"]),
            ),
            QuestionDefinition(
                key="safe",
                type="single_choice",
                text="Do you feel safe there?",
                options=[OptionDefinition("Yes"), OptionDefinition("No")],
            ),
        ],
    )
    survey_id = run(builder.import_definition, consultation.id, check_definition(definition))
    run(consultations.set_status, consultation, ConsultationStatus.open)
    return run(services.load_spec, survey_id)


def _start(spec) -> str:
    return f"/c/cached-pages/surveys/{spec.id}"


def _answer_first(client, spec, label: str) -> None:
    question = spec.questions[0]
    option = next(o for o in question.options if o.label == label)
    begin(client, _start(spec))
    sent = post_page(client, f"{_start(spec)}/pages/1", {question.field_name: str(option.id)})
    assert sent.status_code == 303


def test_two_visitors_get_their_own_progress_back_link_and_csrf_field(
    client, conditional, reused_pages
):
    third = f"{_start(conditional)}/pages/3"
    client.cookies.clear()
    _answer_first(client, conditional, "Yes")  # asked "Which club?": 3 questions
    post_page(client, f"{_start(conditional)}/pages/2", {})
    mine = client.get(third).text
    client.cookies.clear()  # another phone
    _answer_first(client, conditional, "No")  # not asked: 2 questions
    theirs = client.get(third).text
    assert PROGRESS.search(mine).groups() == ("3", "3")
    assert PROGRESS.search(theirs).groups() == ("2", "2")
    assert f'href="{_start(conditional)}/pages/2"' in mine
    assert f'href="{_start(conditional)}/pages/1"' in theirs
    assert csrf_token(mine) != csrf_token(theirs)
    # Apart from those three holes, the two pages are the very same copy.
    strip = re.compile(r'value="[0-9a-f]{40,}"|Question \d+ of \d+|/pages/\d+"')
    assert strip.sub("", mine) == strip.sub("", theirs)


def test_each_copy_can_be_sent(client, run, conditional, reused_pages):
    from surveys.tables import ResumeDraft

    client.cookies.clear()
    _answer_first(client, conditional, "No")
    html = client.get(f"{_start(conditional)}/pages/3").text
    safe = conditional.questions[2]
    sent = client.post(
        f"{_start(conditional)}/pages/3",
        data={"_csrf_token": csrf_token(html), safe.field_name: str(safe.options[0].id)},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    assert sent.headers["location"] == f"{_start(conditional)}/check"
    assert run(ResumeDraft.count().run) >= 1


def test_a_page_with_answers_is_never_the_shared_copy(client, conditional, reused_pages):
    client.cookies.clear()
    _answer_first(client, conditional, "No")
    first = conditional.questions[0]
    no = next(o for o in first.options if o.label == "No")
    back = client.get(f"{_start(conditional)}/pages/1").text
    assert re.search(rf'value="{no.id}"\s+checked', back)
    # Another visitor, fresh, sees page 1 with nothing ticked.
    client.cookies.clear()
    begin(client, _start(conditional))
    fresh = client.get(f"{_start(conditional)}/pages/1").text
    assert "checked" not in fresh


def test_an_edited_question_shows_once_the_copy_expires(client, run, conditional, monkeypatch):
    from surveys import pages, services
    from surveys.tables import Question

    pages.forget_blank_pages()
    monkeypatch.setattr(pages, "_max_age", lambda: 60.0)
    client.cookies.clear()
    begin(client, _start(conditional))
    assert "Are you in a club?" in client.get(f"{_start(conditional)}/pages/1").text
    run(
        Question.update({Question.text: "Are you a member of a club?"})
        .where(Question.id == conditional.questions[0].id)
        .run
    )
    services.forget_cached()
    # The definition changed: the copy rendered from the old one no longer fits.
    assert "Are you a member of a club?" in client.get(f"{_start(conditional)}/pages/1").text
