"""The demo survey as a resident answers it, and what the database holds afterwards.

`ANSWERS` is one resident's whole journey through the demo (consult/demo.py): what
they choose or type on each of its 13 pages, hostile and non-English text
included. `EXPECTED_ROWS` is what must then be stored, read back with
`latest_answers()`. The helpers walk the journey the way a person does, by the
labels on the screen; `tests/browser/test_keyboard.py` walks it by keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from playwright.sync_api import Page, Response, expect

from consult.demo import DEMO_SLUG
from tests.fixtures import run_in_fresh_loop

CONSULTATION_TITLE = "Reykjavik: do we need a strategy against violent extremism and hate?"
SURVEY_TITLE = "Safety, hate and what the city should do"
LANDING = f"/c/{DEMO_SLUG}"
EXIT_PATH = f"/c/{DEMO_SLUG}/exit"
START_NOW = "Start now"
AGREE = "I agree – start"
CONTINUE = "Continue"
SAVE = "Save and continue later"
CHECK_HEADING = "Check your answers before sending them"
SEND = "Send my answers"
THANKS_HEADING = "Your answers have been received"
QUESTIONS = 13
# Two questions follow up "Yes" to the second: until it is answered they are not
# counted ("Question 1 of 11"); after "Yes, sometimes" they are ("Question 3 of 13").
QUESTIONS_WITHOUT_FOLLOW_UPS = 11

# Hostile and non-English text: markup, a spreadsheet formula, Icelandic, Polish,
# Japanese and Hebrew. It must come back exactly as typed, and show as typed.
HOSTILE = 'Fleiri <b>klubów</b> & =HYPERLINK("x")'
NEIGHBOURHOOD = "Breiðholt – ul. Żółwia 3"
LONG_TEXT = f"{HOSTILE}\nFélagsmiðstöðvar – 日本語 – עברית"


@dataclass(frozen=True)
class Step:
    """What the resident does on one question page (one question per page)."""

    question: str  # the page's heading
    key: str  # the question's variable name in the demo definition
    choose: tuple[str, ...] = ()  # radios or checkboxes, by label
    other: str = ""  # typed into "If you chose ‘Somewhere else’, say what it is"
    statements: dict[str, str] = field(default_factory=dict)  # matrix: statement -> label
    ranks: dict[str, int] = field(default_factory=dict)  # ranking: item -> place
    text: str = ""  # short text, number or long text
    kind: str = "choice"  # choice, matrix, ranking, text


ANSWERS: tuple[Step, ...] = (
    Step(
        "How safe do you feel in your neighbourhood after dark?",
        "feel_safe",
        choose=("Fairly unsafe",),
    ),
    Step(
        "In the last 12 months, have you seen or heard hate speech in Reykjavik?",
        "seen_hate",
        choose=("Yes, sometimes",),
    ),
    Step(
        "Where did you see or hear it?",
        "where_hate",
        choose=("Online or on social media", "Somewhere else"),
        other=HOSTILE,
    ),
    Step("Did you or anyone report it?", "reported", choose=("No",)),
    Step(
        "How much do you trust each of these to act on hate crime?",
        "trust",
        statements={
            "The police": "Some trust",
            "The city": "Little trust",
            "Schools": "Much trust",
            "Community organisations": "Don't know",
        },
        kind="matrix",
    ),
    Step(
        "Which groups do you think are targeted most in Reykjavik?",
        "targeted_groups",
        choose=("Muslims", "LGBTQI+ people"),
    ),
    Step(
        "Does Reykjavik need a strategy against violent extremism and hate?",
        "needs_strategy",
        choose=("Definitely yes",),
    ),
    Step(
        "What should the city do first?",
        "priorities",
        ranks={
            "Make reporting easier": 1,
            "More youth workers in the evenings": 2,
            "Safer streets and bus stops": 3,
        },
        kind="ranking",
    ),
    Step(
        "Which organisations could best reach people at risk?",
        "reach_at_risk",
        choose=("Youth clubs", "Religious communities"),
    ),
    Step("Your age group", "age_band", choose=("30 to 44",)),
    Step(
        "Which part of Reykjavik do you live in?",
        "neighbourhood",
        text=NEIGHBOURHOOD,
        kind="text",
    ),
    Step("How many years have you lived in Reykjavik?", "years_in_city", text="7", kind="text"),
    Step(
        "Is there anything else the city should know?",
        "anything_else",
        text=LONG_TEXT,
        kind="text",
    ),
)
STEP = {step.key: step for step in ANSWERS}


class Row(NamedTuple):
    """One stored answer: question, option label, matrix statement, rank, number, text."""

    question: str
    option: str | None = None
    statement: str | None = None
    rank: int | None = None
    number: int | None = None
    text: str | None = None


# What ANSWERS must store, written out by hand. A scale answer also stores its
# point on the scale (1 for the first); "Don't know" has none.
EXPECTED_ROWS = frozenset(
    {
        Row("feel_safe", "Fairly unsafe", number=2),
        Row("seen_hate", "Yes, sometimes"),
        Row("where_hate", "Online or on social media"),
        Row("where_hate", "Somewhere else", text=HOSTILE),
        Row("reported", "No"),
        Row("trust", "Some trust", "The police", number=3),
        Row("trust", "Little trust", "The city", number=2),
        Row("trust", "Much trust", "Schools", number=4),
        Row("trust", "Don't know", "Community organisations"),
        Row("targeted_groups", "Muslims"),
        Row("targeted_groups", "LGBTQI+ people"),
        Row("needs_strategy", "Definitely yes", number=5),
        Row("priorities", "Make reporting easier", rank=1),
        Row("priorities", "More youth workers in the evenings", rank=2),
        Row("priorities", "Safer streets and bus stops", rank=3),
        Row("reach_at_risk", "Youth clubs"),
        Row("reach_at_risk", "Religious communities"),
        Row("age_band", "30 to 44"),
        Row("neighbourhood", text=NEIGHBOURHOOD),
        Row("years_in_city", number=7),
        Row("anything_else", text=LONG_TEXT),
    }
)


# -- on the page ---------------------------------------------------------------


def heading(page: Page):
    return page.get_by_role("heading", level=1)


def open_start_page(page: Page) -> None:
    """From the home page to the survey's start page, as a resident gets there."""
    page.goto("/")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(heading(page)).to_have_text(CONSULTATION_TITLE)
    page.get_by_role("link", name=START_NOW).click()
    expect(heading(page)).to_have_text(SURVEY_TITLE)


