"""What our test resident answers in the demo survey, and how to read it back."""

from __future__ import annotations

from playwright.sync_api import Page

from consult.demo import DEMO_SLUG
from tests.fixtures import run_in_fresh_loop

CONSULTATION_TITLE = "Reykjavik: do we need a strategy against violent extremism and hate?"

# Every choice the resident makes, in the order the questions appear on the page.
CHOICES = {
    "How safe do you feel in your neighbourhood after dark?": ["Fairly unsafe"],
    "In the last 12 months, have you seen or heard hate speech in Reykjavik?": ["Yes, sometimes"],
    "Where did you see or hear it?": [
        "Online or on social media",
        "At sports or leisure activities",
    ],
    "How much do you trust the police to act on hate crime?": ["Some trust"],
    "Does Reykjavik need a strategy against violent extremism and hate?": ["Definitely yes"],
}
# Answered before a first, premature submit: one required question and an optional
# one, so the error page must keep them while asking for the three still missing.
FIRST_CHOICES = {
    question: CHOICES[question]
    for question in (
        "How safe do you feel in your neighbourhood after dark?",
        "Where did you see or hear it?",
    )
}
REST_CHOICES = {q: labels for q, labels in CHOICES.items() if q not in FIRST_CHOICES}
# Hostile and non-English text together: it must come back exactly as typed.
FREE_TEXT = {
    "What should the city do first?": (
        'Fleiri félagsmiðstöðvar – więcej <b>klubów</b> & =HYPERLINK("x")'
    ),
}
SUBMIT = "Send my answers"
EXPECTED = {(question, label, None) for question, labels in CHOICES.items() for label in labels} | {
    (question, None, text) for question, text in FREE_TEXT.items()
}


def choose(page: Page, choices: dict[str, list[str]]) -> None:
    for question, labels in choices.items():
        group = page.get_by_role("group", name=question)
        for label in labels:
            group.get_by_label(label, exact=True).check()


def type_free_text(page: Page) -> None:
    for question, text in FREE_TEXT.items():
        page.get_by_label(question).fill(text)


def submit(page: Page) -> tuple[int, dict[str, str]]:
    """Press the submit button; the status and request headers of the POST."""
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name=SUBMIT).click()
    response = posted.value
    return response.status, response.request.headers


def open_demo_survey(page: Page) -> None:
    """From the home page to the survey form, the way a resident gets there."""
    page.goto("/")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name="Start now").click()
    page.get_by_role("heading", level=1).wait_for()


def response_count() -> int:
    from surveys.tables import Response

    async def count() -> int:
        return await Response.count()

    return run_in_fresh_loop(count)


def latest_answers() -> set[tuple[str, str | None, str | None]]:
    """The newest response's answers as (question, option label, text)."""
    from surveys.tables import Answer, Response

    async def read() -> set[tuple[str, str | None, str | None]]:
        newest = await Response.select(Response.id).order_by(Response.id, ascending=False).first()
        rows = await Answer.select(Answer.question.text, Answer.option.label, Answer.text).where(
            Answer.response == newest["id"]
        )
        return {(row["question.text"], row["option.label"], row["text"]) for row in rows}

    return run_in_fresh_loop(read)


def close_demo_consultation() -> None:
    """Close the demo, as a planner would when the consultation period ends."""
    from consult.tables import Consultation, ConsultationStatus

    async def close() -> None:
        await Consultation.update({Consultation.status: ConsultationStatus.closed}).where(
            Consultation.slug == DEMO_SLUG
        )

    run_in_fresh_loop(close)
