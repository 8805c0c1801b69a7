"""Paper questionnaires: how a survey reads on paper, and reading a typed-in one.

The printed survey numbers every answer box (1 Yes, 2 No ...) and the entry screen
takes the same numbers, so a facilitator types what the paper shows. What was typed
is turned into the form values the question types already understand and is then
parsed by them, exactly as a resident's answers are: the registry stays the one
place that decides what a valid answer is. Two things differ on paper, on purpose:

- every question may be left blank (a paper questionnaire has gaps, and refusing it
  would lose the answers that are there), and so may part of a choice question:
  the least number of choices or ranks is not asked for (the most still is);
- the answers to questions that the respondent's own answers hide are dropped, as
  online, by surveys.flow.

The pure part needs no database; `entered_count` is the one query.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass

from consult.i18n import N_
from consult.text_input import is_ascii_number
from surveys.flow import Journey, ParsedForm, SurveySpec, Values, kept_values
from surveys.question_types import (
    AnswerError,
    Operator,
    OptionSpec,
    QuestionSpec,
)
from surveys.tables import Channel, Response


class Entry(enum.StrEnum):
    """How a question is keyed in on the entry screen (and drawn on paper)."""

    code = "code"  # one typed option number (single choice)
    scale = "scale"  # the same, the boxes printed in a row (scale)
    codes = "codes"  # one typed option number per statement (matrix)
    ticks = "ticks"  # checkboxes, Space to tick (multiple choice)
    ranks = "ranks"  # the rank written beside each item (ranking)
    number = "number"  # a whole number
    text = "text"  # a short text (two lines on paper)
    paragraph = "paragraph"  # a long text (six lines on paper)


# Every registered type and how it is keyed in: the registry is closed, so this is
# the paper screen's one look at a type's key (a test keeps the two in step).
ENTRY_BY_TYPE: Mapping[str, Entry] = {
    "single_choice": Entry.code,
    "scale": Entry.scale,
    "matrix": Entry.codes,
    "multiple_choice": Entry.ticks,
    "ranking": Entry.ranks,
    "number": Entry.number,
    "short_text": Entry.text,
    "long_text": Entry.paragraph,
}

# Channels a paper-entry screen stores, by the session's mode: a paper session's
# questionnaires are paper; in an assisted session a helper keys in what a person
# tells them or wrote down with their help.
ENTRY_CHANNELS: Mapping[str, Channel] = {"paper": Channel.paper, "assisted": Channel.assisted}
BLANK_QUESTIONNAIRE = N_(
    "Enter at least one answer from the questionnaire: a blank one is not stored."
)


def entry_of(question: QuestionSpec) -> Entry:
    return ENTRY_BY_TYPE[question.type]


def option_number(question: QuestionSpec, option: OptionSpec) -> int:
    """The number printed beside an option's box (1 for the first), as typed in."""
    return question.options.index(option) + 1


def code_fields(question: QuestionSpec) -> tuple[str, ...]:
    """The fields of a question into which option numbers are typed (none: the
    question's fields carry the registry's own values)."""
    entry = entry_of(question)
    if entry in (Entry.code, Entry.scale):
        return (question.field_name,)
    if entry is Entry.codes:
        return tuple(question.statement_field(statement) for statement in question.statements)
    return ()


def paper_question(question: QuestionSpec) -> QuestionSpec:
    """The question as paper entry checks it: optional, and without a least number
    of choices or ranks."""
    return dataclasses.replace(question, required=False, min_choices=None)


def paper_survey(survey: SurveySpec) -> SurveySpec:
    return dataclasses.replace(
        survey, questions=tuple(paper_question(question) for question in survey.questions)
    )


def _code_error(question: QuestionSpec, name: str) -> AnswerError:
    return AnswerError(
        N_("Enter the number of one of the answers, from 1 to %(count)s."),
        {"count": len(question.options)},
        name,
    )


