"""Navigating a survey: its pages, which of them a respondent's answers show, where
Next and Back lead, and reading the answers of a page or of the whole survey.

Pure code. Answers arrive as raw form values (field name -> values sent), the same
shape whether they come from the page just posted, a saved draft, or the hidden
fields of "Check your answers". Conditions are evaluated here, on the server: a
question whose condition fails is neither shown, nor validated, nor stored.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from surveys.question_types import (
    RAW_VALUE_MAX,
    AnswerError,
    AnswerValue,
    InvalidAnswer,
    QuestionSpec,
)

# Raw form values: each field name with every value sent for it.
Values = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Page:
    """One page of the journey: a single question, or a group of them."""

    number: int  # 1-based, in the order of the definition
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class SurveySpec:
    """A survey as the respondent sees it: plain data, cached between requests."""

    id: int
    consultation_id: int
    title: str
    intro: str
    consent_text: str
    questions: tuple[QuestionSpec, ...]
    consent_version: int = 1
    one_question_per_page: bool = True
    version: int = 1
    # Set by surveys.translations.translate_spec: the language the texts are in, the
    # language they were written in, and the fields still shown in that one.
    locale: str = ""
    main_locale: str = ""
    fallbacks: frozenset[str] = frozenset()

    def is_fallback(self, field: str) -> bool:
        """This text is shown in the main language: its translation is missing."""
        return field in self.fallbacks

    @property
    def needs_consent(self) -> bool:
        return bool(self.consent_text.strip())

    @cached_property
    def pages(self) -> tuple[Page, ...]:
        """One page per question, or groups that each begin at a `starts_page` question."""
        groups: list[list[QuestionSpec]] = []
        for question in self.questions:
            if self.one_question_per_page or not groups or question.starts_page:
                groups.append([])
            groups[-1].append(question)
        return tuple(Page(number, tuple(group)) for number, group in enumerate(groups, start=1))

    def page(self, number: int) -> Page | None:
        return self.pages[number - 1] if 1 <= number <= len(self.pages) else None

    def page_of(self, question_id: int) -> Page | None:
        return next((p for p in self.pages if any(q.id == question_id for q in p.questions)), None)

    @cached_property
    def question_by_id(self) -> Mapping[int, QuestionSpec]:
        return {question.id: question for question in self.questions}


@dataclass(frozen=True)
class ParsedForm:
    answers: tuple[AnswerValue, ...]
    # question id -> why its answer was refused, in question order
    errors: Mapping[int, AnswerError]
    # field name -> what the person sent, to put back into the form
    values: Mapping[str, tuple[str, ...]]

    @property
    def is_valid(self) -> bool:
        return not self.errors


def chosen_options(question: QuestionSpec, values: Values) -> set[int]:
    """The listed options a form value names (what a condition looks at); a value
    that names no option of this question is ignored here and refused when parsed."""
    known = {str(option.id): option.id for option in question.options}
    return {known[value] for value in values.get(question.field_name, ()) if value in known}


def kept_values(question: QuestionSpec, values: Values) -> dict[str, tuple[str, ...]]:
    """This question's fields only, as sent (for a draft or a re-rendered form),
    each value cut to RAW_VALUE_MAX and no more values than a field can mean."""
    most = max(len(question.options), 1)
    kept = {}
    for name in question.kind.field_names(question):
        sent = tuple(value[:RAW_VALUE_MAX] for value in values.get(name, ())[:most] if value)
        if sent:
            kept[name] = sent
    return kept


@dataclass
class Journey:
    """The survey as one respondent's answers shape it."""

    survey: SurveySpec
    values: Values
    _visible: dict[int, bool] = field(init=False, repr=False)
    _shown: dict[int, tuple[QuestionSpec, ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # In order: a condition rests on an earlier question, and an answer to a
        # question that is itself hidden (by its own condition, or because its
        # whole page is) counts as no answer.
        visible: dict[int, bool] = {}
        for page in self.survey.pages:
            page_shown = True
            for question in page.questions:
                shown = self._condition_met(question, visible)
                if question is page.questions[0] and question.condition is not None:
                    page_shown = shown or not question.condition.whole_page
                visible[question.id] = shown and page_shown
        self._visible = visible
        self._shown = {
            page.number: tuple(q for q in page.questions if visible[q.id])
            for page in self.survey.pages
        }

    def _condition_met(self, question: QuestionSpec, visible: dict[int, bool]) -> bool:
        condition = question.condition
        if condition is None:
            return True
        source = self.survey.question_by_id.get(condition.source_question_id)
        chosen: Collection[int] = (
            chosen_options(source, self.values) if source and visible.get(source.id) else ()
        )
        return condition.is_met(chosen)

    def is_visible(self, question: QuestionSpec) -> bool:
        return self._visible.get(question.id, False)

    def shown_questions(self, page: Page) -> tuple[QuestionSpec, ...]:
        first = page.questions[0]
        if (
            first.condition is not None
            and first.condition.whole_page
            and not self.is_visible(first)
        ):
            return ()
        return tuple(question for question in page.questions if self.is_visible(question))

    def is_shown(self, page: Page) -> bool:
        return bool(self.shown_questions(page))

    @cached_property
    def shown_pages(self) -> tuple[Page, ...]:
        return tuple(page for page in self.survey.pages if self.is_shown(page))

    def next_page(self, after: int) -> Page | None:
        """The first shown page after page number `after` (None: check your answers)."""
        return next((page for page in self.shown_pages if page.number > after), None)

    def previous_page(self, before: int) -> Page | None:
        """The last shown page before page number `before` (None: the start)."""
        earlier = [page for page in self.shown_pages if page.number < before]
        return earlier[-1] if earlier else None

    def progress(self, page: Page) -> tuple[int, int]:
        """(number of this page's first question, questions in all) as shown now;
        for grouped pages, (page number, pages) likewise."""
        if not self.survey.one_question_per_page:
            return self.shown_pages.index(page) + 1, len(self.shown_pages)
        before = sum(len(self._shown[p.number]) for p in self.shown_pages if p.number < page.number)
        return before + 1, sum(len(questions) for questions in self._shown.values())

    def parse(self, questions: Sequence[QuestionSpec], form: Values) -> ParsedForm:
        answers: list[AnswerValue] = []
        errors: dict[int, AnswerError] = {}
        values: dict[str, tuple[str, ...]] = {}
        for question in questions:
            values.update(kept_values(question, form))
            try:
                answers.extend(question.kind.parse(question, form))
            except InvalidAnswer as refused:
                errors[question.id] = refused.error
        return ParsedForm(answers=tuple(answers), errors=errors, values=values)

    def parse_page(self, page: Page, form: Values) -> ParsedForm:
        """The answers posted on one page, for the questions it shows."""
        return self.parse(self.shown_questions(page), form)

    def parse_all(self) -> ParsedForm:
        """Every shown question's answer; answers to hidden questions are dropped."""
        return self.parse(
            [q for p in self.shown_pages for q in self.shown_questions(p)], self.values
        )

    def next_incomplete(self, seen: Collection[int]) -> Page | None:
        """The first shown page not yet continued from, or whose answers no longer
        pass (a change revealed a required question); None when all are done."""
        for page in self.shown_pages:
            if page.number not in seen or not self.parse_page(page, self.values).is_valid:
                return page
        return None


def merge_page(values: Values, page: Page, posted: Values) -> dict[str, tuple[str, ...]]:
    """The draft's values with one page's fields replaced by what was just posted.

    Every field of the page is replaced, so an answer cleared on the page (a box
    unticked) is cleared in the draft too; fields of other pages are kept, even
    of questions hidden now, so that changing an answer back brings them back.
    """
    page_fields = {name for q in page.questions for name in q.kind.field_names(q)}
    merged = {name: tuple(vals) for name, vals in values.items() if name not in page_fields}
    for question in page.questions:
        merged.update(kept_values(question, posted))
    return merged
