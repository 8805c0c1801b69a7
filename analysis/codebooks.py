"""A survey's codebook in the database: suggested themes stored for the planner
to decide on, accepted themes imported from or exported to a codebook file."""

from __future__ import annotations

from analysis.codebook import Codebook, dump_codebook, parse_codebook
from analysis.coding import analysed_batches, codebook_of, features_of
from analysis.tables import Theme, ThemeStatus
from analysis.themes import suggest_themes
from consult.database import write_transaction

# Themes are suggested from the long answers, where people describe what happened;
# a short answer ("Breiðholt") names a place, not a theme.
THEMED_TYPES = ("long_text",)
_READ_BATCH = 5000


async def _themed_answers(survey_id: int) -> list[tuple[str, object, str]]:
    """(key, features, redacted text) of every analysed long answer, read in batches."""
    return [
        (str(row["id"]), features_of(row), row["redacted"])
        async for rows in analysed_batches(survey_id, _READ_BATCH, THEMED_TYPES)
        for row in rows
    ]


async def suggest_for_survey(survey_id: int, max_themes: int = 12) -> int:
    """Replace the survey's suggested themes with fresh ones; how many were found.
    Accepted and discarded themes stay as the planner left them."""
    answers = await _themed_answers(survey_id)
    texts = {key: text for key, _, text in answers}
    candidates = suggest_themes(
        [(key, features) for key, features, _ in answers], max_themes=max_themes
    )
    decided = {
        row["key"]
        for row in await Theme.select(Theme.key).where(
            (Theme.survey == survey_id) & (Theme.status != ThemeStatus.suggested.value)
        )
    }
    async with write_transaction():
        await Theme.delete().where(
            (Theme.survey == survey_id) & (Theme.status == ThemeStatus.suggested.value)
        )
        fresh = [
            Theme(
                survey=survey_id,
                key=candidate.key,
                label=candidate.label[:120],
                keywords=list(candidate.lemmas + candidate.noun_phrases),
                examples=[texts[key] for key in candidate.example_keys],
                status=ThemeStatus.suggested.value,
                size=candidate.size,
                position=position,
            )
            for position, candidate in enumerate(candidates)
            if candidate.key not in decided
        ]
        if fresh:
            await Theme.insert(*fresh)
    return len(fresh)


async def import_codebook(survey_id: int, data: bytes | str) -> Codebook:
    """Accept every theme of a codebook file into the survey's codebook: a theme
    whose id is there already is updated, a new one added. A bad file raises
    analysis.codebook.CodebookError before anything is stored."""
    codebook = parse_codebook(data)
    existing = {
        row["key"]: row["id"]
        for row in await Theme.select(Theme.id, Theme.key).where(Theme.survey == survey_id)
    }
    async with write_transaction():
        for position, theme in enumerate(codebook.themes):
            values = {
                Theme.label: theme.label,
                Theme.description: theme.description,
                Theme.keywords: list(theme.keywords),
                Theme.examples: list(theme.examples),
                Theme.status: ThemeStatus.accepted.value,
                Theme.position: position,
            }
            if theme.id in existing:
                await Theme.update(values).where(Theme.id == existing[theme.id])
            else:
                await Theme.insert(
                    Theme(
                        survey=survey_id,
                        key=theme.id,
                        size=0,
                        **{c._meta.name: v for c, v in values.items()},
                    )
                )
    return codebook


async def export_codebook(survey_id: int) -> str:
    """The survey's accepted themes as a codebook file (analysis/codebook.schema.json)."""
    themes = (
        await Theme.select()
        .where((Theme.survey == survey_id) & (Theme.status == ThemeStatus.accepted.value))
        .order_by(Theme.position)
        .order_by(Theme.id)
        .output(load_json=True)
    )
    return dump_codebook(codebook_of(themes))
