"""The demo survey as a resident answers it, and what the database holds afterwards.

The answers themselves (`ANSWERS`, `EXPECTED_ROWS`) are in tests/browser/answers.py
and re-exported here. The helpers walk the journey the way a person does, by the
labels on the screen, in any language (`words`: tests/browser/words.py, English
unless given); `tests/browser/test_keyboard.py` walks it by keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, Response, expect

from consult.demo import DEMO_SLUG
from tests.browser.answers import (
    AGREE,
    ANSWERS,
    CHECK_HEADING,
    CONSULTATION_TITLE,
    CONTINUE,
    EXIT_PATH,
    EXPECTED_ROWS,
    HOSTILE,
    LANDING,
    LONG_TEXT,
    NEIGHBOURHOOD,
    QUESTIONS,
    QUESTIONS_WITHOUT_FOLLOW_UPS,
    SAVE,
    SEND,
    START_NOW,
    STEP,
    SURVEY_TITLE,
    THANKS_HEADING,
    Row,
    Step,
)
from tests.browser.words import ENGLISH, Words
from tests.fixtures import run_in_fresh_loop

__all__ = [
    "AGREE",
    "ANSWERS",
    "CHECK_HEADING",
    "CONSULTATION_TITLE",
    "CONTINUE",
    "EXIT_PATH",
    "EXPECTED_ROWS",
    "HOSTILE",
    "LANDING",
    "LONG_TEXT",
    "NEIGHBOURHOOD",
    "QUESTIONS",
    "QUESTIONS_WITHOUT_FOLLOW_UPS",
    "SAVE",
    "SEND",
    "START_NOW",
    "STEP",
    "SURVEY_TITLE",
    "THANKS_HEADING",
    "Row",
    "Step",
]

# -- on the page ---------------------------------------------------------------


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def open_start_page(page: Page, words: Words = ENGLISH) -> None:
    """From the home page to the survey's start page, as a resident gets there."""
    page.goto("/")
    follow_to_start_page(page, words)


def follow_to_start_page(page: Page, words: Words = ENGLISH) -> None:
    """From the home page shown, by its links, to the survey's start page."""
    page.get_by_role("link", name=words.consultation_title).click()
    expect(heading(page)).to_have_text(words.consultation_title)
    page.get_by_role("link", name=words.start_now).click()
    expect(heading(page)).to_have_text(words.survey_title)


def agree_and_start(page: Page, words: Words = ENGLISH) -> None:
    """Agree on the start page; the first question follows."""
    page.get_by_role("button", name=words.agree).click()
    expect_question(page, words.steps[0])


def begin(page: Page, words: Words = ENGLISH) -> None:
    open_start_page(page, words)
    agree_and_start(page, words)


def answer_first(page: Page, count: int) -> None:
    """From the home page, answer the first `count` pages and continue past each."""
    begin(page)
    for step in ANSWERS[:count]:
        answer(page, step)
        press(page, CONTINUE)
    expect_question(page, ANSWERS[count])


def expect_question(page: Page, step: Step, progress: str | None = None) -> None:
    """The page now asks `step`'s question (and says which of how many, if given)."""
    expect(heading(page)).to_contain_text(step.question)
    if progress is not None:
        expect(page.locator("#progress")).to_have_text(progress)


def progress_of(index: int) -> str:
    """What the progress line says on ANSWERS[index]'s page as ANSWERS are given."""
    return ENGLISH.progress(index)


def answer(page: Page, step: Step, words: Words = ENGLISH) -> None:
    """Answer one page with a pointer and the on-screen keyboard."""
    main = page.locator("main")
    for label in step.choose:
        main.get_by_label(label, exact=True).check()
    if step.other:
        main.get_by_label(words.other_box(step)).fill(step.other)
    for statement, label in step.statements.items():
        main.get_by_role("group", name=statement, exact=True).get_by_label(
            label, exact=True
        ).check()
    for item, place in step.ranks.items():
        main.get_by_label(item, exact=True).select_option(str(place))
    if step.text:
        main.get_by_label(step.question).fill(step.text)


