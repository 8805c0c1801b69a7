"""The planner's decisions on suggested themes, and edits to the codebook.

Every change names the survey as well as the theme: a theme of another survey is
not found. A merged suggestion is kept as discarded, so that suggesting again does
not bring it back (its keywords and examples live on in the theme it joined)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from analysis.codebook import MAX_EXAMPLES, MAX_KEYWORDS
from analysis.tables import Theme, ThemeStatus
from consult.database import write_transaction

EXAMPLES_SHOWN = 3


@dataclass(frozen=True)
class ThemeCard:
    id: int
    key: str
    label: str
    description: str
    keywords: tuple[str, ...]
    examples: tuple[str, ...]
    size: int
    status: str


def _card(row: dict[str, Any]) -> ThemeCard:
    return ThemeCard(
        id=row["id"],
        key=row["key"],
        label=row["label"],
        description=row["description"],
        keywords=tuple(row["keywords"]),
        examples=tuple(row["examples"]),
        size=row["size"],
        status=row["status"],
    )


async def _cards(survey_id: int, status: ThemeStatus) -> tuple[ThemeCard, ...]:
    rows = (
        await Theme.select()
        .where((Theme.survey == survey_id) & (Theme.status == status.value))
        .order_by(Theme.position)
        .order_by(Theme.id)
        .output(load_json=True)
    )
    return tuple(_card(row) for row in rows)


async def suggested_cards(survey_id: int) -> tuple[ThemeCard, ...]:
    return await _cards(survey_id, ThemeStatus.suggested)


async def accepted_cards(survey_id: int) -> tuple[ThemeCard, ...]:
    return await _cards(survey_id, ThemeStatus.accepted)


async def theme_card(
    survey_id: int, theme_id: int, status: ThemeStatus | None = None
) -> ThemeCard | None:
    """The survey's theme (of that status, when given), or None."""
    query = Theme.select().where((Theme.id == theme_id) & (Theme.survey == survey_id))
    if status is not None:
        query = query.where(Theme.status == status.value)
    row = await query.first().output(load_json=True)
    return _card(row) if row else None


async def _set_status(survey_id: int, theme_id: int, status: ThemeStatus) -> ThemeCard | None:
    card = await theme_card(survey_id, theme_id, ThemeStatus.suggested)
    if card is None:
        return None
    async with write_transaction():
        values: dict[Any, Any] = {Theme.status: status.value}
        if status is ThemeStatus.accepted:
            last = await Theme.raw(
                "SELECT COALESCE(MAX(position), -1) AS last FROM theme"
                " WHERE survey = {} AND status = 'accepted'",
                survey_id,
            )
            values[Theme.position] = int(last[0]["last"]) + 1
        await Theme.update(values).where(Theme.id == theme_id)
    return card


async def accept(survey_id: int, theme_id: int) -> ThemeCard | None:
    """Put a suggested theme into the codebook; None if there is no such suggestion."""
    return await _set_status(survey_id, theme_id, ThemeStatus.accepted)


async def discard(survey_id: int, theme_id: int) -> ThemeCard | None:
    return await _set_status(survey_id, theme_id, ThemeStatus.discarded)


async def rename(survey_id: int, theme_id: int, label: str) -> ThemeCard | None:
    """A new label for a suggested theme; the changed theme, or None."""
    if await theme_card(survey_id, theme_id, ThemeStatus.suggested) is None:
        return None
    async with write_transaction():
        await Theme.update({Theme.label: label}).where(Theme.id == theme_id)
    return await theme_card(survey_id, theme_id)


def _joined(first: tuple[str, ...], second: tuple[str, ...], most: int) -> list[str]:
    """Both lists in order, each entry once (ignoring case), at most `most`."""
    seen: set[str] = set()
    joined = []
    for entry in (*first, *second):
        if entry.casefold() not in seen:
            seen.add(entry.casefold())
            joined.append(entry)
    return joined[:most]


async def merge(survey_id: int, theme_id: int, into_id: int) -> ThemeCard | None:
    """A suggestion's keywords and examples added to an accepted theme, the
    suggestion taken off the list; the accepted theme as it is now, or None."""
    suggestion = await theme_card(survey_id, theme_id, ThemeStatus.suggested)
    target = await theme_card(survey_id, into_id, ThemeStatus.accepted)
    if suggestion is None or target is None:
        return None
    async with write_transaction():
        await Theme.update(
            {
                Theme.keywords: _joined(target.keywords, suggestion.keywords, MAX_KEYWORDS),
                Theme.examples: _joined(target.examples, suggestion.examples, MAX_EXAMPLES),
            }
        ).where(Theme.id == into_id)
        await Theme.update({Theme.status: ThemeStatus.discarded.value}).where(Theme.id == theme_id)
    return await theme_card(survey_id, into_id)


async def update_theme(
    survey_id: int, theme_id: int, label: str, description: str, keywords: list[str]
) -> ThemeCard | None:
    """Edit an accepted theme of the codebook; the changed theme, or None."""
    if await theme_card(survey_id, theme_id, ThemeStatus.accepted) is None:
        return None
    async with write_transaction():
        await Theme.update(
            {Theme.label: label, Theme.description: description, Theme.keywords: keywords}
        ).where(Theme.id == theme_id)
    return await theme_card(survey_id, theme_id)
