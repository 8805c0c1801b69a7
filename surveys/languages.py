"""A consultation's languages, how far its texts are translated into each, and the
planner's writes to both (services; the texts themselves are surveys.translations').

A consultation is written in its main language (`Consultation.default_locale`),
translated into the others it names (`Consultation.languages`, "is,pl,ar"), and
reported in one of those (`Consultation.reporting_locale`, "" for the main one).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from consult.database import write_transaction
from consult.i18n import available_locales
from consult.services import audit, consultations
from consult.tables import Consultation
from surveys import readability, services, translations
from surveys.flow import SurveySpec
from surveys.tables import Response
from surveys.translations import SourceText


class MainLanguageLocked(Exception):
    """People have answered: their answers and the survey's own texts are stored in
    the main language, so calling it another language would mislabel both."""


def other_locales(consultation: Consultation) -> tuple[str, ...]:
    """The languages a consultation is translated into, in the order it names them:
    known ones only, once each, never the main language."""
    known = set(available_locales())
    named = (code.strip() for code in (consultation.languages or "").split(","))
    return tuple(
        dict.fromkeys(
            code for code in named if code in known and code != consultation.default_locale
        )
    )


def content_locales(consultation: Consultation) -> tuple[str, ...]:
    """The main language first, then every language it is translated into."""
    return (consultation.default_locale, *other_locales(consultation))


def reporting_locale(consultation: Consultation) -> str:
    """The language exports give question texts in."""
    chosen = consultation.reporting_locale
    return chosen if chosen in other_locales(consultation) else consultation.default_locale


@dataclass(frozen=True)
class LanguageChoice:
    """What the planner chose (already checked against the known languages)."""

    main: str
    others: tuple[str, ...]
    reporting: str  # "" = the main language


async def has_responses(consultation_id: int) -> bool:
    return await Response.exists().where(Response.survey.consultation == consultation_id)


async def set_languages(consultation: Consultation, choice: LanguageChoice, actor_id: int) -> None:
    """Store the consultation's languages, audited. Refuses (MainLanguageLocked) a new
    main language once anybody has answered, checked inside the write."""
    others = tuple(code for code in dict.fromkeys(choice.others) if code != choice.main)
    reporting = choice.reporting if choice.reporting in others else ""
    async with write_transaction():
        if choice.main != consultation.default_locale and await has_responses(consultation.id):
            raise MainLanguageLocked(consultation.id)
        await Consultation.update(
            {
                Consultation.default_locale: choice.main,
                Consultation.languages: ",".join(others),
                Consultation.reporting_locale: reporting,
            }
        ).where(Consultation.id == consultation.id)
        await audit.add(
            actor_id,
            "set_languages",
            "consultation",
            consultation.id,
            f"main {choice.main}; others {','.join(others) or '-'}; reporting {reporting or '-'}",
        )
    consultation.default_locale = choice.main
    consultation.languages = ",".join(others)
    consultation.reporting_locale = reporting
    consultations.forget_cached()
    translations.forget_cached()


async def live_specs(consultation_id: int) -> list[SurveySpec]:
    """The surveys residents are offered (a replaced version is not translated)."""
    surveys = await services.surveys_of(consultation_id, include_retired=False)
    return [spec for survey in surveys if (spec := await services.load_spec(survey.id))]


@dataclass(frozen=True)
class Coverage:
    """How far one language is: its texts translated, and its easy-read versions."""

    locale: str
    is_main: bool
    texts: int
    translated: int
    easy_read: int

    @property
    def missing(self) -> int:
        return self.texts - self.translated


async def stored_texts(consultation: Consultation) -> dict[str, dict[str, str]]:
    """locale -> field -> text of every content language (one query each)."""
    return {
        locale: await translations.texts_of(consultation.id, locale)
        for locale in content_locales(consultation)
    }


async def coverage(
    consultation: Consultation,
    specs: Iterable[SurveySpec],
    stored_by_locale: Mapping[str, Mapping[str, str]] | None = None,
) -> list[Coverage]:
    """One line per language, the main one first."""
    texts = translations.source_texts(consultation, specs)
    easy_fields = {text.field for text in translations.easy_read_texts(texts)}
    by_locale = stored_by_locale or await stored_texts(consultation)
    lines = []
    for locale in content_locales(consultation):
        stored = by_locale.get(locale, {})
        is_main = locale == consultation.default_locale
        missing = [] if is_main else translations.missing(texts, stored)
        lines.append(
            Coverage(
                locale=locale,
                is_main=is_main,
                texts=len(texts),
                translated=len(texts) - len(missing),
                easy_read=sum(1 for field in easy_fields if stored.get(field)),
            )
        )
    return lines


@dataclass(frozen=True)
class HardToRead:
    """A question that is hard to read in one language, and why."""

    locale: str
    notes: tuple[str, ...]


def hard_questions(
    consultation: Consultation,
    specs: Iterable[SurveySpec],
    stored_by_locale: Mapping[str, Mapping[str, str]],
    gettext: Callable[[str], str],
) -> dict[int, list[HardToRead]]:
    """question id -> the languages its text or help is hard to read in (the main
    language's own text, and each translation stored), for the builder's flags."""
    flagged: dict[int, list[HardToRead]] = {}
    main = consultation.default_locale
    for spec in specs:
        for question in spec.questions:
            for locale in content_locales(consultation):
                stored = stored_by_locale.get(locale, {})
                said: list[str] = []
                for attr, own in (("text", question.text), ("help", question.help)):
                    field = translations.field_name("question", question.id, attr)
                    text = own if locale == main else stored.get(field, "")
                    said.extend(readability.notes(text, locale, gettext))
                if said:
                    flagged.setdefault(question.id, []).append(HardToRead(locale, tuple(said)))
    return flagged


def text_notes(
    texts: Mapping[str, str], locale: str, gettext: Callable[[str], str]
) -> dict[str, list[str]]:
    """field -> readability notes of each text given in `locale` (the editor's boxes)."""
    return {
        field: found
        for field, text in texts.items()
        if (found := readability.notes(text, locale, gettext))
    }


# The longest text each kind of field takes: the builder's own limits for the text
# it translates (surveys.definition, the builder's forms, the consultation form).
_LIMITS: Mapping[tuple[str, str], int] = {
    ("consultation", "title"): 200,
    ("consultation", "run_by"): 200,
    ("consultation", "purpose"): 5000,
    ("consultation", "data_use"): 5000,
    ("survey", "title"): 200,
    ("survey", "intro"): 5000,
    ("survey", "consent_text"): 5000,
    ("question", "text"): 1000,
    ("question", "help"): 1000,
    ("question", "unit"): 30,
    ("option", "label"): 300,
    ("statement", "text"): 300,
}


def limit_of(field: str) -> int:
    """The most characters a translation (or easy-read version) of `field` takes."""
    parts = field.removesuffix(translations.EASY).split(".")
    return _LIMITS[(parts[0], parts[-1])]


def editable(
    consultation: Consultation, texts: Sequence[SourceText], locale: str
) -> dict[str, SourceText]:
    """field -> text of every box the editor offers in `locale`: translations and
    easy-read versions; in the main language only the easy-read versions (its texts
    are edited in the builder)."""
    slots = translations.easy_read_texts(texts)
    if locale != consultation.default_locale:
        slots = [*texts, *slots]
    return {text.field: text for text in slots}


async def save_translations(
    consultation_id: int, locale: str, values: Mapping[str, str], actor_id: int
) -> None:
    """Store what a translator changed, audited in the same transaction."""
    async with write_transaction():
        await translations.save_texts(consultation_id, locale, values)
        await audit.add(
            actor_id,
            "save_translations",
            "consultation",
            consultation_id,
            f"{locale}: {len(values)} texts",
        )
