"""Codes for text answers from a survey's codebook: the coder is built from the
accepted themes and what planners confirmed or rejected, then suggests codes for
new answers (after the text job) or for all of them (after the codebook changed).

Reviewed codes are never overwritten: auto codes are, each time the coder learns.
Answers are read in batches by id, so recoding 100,000 answers never holds them all.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from analysis.codebook import Codebook, ThemeDef
from analysis.coder import Coder, ReviewedAnswer
from analysis.tables import CodeSource, Coding, TextAnswer, Theme, ThemeStatus
from analysis.text import TextFeatures
from consult.database import write_transaction

RECODE_BATCH = 2000


def features_of(row: dict[str, Any]) -> TextFeatures:
    """A stored TextAnswer row's features, as analysis.text made them."""
    return TextFeatures(
        language=row["language"],
        tokens=tuple(row["tokens"]),
        lemmas=tuple(row["lemmas"]),
        keywords=tuple(row["keywords"]),
        polarity=row["polarity"],
        subjectivity=row["subjectivity"],
        noun_phrases=tuple(row["noun_phrases"]),
    )


FEATURE_COLUMNS = (
    TextAnswer.id,
    TextAnswer.redacted,
    TextAnswer.language,
    TextAnswer.tokens,
    TextAnswer.lemmas,
    TextAnswer.keywords,
    TextAnswer.noun_phrases,
    TextAnswer.polarity,
    TextAnswer.subjectivity,
)


async def analysed_batches(
    survey_id: int, batch: int, question_types: Sequence[str] | None = None
) -> AsyncIterator[list[dict[str, Any]]]:
    """The survey's analysed answers (id, redacted text, features), `batch` at a
    time by id, optionally only those of questions of these types."""
    after = 0
    while True:
        where = (TextAnswer.question.survey == survey_id) & (TextAnswer.id > after)
        if question_types is not None:
            where &= TextAnswer.question.type.is_in(list(question_types))
        rows = (
            await TextAnswer.select(*FEATURE_COLUMNS)
            .where(where)
            .order_by(TextAnswer.id)
            .limit(batch)
            .output(load_json=True)
        )
        if not rows:
            return
        yield rows
        after = rows[-1]["id"]


async def accepted_themes(survey_id: int) -> list[dict[str, Any]]:
    return (
        await Theme.select()
        .where((Theme.survey == survey_id) & (Theme.status == ThemeStatus.accepted.value))
        .order_by(Theme.position)
        .order_by(Theme.id)
        .output(load_json=True)
    )


def codebook_of(themes: Sequence[dict[str, Any]]) -> Codebook:
    return Codebook(
        tuple(
            ThemeDef(
                id=theme["key"],
                label=theme["label"],
                description=theme["description"],
                keywords=tuple(theme["keywords"]),
                examples=tuple(theme["examples"]),
            )
            for theme in themes
        )
    )


async def _reviewed(survey_id: int, theme_keys: dict[int, str]) -> list[ReviewedAnswer]:
    """Every answer a planner decided on, scoped to the themes decided."""
    decisions = await Coding.select(Coding.text_answer, Coding.theme, Coding.source).where(
        (Coding.theme.survey == survey_id) & (Coding.source != CodeSource.auto.value)
    )
    by_answer: dict[int, dict[str, bool]] = {}
    for row in decisions:
        if row["theme"] in theme_keys:
            by_answer.setdefault(row["text_answer"], {})[theme_keys[row["theme"]]] = (
                row["source"] == CodeSource.confirmed.value
            )
    if not by_answer:
        return []
    rows = (
        await TextAnswer.select(*FEATURE_COLUMNS)
        .where(TextAnswer.id.is_in(list(by_answer)))
        .output(load_json=True)
    )
    return [
        ReviewedAnswer(
            text=row["redacted"],
            features=features_of(row),
            theme_ids=frozenset(key for key, yes in by_answer[row["id"]].items() if yes),
            scope=frozenset(by_answer[row["id"]]),
        )
        for row in rows
    ]


