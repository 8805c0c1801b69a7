"""The data dictionary: every column of the responses sheet (and the CSV) explained,
from the survey's definition, with the language its texts are given in."""

from __future__ import annotations

from analysis.reporting_language import language_in, shown_texts
from analysis.segments import CHANNEL_LABELS
from analysis.strategy_inputs._source import Source
from analysis.strategy_inputs._words import Gettext, text_language
from consult.i18n import available_locales
from exports.model import DictionaryEntry
from surveys.question_types import QuestionSpec

LEADING_COLUMNS = 4  # response, hour, channel, language


def _free_text(_: Gettext) -> str:
    return _(
        "Free text as typed, with personal data replaced by [email], [link], [phone], "
        "[id number] or [address]; empty: not answered."
    )


def _choices(_: Gettext, question: QuestionSpec) -> str:
    labels = "; ".join(option.label for option in question.options)
    return _("One of: %(options)s; empty: not answered.") % {"options": labels}


def _codings(_: Gettext, question: QuestionSpec) -> tuple[str, ...]:
    """One coding per export column of the question, in order.

    The question types know their columns (export_columns); how to read them is
    said here, by type, for the handful the registry has.
    """
    columns = question.kind.export_columns(question)
    kind = question.type
    other = question.other_option
    if kind in ("single_choice", "scale"):
        main = _choices(_, question)
        if kind == "scale":
            main += " " + _("The points are in order from the first to the last.")
        return (main, *((_free_text(_),) if other else ()))
    if kind == "multiple_choice":
        mark = _("1: chosen; 0: not chosen; empty: question not answered.")
        return (*(mark for _option in question.options), *((_free_text(_),) if other else ()))
    if kind == "matrix":
        return tuple(_choices(_, question) for _statement in question.statements)
    if kind == "ranking":
        return tuple(
            _("The place given (1 is first); empty: not ranked.") for _option in question.options
        )
    if kind == "number":
        low, high = question.kind.bounds(question)  # type: ignore[attr-defined]
        text = _("A whole number from %(min)s to %(max)s; empty: not answered.") % {
            "min": low,
            "max": high,
        }
        return (f"{text} ({question.unit})" if question.unit else text,)
    return tuple(_free_text(_) for _column in columns)


def _text_language(source: Source, question: QuestionSpec) -> str:
    reporting = source.reporting
    language = language_in(reporting.locale, source.locale)
    if not reporting.translated:
        return language
    untranslated = reporting.question_fallbacks(question)
    whole = len(untranslated) == len(tuple(shown_texts(question)))
    return text_language(
        source.gettext,
        language,
        language_in(reporting.main_locale, source.locale),
        untranslated,
        whole,
    )


def dictionary(source: Source, header: tuple[str, ...]) -> tuple[DictionaryEntry, ...]:
    _ = source.gettext
    channels = "; ".join(f"{key}: {_(label)}" for key, label in CHANNEL_LABELS.items())
    languages = "; ".join(
        f"{code}: {language_in(code, source.locale)}" for code in available_locales()
    )
    entries = [
        DictionaryEntry(
            header[0],
            "",
            _("Number"),
            _("The response's number in this export (1, 2, 3 …); it is kept nowhere else."),
        ),
        DictionaryEntry(
            header[1],
            "",
            _("Date and hour"),
            _("When it was sent, rounded down to the hour (YYYY-MM-DD HH:00, UTC)."),
        ),
        DictionaryEntry(header[2], "", _("Code"), channels),
        DictionaryEntry(
            header[3],
            "",
            _("Code"),
            _("The language the survey was answered in: %(languages)s.") % {"languages": languages},
        ),
    ]
    at = LEADING_COLUMNS
    for question in source.survey.questions:
        type_label = _(question.kind.label)
        language = _text_language(source, question)
        for coding in _codings(_, question):
            entries.append(DictionaryEntry(header[at], question.text, type_label, coding, language))
            at += 1
    return tuple(entries)