def expect_answered(page: Page, step: Step, words: Words = ENGLISH) -> None:
    """The page shows `step`'s answers as given (after Back, an error, a resume)."""
    main = page.locator("main")
    for label in step.choose:
        expect(main.get_by_label(label, exact=True)).to_be_checked()
    if step.other:
        expect(main.get_by_label(words.other_box(step))).to_have_value(step.other)
    for statement, label in step.statements.items():
        group = main.get_by_role("group", name=statement, exact=True)
        expect(group.get_by_label(label, exact=True)).to_be_checked()
    for item, place in step.ranks.items():
        expect(main.get_by_label(item, exact=True)).to_have_value(str(place))
    if step.text:
        expect(main.get_by_label(step.question)).to_have_value(step.text)


def press(page: Page, name: str) -> Response:
    """Press a form's button; the response to the POST it sends."""
    with page.expect_response(lambda response: response.request.method == "POST") as posted:
        page.get_by_role("button", name=name, exact=True).click()
    return posted.value


def walk(
    page: Page,
    steps: tuple[Step, ...] | None = None,
    on_page: Callable[[Page, Step], None] | None = None,
    after_continue: Callable[[Page, Response], None] | None = None,
    words: Words = ENGLISH,
) -> None:
    """Answer each page and continue, up to "Check your answers".

    `steps` are `words.steps` unless given. `on_page` sees each page once answered,
    before Continue; `after_continue` sees the POST's response once the next page
    is shown.
    """
    steps = words.steps if steps is None else steps
    for index, step in enumerate(steps):
        expect_question(page, step, words.progress(index))
        answer(page, step, words)
        if on_page:
            on_page(page, step)
        response = press(page, words.continue_)
        nxt = steps[index + 1] if index + 1 < len(steps) else None
        if nxt is None:
            expect(heading(page)).to_have_text(words.check_heading)
        else:
            expect_question(page, nxt)
        if after_continue:
            after_continue(page, response)


def send(page: Page, words: Words = ENGLISH) -> Response:
    """Send from "Check your answers"; the POST's response, once thanked."""
    response = press(page, words.send)
    expect(heading(page)).to_have_text(words.thanks_heading)
    return response


def survey_path(page: Page) -> str:
    """/c/<slug>/surveys/<id> of the survey the page belongs to."""
    found = re.search(r"/c/[^/]+/surveys/\d+", page.url)
    assert found, f"not a survey page: {page.url}"
    return found.group(0)


# -- in the database -------------------------------------------------------------


def response_count() -> int:
    from surveys.tables import Response as StoredResponse

    async def count() -> int:
        return await StoredResponse.count()

    return run_in_fresh_loop(count)


def latest_answers() -> frozenset[Row]:
    """The newest response's answers, as `Row`s."""
    from surveys.tables import Answer
    from surveys.tables import Response as StoredResponse

    async def read() -> frozenset[Row]:
        newest = (
            await StoredResponse.select(StoredResponse.id)
            .order_by(StoredResponse.id, ascending=False)
            .first()
        )
        rows = await Answer.select(
            Answer.question.key,
            Answer.option.label,
            Answer.statement.text,
            Answer.rank,
            Answer.number,
            Answer.text,
        ).where(Answer.response == newest["id"])
        return frozenset(
            Row(
                row["question.key"],
                row["option.label"],
                row["statement.text"],
                row["rank"],
                row["number"],
                row["text"],
            )
            for row in rows
        )

    return run_in_fresh_loop(read)


def set_consultation_open(is_open: bool) -> None:
    """Close the demo (as a planner does when its period ends) or open it again."""
    from consult.tables import Consultation, ConsultationStatus

    status = ConsultationStatus.open if is_open else ConsultationStatus.closed

    async def update() -> None:
        await Consultation.update({Consultation.status: status}).where(
            Consultation.slug == DEMO_SLUG
        )

    run_in_fresh_loop(update)


def make_question_required(key: str) -> None:
    """Make a demo question required, as a planner would before anyone answered.

    The demo's matrix is optional, and its survey already has answers, so the
    builder (rightly) refuses the change; the test changes the row directly.
    """
    from surveys.tables import Question

    async def update() -> None:
        await Question.update({Question.required: True}).where(Question.key == key)

    run_in_fresh_loop(update)