async def _codebook_version(survey_id: int) -> tuple[object, ...]:
    """What the coder is built from, in two small aggregates: when it is unchanged,
    so is the coder (themes are edited in place, so their text is part of it)."""
    themes = await Theme.raw(
        "SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS last,"
        " COALESCE(SUM(LENGTH(label) + LENGTH(CAST(keywords AS TEXT))"
        " + LENGTH(CAST(examples AS TEXT))), 0) AS size"
        " FROM theme WHERE survey = {} AND status = 'accepted'",
        survey_id,
    )
    reviewed = await Coding.raw(
        "SELECT COUNT(*) AS n, COALESCE(MAX(c.id), 0) AS last,"
        " COALESCE(SUM(CASE WHEN c.source = 'confirmed' THEN 1 ELSE 0 END), 0) AS yes"
        " FROM coding c JOIN theme t ON t.id = c.theme"
        " WHERE t.survey = {} AND c.source <> 'auto'",
        survey_id,
    )
    return (*themes[0].values(), *reviewed[0].values())


# The coders this process built, by survey, with the version they were built from:
# the text job codes every pass with the same coder until the codebook or a
# review changes, instead of fitting it again each time.
_built: dict[int, tuple[tuple[object, ...], tuple[Coder, dict[str, int]] | None]] = {}


async def cached_coder_for(survey_id: int) -> tuple[Coder, dict[str, int]] | None:
    version = await _codebook_version(survey_id)
    cached = _built.get(survey_id)
    if cached is not None and cached[0] == version:
        return cached[1]
    built = await coder_for(survey_id)
    _built[survey_id] = (version, built)
    return built


async def coder_for(
    survey_id: int, translate: Callable[[str], str] = str
) -> tuple[Coder, dict[str, int]] | None:
    """The survey's coder and its theme ids by key; None without accepted themes."""
    themes = await accepted_themes(survey_id)
    if not themes:
        return None
    keys = {theme["id"]: theme["key"] for theme in themes}
    coder = Coder.from_codebook(
        codebook_of(themes), await _reviewed(survey_id, keys), translate=translate
    )
    return coder, {key: theme_id for theme_id, key in keys.items()}


async def _code(coder: Coder, theme_ids: dict[str, int], rows: list[dict[str, Any]]) -> int:
    """Replace the auto codes of these answers with the coder's; reviewed ones stay."""
    answer_ids = [row["id"] for row in rows]
    reviewed = {
        (row["text_answer"], row["theme"])
        for row in await Coding.select(Coding.text_answer, Coding.theme).where(
            Coding.text_answer.is_in(answer_ids) & (Coding.source != CodeSource.auto.value)
        )
    }
    suggestions = coder.suggest_many((row["redacted"], features_of(row)) for row in rows)
    codes = [
        Coding(
            text_answer=row["id"],
            theme=theme_ids[suggestion.theme_id],
            source=CodeSource.auto.value,
            score=round(suggestion.score, 3),
            reasons=list(suggestion.reasons),
        )
        for row, suggested in zip(rows, suggestions, strict=True)
        for suggestion in suggested
        if (row["id"], theme_ids[suggestion.theme_id]) not in reviewed
    ]
    async with write_transaction():
        await Coding.delete().where(
            Coding.text_answer.is_in(answer_ids) & (Coding.source == CodeSource.auto.value)
        )
        for start in range(0, len(codes), 500):
            await Coding.insert(*codes[start : start + 500])
    return len(codes)


async def code_new_answers(survey_id: int, text_answer_ids: Sequence[int]) -> int:
    """Auto codes for just-analysed answers of this survey; how many were given."""
    if not text_answer_ids:
        return 0
    built = await cached_coder_for(survey_id)
    if built is None:
        return 0
    rows = (
        await TextAnswer.select(*FEATURE_COLUMNS)
        .where(
            TextAnswer.id.is_in(list(text_answer_ids)) & (TextAnswer.question.survey == survey_id)
        )
        .output(load_json=True)
    )
    return await _code(*built, rows) if rows else 0


async def recode_survey(survey_id: int, translate: Callable[[str], str] = str) -> int:
    """Auto codes for every analysed answer of the survey, from the coder as it is
    now (after themes were accepted or codes reviewed); how many were given."""
    built = await coder_for(survey_id, translate)
    if built is None:
        await Coding.delete().where(
            (Coding.theme.survey == survey_id) & (Coding.source == CodeSource.auto.value)
        )
        return 0
    given = 0
    async for rows in analysed_batches(survey_id, RECODE_BATCH):
        given += await _code(*built, rows)
    return given