def _decode(
    question: QuestionSpec, entry: Values
) -> tuple[dict[str, tuple[str, ...]], AnswerError | None]:
    """A question's typed values as the registry's form values: option numbers
    become option ids; a number that names no option is refused here, in words
    that say which numbers there are."""
    decoded = {name: tuple(entry.get(name, ())) for name in question.kind.field_names(question)}
    error = None
    for name in code_fields(question):
        ids = []
        for value in decoded.get(name, ()):
            typed = value.strip()
            if not typed:
                continue
            if not is_ascii_number(typed):
                error = error or _code_error(question, name)
                continue
            number = int(typed) if len(typed) <= 4 else 0
            if not 1 <= number <= len(question.options):
                error = error or _code_error(question, name)
                continue
            ids.append(str(question.options[number - 1].id))
        decoded[name] = tuple(ids)
    return decoded, error


def parse_entry(survey: SurveySpec, entry: Values) -> ParsedForm:
    """One typed-in questionnaire read as the online survey reads a resident's answers:
    its answers, an error per question (in question order) and every value typed,
    kept to be shown again. Questions hidden by the respondent's answers are
    neither checked nor stored."""
    relaxed = paper_survey(survey)
    form: dict[str, tuple[str, ...]] = {}
    code_errors: dict[int, AnswerError] = {}
    for question in relaxed.questions:
        decoded, error = _decode(question, entry)
        form.update(decoded)
        if error is not None:
            code_errors[question.id] = error
    journey = Journey(relaxed, form)
    shown = [q for page in journey.shown_pages for q in journey.shown_questions(page)]
    parsed = journey.parse(shown, form)
    errors = {
        question.id: code_errors.get(question.id) or parsed.errors[question.id]
        for question in shown
        if question.id in code_errors or question.id in parsed.errors
    }
    if not errors and not parsed.answers and survey.questions:
        # A blank questionnaire is a slip (Enter pressed too early, an empty sheet),
        # not a response: storing it would add one to every count and the live total.
        errors = {survey.questions[0].id: AnswerError(BLANK_QUESTIONNAIRE)}
    values: dict[str, tuple[str, ...]] = {}
    for question in survey.questions:
        values.update(kept_values(question, entry))
    return ParsedForm(answers=parsed.answers if not errors else (), errors=errors, values=values)


@dataclass(frozen=True)
class SkipInstruction:
    """A display condition as a paper respondent follows it: "If you answered ‘Yes’
    to question 2, answer question 3; otherwise go to question 4"."""

    source_number: int
    answers: tuple[str, ...]  # the option labels the condition names, in order
    negated: bool  # "If you did not answer ..."
    first: int  # the first and last question the condition covers
    last: int
    next: int | None  # where to go otherwise (None: the end of the questionnaire)


def skip_instructions(survey: SurveySpec) -> dict[int, SkipInstruction]:
    """The instruction printed before each question a condition shows, keyed by the
    question it is printed before. Questions that follow it under the same
    condition (or on the same page, when the condition hides the whole page) are
    covered by the one instruction."""
    questions = survey.questions
    found: dict[int, SkipInstruction] = {}
    index = 0
    while index < len(questions):
        question = questions[index]
        condition = question.condition
        source = survey.question_by_id.get(condition.source_question_id) if condition else None
        if condition is None or source is None:
            index += 1
            continue
        page = survey.page_of(question.id)
        whole_page = condition.whole_page and page is not None and page.questions[0] is question
        end = index
        while end + 1 < len(questions):
            following = questions[end + 1]
            same = following.condition == condition
            on_page = whole_page and page is not None and following in page.questions
            if not (same or (on_page and following.condition is None)):
                break
            end += 1
        found[question.id] = SkipInstruction(
            source_number=source.position,
            answers=tuple(o.label for o in source.options if o.id in condition.option_ids),
            negated=condition.operator is Operator.not_,
            first=question.position,
            last=questions[end].position,
            next=questions[end + 1].position if end + 1 < len(questions) else None,
        )
        index = end + 1
    return found


async def entered_count(session_id: int, channel: Channel) -> int:
    """How many questionnaires have been entered for a session on this channel."""
    return await Response.count().where(
        (Response.hosted_session == session_id) & (Response.channel == channel.value)
    )
