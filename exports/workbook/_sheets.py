"""The small sheets: cover and method, indicators, cross-tabs, themes, partners and
the data dictionary. Each takes a `Sheet` and the model, and writes rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

from exports.model import Cover, CrossTab, DictionaryEntry, Indicator, Labels, Partner, Theme
from exports.workbook._base import SENTIMENT_FORMAT as _SENT
from exports.workbook._base import Sheet


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()


def _moment(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%d %H:%M UTC")


def cover(sheet: Sheet, data: Cover, labels: Labels) -> None:
    """What was asked, of whom, when, and how to read the figures."""
    sheet.heading(data.consultation_title)
    sheet.blank()
    for label, value in (
        (labels.consultation, data.consultation_title),
        (labels.city, data.city),
        (labels.run_by, data.run_by),
        (labels.purpose, data.purpose),
        (labels.survey, data.survey_title),
        (labels.opens, _day(data.opens)),
        (labels.closes, _day(data.closes)),
        (labels.exported, _moment(data.exported_at)),
        (labels.responses, data.response_count),
        (labels.k, data.k),
        (labels.suppression, data.suppression_rule),
    ):
        sheet.row(sheet.bold(label), value)
    if data.text_language:
        sheet.row(sheet.bold(labels.text_language), data.text_language)
    if data.untranslated:
        sheet.row(None, data.untranslated)
    for heading, lines in ((labels.channels, data.channels), (labels.languages, data.languages)):
        sheet.blank()
        sheet.heading(heading, labels.count)
        for line in lines:
            sheet.row(line.label, sheet.count(line.count))
    sheet.blank()
    sheet.heading(labels.organisations)
    for name in data.organisations:
        sheet.row(name)
    sheet.blank()
    sheet.heading(labels.caveats)
    for paragraph in data.caveats:
        sheet.row(paragraph)


def indicators(sheet: Sheet, items: tuple[Indicator, ...], labels: Labels) -> None:
    """One row for everyone, then one per group, for every indicator."""
    sheet.heading(
        labels.indicator,
        labels.question,
        labels.counts_as,
        labels.segment,
        labels.group,
        labels.answered,
        labels.count,
        labels.share,
        labels.low,
        labels.high,
    )
    for item in items:
        counts_as = labels.separator.join(item.counts_as)
        overall = item.overall
        sheet.row(
            item.label,
            item.question,
            counts_as,
            labels.overall,
            "",
            sheet.count(overall.n),
            sheet.count(overall.x),
            sheet.share(overall.share),
            sheet.share(overall.low),
            sheet.share(overall.high),
        )
        for group in item.by_group:
            sheet.row(
                item.label,
                item.question,
                counts_as,
                group.segment,
                group.group,
                sheet.count(group.n),
                None,
                sheet.share(group.share),
                sheet.share(group.low),
                sheet.share(group.high),
            )


def cross_tabs(sheet: Sheet, tables: tuple[CrossTab, ...], labels: Labels) -> None:
    """Each table under its title, a blank row between tables."""
    for number, table in enumerate(tables):
        if number:
            sheet.blank()
        sheet.heading(table.title)
        sheet.heading(labels.option, *table.columns)
        for line in table.rows:
            sheet.row(line.label, *(sheet.count(count) for count in line.counts))


def themes(sheet: Sheet, items: tuple[Theme, ...], labels: Labels) -> None:
    """The codebook with counts, sentiment and quotes (and the language each quote
    was written in, in the same order); then the counts by group."""
    sheet.heading(
        labels.theme,
        labels.description,
        labels.count,
        labels.sentiment,
        labels.quotes,
        labels.quote_languages,
    )
    for theme in items:
        # A suppressed theme hides its sentiment too; one never computed stays empty.
        if theme.count is None or theme.sentiment is not None:
            sentiment = sheet.number(None if theme.count is None else theme.sentiment, _SENT)
        else:
            sentiment = ""
        sheet.row(
            theme.label,
            theme.description,
            sheet.count(theme.count),
            sentiment,
            "\n".join(theme.quotes),
            labels.separator.join(theme.quote_languages),
        )
    if any(theme.by_group for theme in items):
        sheet.blank()
        sheet.heading(labels.theme, labels.segment, labels.group, labels.count)
        for theme in items:
            for line in theme.by_group:
                sheet.row(theme.label, line.segment, line.group, sheet.count(line.count))


def partners(sheet: Sheet, items: tuple[Partner, ...], labels: Labels) -> None:
    sheet.heading(
        labels.organisation,
        labels.kind,
        labels.sessions,
        labels.responses,
        labels.groups_reached,
        labels.findings,
    )
    for partner in items:
        sheet.row(
            partner.name,
            partner.kind,
            partner.sessions,
            sheet.count(partner.responses),
            labels.separator.join(partner.groups_reached),
            labels.separator.join(partner.findings),
        )


def dictionary(sheet: Sheet, entries: tuple[DictionaryEntry, ...], labels: Labels) -> None:
    sheet.heading(labels.column, labels.question, labels.type, labels.coding, labels.text_language)
    for entry in entries:
        sheet.row(entry.column, entry.question, entry.type_label, entry.coding, entry.text_language)
