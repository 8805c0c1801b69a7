"""The pages of the journey itself: a page of questions and "Check your answers",
in the reader's language (surveys/controllers/_reading.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response
from litestar.response import Template
from markupsafe import Markup, escape

from consult.tables import Consultation
from surveys import abuse, pages
from surveys.controllers._reading import Marks, Reading, question_fields
from surveys.controllers._respondent import KioskPage, respondent_page
from surveys.flow import Journey, Page, ParsedForm, SurveySpec, Values
from surveys.question_types import AnswerError, QuestionSpec
from surveys.translations import field_name

RETURN_TO_CHECK = "check"


def survey_url(consultation: Consultation, survey: SurveySpec, rest: str = "") -> str:
    return f"/c/{consultation.slug}/surveys/{survey.id}{rest}"


def page_url(consultation: Consultation, survey: SurveySpec, page: Page | None) -> str:
    """A page's address; None is "Check your answers", past the last page."""
    if page is None:
        return survey_url(consultation, survey, "/check")
    return survey_url(consultation, survey, f"/pages/{page.number}")


def _page_texts(survey: SurveySpec, shown: list[QuestionSpec]) -> list[str]:
    """The fields a page of questions shows: the survey's title when it heads the
    page, and every text of each question on it."""
    single = len(shown) == 1 and survey.one_question_per_page
    names = [] if single else [field_name("survey", survey.id, "title")]
    for question in shown:
        names.extend(question_fields(question))
    return names


def _help_texts(shown: list[QuestionSpec]) -> list[str]:
    return [field_name("question", q.id, "help") for q in shown if q.help]


def _here(consultation: Consultation, survey: SurveySpec, page: Page, return_to: str) -> str:
    """The page's own address, as the easy-read switch returns to it."""
    url = page_url(consultation, survey, page)
    return f"{url}?return={RETURN_TO_CHECK}" if return_to == RETURN_TO_CHECK else url


def page_template(
    consultation: Consultation,
    survey: SurveySpec,
    journey: Journey,
    page: Page,
    values: Values,
    reading: Reading,
    errors: dict[int, AnswerError] | None = None,
    return_to: str = "",
    status_code: int = 200,
    holes: dict[str, str] | None = None,
    kiosk: KioskPage | None = None,
) -> Template:
    """A question page; `holes` stands in for the per-visitor parts (pages.py)."""
    number, total = journey.progress(page)
    shown = journey.shown_questions(page)
    return respondent_page(
        "surveys/page.html",
        consultation,
        status_code,
        kiosk,
        reading=reading,
        shows=_page_texts(survey, shown),
        easy=reading.easy_link(_help_texts(shown), _here(consultation, survey, page, return_to)),
        survey=survey,
        page=page,
        shown=shown,
        progress=(
            (holes["progress_number"], holes["progress_total"]) if holes else (number, total)
        ),
        values=values,
        errors=errors or {},
        back_href=holes["back_href"]
        if holes
        else back_href(consultation, survey, journey, page, return_to),
        return_to=return_to,
    )


def back_href(
    consultation: Consultation, survey: SurveySpec, journey: Journey, page: Page, return_to: str
) -> str:
    if return_to == RETURN_TO_CHECK:
        return page_url(consultation, survey, None)
    previous = journey.previous_page(page.number)
    return (
        survey_url(consultation, survey)
        if previous is None
        else page_url(consultation, survey, previous)
    )


def unanswered_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    survey: SurveySpec,
    journey: Journey,
    page: Page,
    return_to: str,
    reading: Reading,
) -> Template | Response[str]:
    """A page with nothing entered on it yet: from the worker's rendered copy, one
    per language (pages.py adds it to the key), easy read or not, and with or
    without its easy-read switch."""
    shown = journey.shown_questions(page)
    number, total = journey.progress(page)
    has_easy = reading.has_easy(_help_texts(shown))
    return pages.blank_page(
        request,
        key=(survey.id, page.number, tuple(q.id for q in shown), return_to, reading.easy, has_easy),
        made_from=(consultation, survey),
        render=lambda holes: page_template(
            consultation, survey, journey, page, {}, reading, return_to=return_to, holes=holes
        ),
        fill={
            "progress_number": str(number),
            "progress_total": str(total),
            "back_href": back_href(consultation, survey, journey, page, return_to),
        },
    )


@dataclass(frozen=True)
class _Row:
    """One line of "Check your answers"."""

    question: QuestionSpec
    page: int
    lines: tuple[Markup, ...]
    error: AnswerError | None


def _marked_lines(
    question: QuestionSpec, lines: tuple[str, ...], marks: Marks, names: list[str]
) -> tuple[Markup, ...]:
    """The answer lines, each that is an answer's or a statement's text marked when
    it is shown in the main language (and its field added to `names`). A free-text
    answer stays as the respondent wrote it, in whatever language they wrote it."""
    fields: dict[str, str] = {}
    for option in question.options:
        fields.setdefault(option.label, field_name("option", option.id, "label"))
    for statement in question.statements:
        fields.setdefault(statement.text, field_name("statement", statement.id, "text"))
    marked = []
    for line in lines:
        name = fields.get(line)
        if name is None:
            marked.append(escape(line))
        else:
            names.append(name)
            marked.append(marks.wrap(name, line))
    return tuple(marked)


def _check_rows(journey: Journey, parsed: ParsedForm, marks: Marks) -> tuple[list[_Row], list[str]]:
    """The rows, and the fields of the texts they show."""
    rows = []
    names: list[str] = []
    for page in journey.shown_pages:
        for question in journey.shown_questions(page):
            mine = [answer for answer in parsed.answers if answer.question_id == question.id]
            names.append(field_name("question", question.id, "text"))
            lines = _marked_lines(question, question.kind.describe(question, mine), marks, names)
            rows.append(_Row(question, page.number, lines, parsed.errors.get(question.id)))
    return rows, names


def check_template(
    consultation: Consultation,
    survey: SurveySpec,
    journey: Journey,
    parsed: ParsedForm,
    consent_version: int | None,
    key: str,
    reading: Reading,
    status_code: int = 200,
    kiosk: KioskPage | None = None,
    retry_after: int | None = None,
) -> Template:
    """The "Check your answers" page; with `retry_after`, refused for a while (429):
    the answers stay in the form, to be sent again once the wait is over."""
    last = journey.shown_pages[-1] if journey.shown_pages else None
    rows, names = _check_rows(journey, parsed, reading.marks(survey))
    page = respondent_page(
        "surveys/check.html",
        consultation,
        status_code,
        kiosk,
        reading=reading,
        shows=[field_name("survey", survey.id, "title"), *names],
        survey=survey,
        rows=rows,
        errors=parsed.errors,
        # Only the shown questions' answers go into the form that is sent.
        hidden=[(name, value) for name, values in parsed.values.items() for value in values],
        idempotency_key=key,
        consent_version=consent_version,
        back_href=page_url(consultation, survey, last)
        if last
        else survey_url(consultation, survey),
        honeypot=abuse.HONEYPOT_FIELD,
        wait_minutes=math.ceil(retry_after / 60) if retry_after else None,
    )
    if retry_after:
        page.set_header("Retry-After", str(retry_after))
    return page
