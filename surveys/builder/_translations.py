"""A survey's translations follow it into its new version: each text's rows are
copied under the new version's ids (the old version keeps its own, for its answers)."""

from __future__ import annotations

from datetime import UTC, datetime

from consult.tables import ContentTranslation
from consult.text_input import is_ascii_number
from surveys.flow import SurveySpec
from surveys.tables import Option, Question, Statement

# Rows per INSERT: well below SQLite's limit on bound values (5 a row).
_BATCH = 500


async def _new_ids(old: SurveySpec, new_survey_id: int) -> dict[tuple[str, int], int]:
    """(kind, old id) -> new id, matching the copy by position: the new version was
    written from the old one's definition, question by question, answer by answer."""
    questions = (
        await Question.select(Question.id)
        .where(Question.survey == new_survey_id)
        .order_by(Question.position)
        .order_by(Question.id)
    )
    children: dict[str, dict[int, list[int]]] = {"option": {}, "statement": {}}
    for kind, table in (("option", Option), ("statement", Statement)):
        rows = (
            await table.select(table.id, table.question)
            .where(table.question.survey == new_survey_id)
            .order_by(table.position)
            .order_by(table.id)
        )
        for row in rows:
            children[kind].setdefault(row["question"], []).append(row["id"])
    ids = {("survey", old.id): new_survey_id}
    if len(questions) != len(old.questions):
        return ids  # not a copy after all: translate its questions again
    for question, row in zip(old.questions, questions, strict=True):
        ids[("question", question.id)] = row["id"]
        for kind, olds in (("option", question.options), ("statement", question.statements)):
            news = children[kind].get(row["id"], [])
            if len(news) == len(olds):
                ids.update({(kind, item.id): new for item, new in zip(olds, news, strict=True)})
    return ids


def _renamed(field: str, ids: dict[tuple[str, int], int]) -> str | None:
    """ "question.34.help.easy" under the new version's id, or None if not its text."""
    kind, _, rest = field.partition(".")
    object_id, _, attr = rest.partition(".")
    if not attr or not is_ascii_number(object_id):
        return None
    new_id = ids.get((kind, int(object_id)))
    return f"{kind}.{new_id}.{attr}" if new_id is not None else None


async def copy_translations(consultation_id: int, old: SurveySpec, new_survey_id: int) -> None:
    """Copy the old version's translations to the new one (inside the caller's
    transaction, which wrote the new version)."""
    ids = await _new_ids(old, new_survey_id)
    rows = await ContentTranslation.select(
        ContentTranslation.locale, ContentTranslation.field, ContentTranslation.text
    ).where(ContentTranslation.consultation == consultation_id)
    now = datetime.now(UTC)
    copies = [
        ContentTranslation(
            consultation=consultation_id,
            locale=row["locale"],
            field=renamed,
            text=row["text"],
            updated_at=now,
        )
        for row in rows
        if (renamed := _renamed(row["field"], ids))
    ]
    for start in range(0, len(copies), _BATCH):
        await ContentTranslation.insert(*copies[start : start + _BATCH])