def agree_and_start(page: Page) -> None:
    """Agree on the start page; the first question follows."""
    page.get_by_role("button", name=AGREE).click()
    expect_question(page, ANSWERS[0])


def begin(page: Page) -> None:
    open_start_page(page)
    agree_and_start(page)


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
    total = QUESTIONS_WITHOUT_FOLLOW_UPS if index < 2 else QUESTIONS
    return f"Question {index + 1} of {total}"


def answer(page: Page, step: Step) -> None:
    """Answer one page with a pointer and the on-screen keyboard."""
    main = page.locator("main")
    for label in step.choose:
        main.get_by_label(label, exact=True).check()
    if step.other:
        main.get_by_label(re.compile("say what it is")).fill(step.other)
    for statement, label in step.statements.items():
        main.get_by_role("group", name=statement, exact=True).get_by_label(
            label, exact=True
        ).check()
    for item, place in step.ranks.items():
        main.get_by_label(item, exact=True).select_option(str(place))
    if step.text:
        main.get_by_label(step.question).fill(step.text)


def expect_answered(page: Page, step: Step) -> None:
    """The page shows `step`'s answers as given (after Back, an error, a resume)."""
    main = page.locator("main")
    for label in step.choose:
        expect(main.get_by_label(label, exact=True)).to_be_checked()
    if step.other:
        expect(main.get_by_label(re.compile("say what it is"))).to_have_value(step.other)
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
    steps: tuple[Step, ...] = ANSWERS,
    on_page: Callable[[Page, Step], None] | None = None,
    after_continue: Callable[[Page, Response], None] | None = None,
) -> None:
    """Answer each page and continue, up to "Check your answers".

    `on_page` sees each page once answered, before Continue; `after_continue` sees
    the POST's response once the next page is shown.
    """
    for index, step in enumerate(steps):
        expect_question(page, step, progress_of(index))
        answer(page, step)
        if on_page:
            on_page(page, step)
        response = press(page, CONTINUE)
        nxt = steps[index + 1] if index + 1 < len(steps) else None
        if nxt is None:
            expect(heading(page)).to_have_text(CHECK_HEADING)
        else:
            expect_question(page, nxt)
        if after_continue:
            after_continue(page, response)


def send(page: Page) -> Response:
    """Send from "Check your answers"; the POST's response, once thanked."""
    response = press(page, SEND)
    expect(heading(page)).to_have_text(THANKS_HEADING)
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
