"""The themes sheet: accepted themes of the long-text questions as the text pages
count them, by segment, with mean sentiment and approved quotes (as written, with
the language the text analysis found them in)."""

from __future__ import annotations

from analysis import quotes
from analysis.reporting_language import language_in
from analysis.segments import column_label, column_names, segment_name
from analysis.strategy_inputs._source import Source
from analysis.tables import TextAnswer, Theme, ThemeStatus
from exports import model


async def _quote_languages(
    source: Source, approved: tuple[quotes.QuoteView, ...]
) -> dict[int, str]:
    """quote id -> the language its answer was written in, named in the export's
    language ("" where the analysis could not tell); one query for every quote."""
    if not approved:
        return {}
    rows = await TextAnswer.select(TextAnswer.id, TextAnswer.language).where(
        TextAnswer.id.is_in([quote.text_answer_id for quote in approved])
    )
    found = {row["id"]: row["language"] for row in rows}
    return {
        quote.id: language_in(code, source.locale)
        if (code := found.get(quote.text_answer_id))
        else ""
        for quote in approved
    }


async def theme_sheet(source: Source) -> tuple[model.Theme, ...]:
    """Each accepted theme of each long-text question: its count, counts by the
    workbook's segments and mean sentiment as the text pages show them (small groups
    hidden), and the approved quotes of answers coded with it, only when the theme
    is shown at all (a theme below k quotes nobody)."""
    _ = source.gettext
    if not await Theme.exists().where(
        (Theme.survey == source.survey.id) & (Theme.status == ThemeStatus.accepted.value)
    ):
        return ()
    # Imported only for a survey with a codebook: the text pages' module brings the
    # text analysis libraries (about 100 MB), which an export without themes does
    # not need. (In an app process that runs the text job they are loaded anyway.)
    from analysis import text_insights

    summaries = await text_insights.text_summary(source.survey, source.k)
    if not summaries:
        return ()
    descriptions = {
        card.id: card.description for card in await text_insights.accepted_cards(source.survey.id)
    }
    approved = await quotes.approved_quotes(source.survey.id)
    written_in = await _quote_languages(source, approved)
    several = len(summaries) > 1
    themes = []
    for summary in summaries:
        question = summary.question
        by_theme: dict[int, list[model.GroupCount]] = {}
        for segment in source.segments:
            breakdown = await text_insights.theme_breakdown(
                question, source.survey.id, segment, source.k
            )
            names, segment_label = column_names(_, segment), segment_name(_, segment)
            for row in breakdown.rows:
                by_theme.setdefault(row.theme_id, []).extend(
                    model.GroupCount(segment_label, column_label(names, column), cell)
                    for column, cell in zip(breakdown.columns, row.cells, strict=True)
                )
        for line in summary.themes:
            shown = line.count is not None and line.count >= summary.k
            quoted = [
                quote
                for quote in approved
                if shown and quote.question_id == question.id and line.theme_id in quote.theme_ids
            ]
            themes.append(
                model.Theme(
                    label=f"{question.position}. {line.label}" if several else line.label,
                    description=descriptions.get(line.theme_id, ""),
                    count=line.count,
                    by_group=tuple(by_theme.get(line.theme_id, ())),
                    sentiment=line.sentiment.polarity if line.sentiment and shown else None,
                    quotes=tuple(quote.text for quote in quoted),
                    quote_languages=tuple(written_in[quote.id] for quote in quoted),
                )
            )
    return tuple(themes)
