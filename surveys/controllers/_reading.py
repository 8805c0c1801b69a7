"""What a respondent reads: the consultation and its survey in the page's language.

Each text shows in the page's language (consult.web.locale_of), as its easy-read
version when the reader asked for easy read and one exists, or else in the
consultation's main language, marked with that language's `lang` (and `dir`) and
with one note on the page saying so. surveys/translations.py picks the texts; this
module gathers them for a request and says which of a page's texts fell back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from litestar import Request
from litestar.datastructures import Cookie
from markupsafe import Markup, escape

from consult import i18n
from consult.settings import get_settings
from consult.tables import Consultation
from consult.web import locale_of, preference_cookie
from surveys.flow import SurveySpec
from surveys.question_types import OptionSpec, QuestionSpec, StatementSpec
from surveys.translations import (
    EASY,
    cached_texts,
    field_name,
    translate_consultation,
    translate_spec,
)

# The reader's wish for easy read: "1", or no cookie at all. Only a link sets it
# (surveys/controllers/easy_read.py), so it works without JavaScript.
EASY_COOKIE = "easy"
EASY_PATH = "/easy-read"


def wants_easy(request: Request[Any, Any, Any]) -> bool:
    return request.cookies.get(EASY_COOKIE) == "1"


def language_cookie(locale: str) -> Cookie | None:
    """The `lang` cookie for `locale`, when the app speaks it, set as the language
    switcher sets it (not HttpOnly there: nothing secret in it)."""
    if locale not in i18n.available_locales():
        return None
    return preference_cookie(i18n.LANG_COOKIE, locale, httponly=False)


@dataclass(frozen=True)
class Marks:
    """Which texts of a page are shown in the main language, and how a page says so.

    Templates call it for the attributes of a text's element (`<p{{ marks.question(q,
    "help") }}>`) or to wrap a text inside a sentence (`marks.text_of(q)`)."""

    locale: str
    main_locale: str
    fallbacks: frozenset[str] = frozenset()

    @property
    def main_attributes(self) -> Markup:
        """`lang` of the main language, and its `dir` where it differs from the page's."""
        attributes = Markup(' lang="%s"') % self.main_locale
        direction = i18n.text_direction(self.main_locale)
        if direction != i18n.text_direction(self.locale):
            attributes += Markup(' dir="%s"') % direction
        return attributes

    def field(self, name: str) -> Markup:
        return self.main_attributes if name in self.fallbacks else Markup("")

    def wrap(self, name: str, text: str) -> Markup:
        """`text`, in a span in the main language's `lang` if it is shown in it."""
        if name not in self.fallbacks:
            return escape(text)
        return Markup("<span%s>%s</span>") % (self.main_attributes, text)

    def consultation(self, attr: str) -> Markup:
        return self.field(field_name("consultation", None, attr))

    def survey(self, survey: Any, attr: str = "title") -> Markup:
        return self.field(field_name("survey", survey.id, attr))

    def question(self, question: QuestionSpec, attr: str = "text") -> Markup:
        return self.field(field_name("question", question.id, attr))

    def option(self, option: OptionSpec) -> Markup:
        return self.field(field_name("option", option.id, "label"))

    def statement(self, statement: StatementSpec) -> Markup:
        return self.field(field_name("statement", statement.id, "text"))

    def text_of(self, question: QuestionSpec) -> Markup:
        """The question's text inside a sentence (an error message, a hidden label)."""
        return self.wrap(field_name("question", question.id, "text"), question.text)

    def option_label(self, option: OptionSpec) -> Markup:
        return self.wrap(field_name("option", option.id, "label"), option.label)

    def any(self, names: Iterable[str]) -> bool:
        return any(name in self.fallbacks for name in names)


def question_fields(question: QuestionSpec) -> Iterator[str]:
    """Every text of a question a page shows with it."""
    yield field_name("question", question.id, "text")
    if question.help:
        yield field_name("question", question.id, "help")
    if question.unit:
        yield field_name("question", question.id, "unit")
    for option in question.options:
        yield field_name("option", option.id, "label")
    for statement in question.statements:
        yield field_name("statement", statement.id, "text")


def start_fields(survey: SurveySpec) -> list[str]:
    """The texts of a survey's start page: its title, introduction and consent text."""
    names = [field_name("consultation", None, "title"), field_name("survey", survey.id, "title")]
    if survey.intro:
        names.append(field_name("survey", survey.id, "intro"))
    if survey.needs_consent:
        names.append(field_name("survey", survey.id, "consent_text"))
    return names


@dataclass(frozen=True)
class EasyLink:
    """The link that switches between a page's easy-read and standard texts."""

    on: bool
    href: str


@dataclass(frozen=True)
class SurveyTitle:
    """A survey as a list of them shows it: its title in the reader's language."""

    id: int
    title: str
    fallback: bool

    @property
    def field(self) -> str:
        return field_name("survey", self.id, "title")


@dataclass(frozen=True)
class Reading:
    """What one request reads in: the page's language, the consultation's main one,
    easy read or not, the translations stored in that language, and the
    consultation's own texts as shown."""

    locale: str
    main_locale: str
    easy: bool
    texts: Mapping[str, str]
    # title, run_by, purpose, data_use, as this page shows them
    consultation: Mapping[str, str]
    consultation_fallbacks: frozenset[str] = field(default_factory=frozenset)

    def marks(self, survey: SurveySpec | None = None, more: Iterable[str] = ()) -> Marks:
        """The marks of a page showing the consultation's texts, `survey`'s and `more`."""
        fallbacks = self.consultation_fallbacks | frozenset(more)
        if survey is not None:
            fallbacks |= survey.fallbacks
        return Marks(self.locale, self.main_locale, fallbacks)

    def text(self, name: str, main_text: str) -> tuple[str, bool]:
        """One text in this language (no easy read): (text, shown in the main language)."""
        if self.locale == self.main_locale or not main_text:
            return main_text, False
        if name in self.texts:
            return self.texts[name], False
        return main_text, True

    def survey_titles(self, surveys: Iterable[Any]) -> list[SurveyTitle]:
        """The titles of `surveys` (table rows) in this language."""
        return [
            SurveyTitle(
                survey.id, *self.text(field_name("survey", survey.id, "title"), survey.title)
            )
            for survey in surveys
        ]

    def has_easy(self, names: Iterable[str]) -> bool:
        """Whether any of these texts has an easy-read version in this language."""
        return any(self.texts.get(name + EASY) for name in names)

    def easy_link(self, names: Iterable[str], here: str) -> EasyLink | None:
        """The switch for a page showing `names`, at `here` (a path of this site),
        when one of them has an easy-read version."""
        if not self.has_easy(names):
            return None
        target = quote(here, safe="/")
        return EasyLink(self.easy, f"{EASY_PATH}?on={0 if self.easy else 1}&next={target}")


def _ttl() -> float:
    return get_settings().definition_cache_seconds


async def reading_in(
    consultation: Consultation, locale: str, *, easy: bool = False, ttl: float | None = None
) -> Reading:
    """The consultation's texts for a reader of `locale` (`ttl`: how old the stored
    translations may be; the respondent pages' cache time unless given)."""
    texts = await cached_texts(consultation.id, locale, _ttl() if ttl is None else ttl)
    shown, fallbacks = translate_consultation(consultation, texts, locale=locale, easy=easy)
    return Reading(
        locale=locale,
        main_locale=consultation.default_locale,
        easy=easy,
        texts=texts,
        consultation=shown,
        consultation_fallbacks=fallbacks,
    )


async def reading_of(request: Request[Any, Any, Any], consultation: Consultation) -> Reading:
    """What this request's page reads in (its language, and the easy-read cookie)."""
    return await reading_in(consultation, locale_of(request), easy=wants_easy(request))


# A translated survey per (survey, language, main language, easy read), kept while
# it is made from the very spec and translations the caches hand out: then each
# request gets the same object, and a worker's rendered page (surveys/pages.py)
# recognises it by identity instead of comparing every text.
_translated: dict[tuple[int, str, str, bool], tuple[SurveySpec, Mapping[str, str], SurveySpec]] = {}


def in_language(spec: SurveySpec, reading: Reading) -> SurveySpec:
    """`spec` as `reading`'s reader sees it (surveys.translations.translate_spec)."""
    key = (spec.id, reading.locale, reading.main_locale, reading.easy)
    hit = _translated.get(key)
    if hit is not None and hit[0] is spec and hit[1] is reading.texts:
        return hit[2]
    translated = translate_spec(
        spec,
        reading.texts,
        locale=reading.locale,
        main_locale=reading.main_locale,
        easy=reading.easy,
    )
    _translated[key] = (spec, reading.texts, translated)
    return translated


async def title_in(consultation: Consultation, locale: str) -> tuple[str, Markup]:
    """The consultation's title in `locale` and the attributes its element takes
    (the main language's `lang` when it is not yet translated): for the poster."""
    reading = await reading_in(consultation, locale, ttl=0)
    return reading.consultation["title"], reading.marks().consultation("title")
