"""The cover and method sheet: dates, counts by channel and by the language people
answered in (small ones hidden), the language the survey's texts are given in, the
organisations taking part, the caveats and the suppression rule."""

# The SQL here is built from fixed fragments and {} placeholders only; every value
# is bound.
# ruff: noqa: S608
from __future__ import annotations

from datetime import UTC, datetime

from analysis.disclosure import suppress
from analysis.reporting_language import language_in
from analysis.segments import CHANNEL_LABELS
from analysis.services import SurveyResults
from analysis.strategy_inputs import _words
from analysis.strategy_inputs._source import Source
from consult.tables import Organisation
from exports import model
from surveys.tables import Response


async def _grouped(survey_id: int, column: str) -> dict[str, int]:
    rows = await Response.raw(
        f"SELECT {column} AS key, COUNT(*) AS n FROM response"
        " WHERE survey = {} AND status = 'complete' GROUP BY " + column,
        survey_id,
    )
    return {str(row["key"]): int(row["n"]) for row in rows}


async def _organisations_taking_part(consultation_id: int) -> tuple[str, ...]:
    rows = await Organisation.raw(
        "SELECT DISTINCT o.name AS name FROM organisation o"
        " JOIN hosted_session s ON s.organisation = o.id WHERE s.consultation = {}"
        " ORDER BY o.name",
        consultation_id,
    )
    return tuple(row["name"] for row in rows)


async def cover(source: Source, results: SurveyResults) -> model.Cover:
    _, consultation, reporting = source.gettext, source.consultation, source.reporting
    channels = await _grouped(source.survey.id, "channel")
    languages = await _grouped(source.survey.id, "locale")
    shown_channels = suppress(channels, source.k)
    shown_languages = suppress(languages, source.k)
    language = language_in(reporting.locale, source.locale)
    untranslated = reporting.untranslated() if reporting.translated else 0
    return model.Cover(
        consultation_title=reporting.consultation["title"],
        city=consultation.city,
        run_by=reporting.consultation["run_by"],
        purpose=reporting.consultation["purpose"],
        survey_title=source.survey.title,
        opens=consultation.opens_on,
        closes=consultation.closes_on,
        exported_at=datetime.now(UTC),
        response_count=results.responses,
        channels=tuple(
            model.LabelledCount(_(CHANNEL_LABELS.get(key, key)), shown_channels[key])
            for key in sorted(channels, key=lambda key: (-channels[key], key))
        ),
        languages=tuple(
            model.LabelledCount(language_in(key, source.locale), shown_languages[key])
            for key in sorted(languages, key=lambda key: (-languages[key], key))
        ),
        organisations=await _organisations_taking_part(consultation.id),
        caveats=_words.caveats(_),
        suppression_rule=_words.suppression_rule(_, source.k),
        k=source.k,
        text_language=language,
        untranslated=_words.untranslated_note(
            _, language, language_in(reporting.main_locale, source.locale), untranslated
        ),
    )
