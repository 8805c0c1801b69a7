"""What the demo journey's pages say in any shipped language.

The interface's words come from its catalogue (consult.i18n), the survey's from
consult/demo_translations.json, which the demo loads: no translation is typed into
a test. A catalogue message not yet translated reads as the English one, on the
page as here, so a test stays right while the catalogues fill in.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, replace
from typing import Any

from consult import i18n
from consult.demo import DEFINITION
from consult.demo_languages import TRANSLATIONS_FILE
from surveys.definition import QuestionDefinition
from tests.browser.answers import (
    ANSWERS,
    CONSULTATION_TITLE,
    QUESTIONS,
    QUESTIONS_WITHOUT_FOLLOW_UPS,
    Step,
)

QUESTION = {question.key: question for question in DEFINITION.questions}
_PLACEHOLDER = re.compile(r"%\(\w+\)s")


def say(locale: str, message: str, **params: Any) -> str:
    """`message` as the interface shows it in `locale`, placeholders filled in."""
    text = i18n.translations(locale).gettext(message)
    return text % params if params else text


@functools.cache
def _demo_texts() -> dict[str, dict[str, Any]]:
    return json.loads(TRANSLATIONS_FILE.read_text(encoding="utf-8"))


def content(locale: str) -> dict[str, Any]:
    """The demo's texts in `locale` as consult/demo_translations.json has them."""
    return _demo_texts().get(locale, {})


@dataclass(frozen=True)
class Words:
    """The journey's words in one language."""

    locale: str
    consultation_title: str
    survey_title: str
    steps: tuple[Step, ...]  # ANSWERS with this language's labels

    @property
    def direction(self) -> str:
        return i18n.text_direction(self.locale)

    @property
    def name(self) -> str:
        """The language named in itself, as the switcher lists it."""
        return i18n.language_heading(self.locale)

    def say(self, message: str, **params: Any) -> str:
        return say(self.locale, message, **params)

    def pattern(self, message: str) -> re.Pattern[str]:
        """`message` in this language with anything in its placeholders: for a
        sentence whose number a script counts down."""
        parts = _PLACEHOLDER.split(self.say(message))
        return re.compile(".*".join(re.escape(part) for part in parts))

    @property
    def start_now(self) -> str:
        return self.say("Start now")

    @property
    def agree(self) -> str:
        return self.say("I agree – start")

    @property
    def continue_(self) -> str:
        return self.say("Continue")

    @property
    def check_heading(self) -> str:
        return self.say("Check your answers before sending them")

    @property
    def send(self) -> str:
        return self.say("Send my answers")

    @property
    def thanks_heading(self) -> str:
        return self.say("Your answers have been received")

    def progress(self, index: int) -> str:
        """What the progress line says on steps[index]'s page as they are answered.

        Two questions follow up "Yes" to the second: until it is answered they are
        not counted ("Question 1 of 11"); after "Yes, sometimes" they are.
        """
        total = QUESTIONS_WITHOUT_FOLLOW_UPS if index < 2 else QUESTIONS
        return self.say("Question %(number)s of %(total)s", number=index + 1, total=total)

    def other_box(self, step: Step) -> str:
        """The label of the box for saying what "Somewhere else" is."""
        question = QUESTION[step.key]
        other = next(index for index, option in enumerate(question.options) if option.other)
        label = _options_in(self.locale, question)[other]
        return self.say("If you chose ‘%(label)s’, say what it is", label=label)


def _options_in(locale: str, question: QuestionDefinition) -> list[str]:
    """The question's option labels in `locale`, the main language's where the demo
    has none (as the page falls back)."""
    english = [option.label for option in question.options]
    own = content(locale).get("questions", {}).get(question.key, {}).get("options", [])
    return [own[index] if index < len(own) else label for index, label in enumerate(english)]


def _statements_in(locale: str, question: QuestionDefinition) -> list[str]:
    own = content(locale).get("questions", {}).get(question.key, {}).get("statements", [])
    return [
        own[index] if index < len(own) else text for index, text in enumerate(question.statements)
    ]


def question_text(locale: str, key: str) -> str:
    """The demo question `key`'s text in `locale` (the main language's if none)."""
    own = content(locale).get("questions", {}).get(key, {})
    return own.get("text") or QUESTION[key].text


def step_in(locale: str, step: Step) -> Step:
    """`step` as a resident reading `locale` makes it: the same choices, by their
    labels in that language."""
    question = QUESTION[step.key]
    english = [option.label for option in question.options]
    labels = dict(zip(english, _options_in(locale, question), strict=True))
    statements = dict(zip(question.statements, _statements_in(locale, question), strict=True))
    return replace(
        step,
        question=question_text(locale, step.key),
        choose=tuple(labels[label] for label in step.choose),
        statements={statements[s]: labels[label] for s, label in step.statements.items()},
        ranks={labels[item]: place for item, place in step.ranks.items()},
    )


@functools.cache
def words_in(locale: str) -> Words:
    """The demo journey's words in `locale` (a shipped language)."""
    texts = content(locale)
    return Words(
        locale=locale,
        consultation_title=texts.get("consultation", {}).get("title", CONSULTATION_TITLE),
        survey_title=texts.get("survey", {}).get("title", DEFINITION.title),
        steps=tuple(step_in(locale, step) for step in ANSWERS),
    )


ENGLISH = words_in(i18n.SOURCE_LOCALE)
