"""One resident's answers to the demo survey, and what must be stored for them.

`ANSWERS` is one resident's whole journey through the demo (consult/demo.py): what
they choose or type on each of its 13 pages, hostile and non-English text
included, in the demo's main language (English). `EXPECTED_ROWS` is what must then
be stored, whatever language the pages were in: an answer names the option's row,
whose label is in the main language. `tests/browser/words.py` gives the same steps
in another language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from consult.demo import DEMO_SLUG

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
