"""City-scale data: many complete responses to the demo survey, written straight
into its database (SQLite: executemany; PostgreSQL: COPY) so that seeding 100,000
takes seconds, not an hour of POSTs.

The answers follow each question's type as a submission stores them (one row per
atom: an option, a matrix statement's option, a ranked option, a number, a text),
and are drawn from a fixed seed, so every run measures the same data.
"""

from __future__ import annotations

import asyncio
import random
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

from analysis.redact import redact
from bench.texts import FreeText
from surveys.tally import delta_sql

CHANNELS = ("web", "web", "web", "kiosk", "paper", "assisted")
LOCALES = ("is", "is", "en", "pl", "en", "fi")
BATCH = 5_000
TEXTS = (
    "I do not feel safe on the bus at night, people shout at my sister.",
    "Mér líður ekki vel í strætó á kvöldin, það var hrópað á mig.",
    "The youth centre is closed too often, young people have nowhere to go.",
    "Nie czuję się bezpiecznie w centrum w weekendy.",
    "Police did not take my report seriously when I reported hate speech online.",
    "Lögreglan tók ekki mark á tilkynningunni minni.",
    "More lighting in the park and a place for teenagers.",
    "Nuoret tarvitsevat turvallisen paikan kaupungissa.",
)
DISTRICTS = ("Breiðholt", "Vesturbær", "Grafarvogur", "Laugardalur", "Miðborg")


@dataclass(frozen=True)
class SeedResult:
    responses: int
    answers: int
    tally_s: float  # the time to count them into the tally, as one submission batch would


@dataclass(frozen=True)
class _Question:
    id: int
    type: str
    options: tuple[int, ...]
    statements: tuple[int, ...]


_QUESTIONS_SQL = "SELECT id, type FROM question WHERE survey = ? ORDER BY position"
_OPTIONS_SQL = "SELECT id FROM option WHERE question = ? ORDER BY position"
_STATEMENTS_SQL = "SELECT id FROM statement WHERE question = ? ORDER BY position"
RESPONSE_COLUMNS = (
    "id",
    "survey",
    "channel",
    "locale",
    "submitted_at",
    "idempotency_key",
    "status",
    "consent_version",
)
ANSWER_COLUMNS = ("response", "question", "option", "number", "text", "statement", "rank")


def _questions(execute: Callable[..., Any], survey_id: int) -> list[_Question]:
    questions = []
    for question_id, kind in list(execute(_QUESTIONS_SQL, (survey_id,))):
        options = tuple(row[0] for row in execute(_OPTIONS_SQL, (question_id,)))
        statements = tuple(row[0] for row in execute(_STATEMENTS_SQL, (question_id,)))
        questions.append(_Question(question_id, kind, options, statements))
    return questions


async def _questions_async(execute: Callable[..., Any], survey_id: int) -> list[_Question]:
    questions = []
    for question_id, kind in await execute(_QUESTIONS_SQL, (survey_id,)):
        options = tuple(row[0] for row in await execute(_OPTIONS_SQL, (question_id,)))
        statements = tuple(row[0] for row in await execute(_STATEMENTS_SQL, (question_id,)))
        questions.append(_Question(question_id, kind, options, statements))
    return questions


def _answers(
    rng: random.Random, question: _Question, texts: FreeText | None = None
) -> Iterator[tuple[object, ...]]:
    """(question, option, number, text, statement, rank) atoms of one answer."""
    if rng.random() < 0.1:  # some questions are skipped, as real respondents do
        return
    kind = question.type
    if kind in ("single_choice", "scale"):
        # Skewed towards the first options so that some cells are small.
        option = question.options[min(int(rng.expovariate(0.6)), len(question.options) - 1)]
        yield (question.id, option, None, None, None, None)
    elif kind == "multiple_choice":
        for option in rng.sample(question.options, rng.randint(1, min(3, len(question.options)))):
            yield (question.id, option, None, None, None, None)
    elif kind == "matrix":
        for statement in question.statements:
            yield (question.id, rng.choice(question.options), None, None, statement, None)
    elif kind == "ranking":
        for rank, option in enumerate(rng.sample(question.options, len(question.options)), 1):
            yield (question.id, option, None, None, None, rank)
    elif kind == "number":
        yield (question.id, None, rng.randint(0, 60), None, None, None)
    elif kind == "short_text":
        yield (question.id, None, None, rng.choice(DISTRICTS), None, None)
    elif kind == "long_text" and texts is not None:
        yield (question.id, None, None, texts.long(), None, None)
    elif kind == "long_text":
        yield (
            question.id,
            None,
            None,
            f"{rng.choice(TEXTS)} ({rng.randint(1, 10**6)})",
            None,
            None,
        )


def _generated(
    rng: random.Random,
    questions: list[_Question],
    survey_id: int,
    first_id: int,
    count: int,
    texts: FreeText | None = None,
) -> Iterator[tuple[list[tuple[object, ...]], list[tuple[object, ...]]]]:
    """(responses, answers) rows, BATCH responses at a time, ids from `first_id`."""
    for start in range(0, count, BATCH):
        responses, answers = [], []
        for response_id in range(first_id + start, first_id + min(start + BATCH, count)):
            responses.append(
                (
                    response_id,
                    survey_id,
                    rng.choice(CHANNELS),
                    rng.choice(LOCALES),
                    datetime(2026, 11, rng.randint(1, 28), rng.randint(0, 23), tzinfo=UTC),
                    secrets.token_hex(16),
                    "complete",
                    1,
                )
            )
            for question in questions:
                answers.extend((response_id, *atom) for atom in _answers(rng, question, texts))
        yield responses, answers


def seed_responses(
    database: Path,
    survey_id: int,
    count: int,
    seed: int = 8,
    queue_text: bool = False,
    analysed: bool = False,
    texts: FreeText | None = None,
) -> SeedResult:
    """Add `count` complete responses to the survey, and count them into its tally
    exactly as a submission does (surveys.tally's SQL, over the new responses only).
    With `queue_text`, their text answers wait for the text job as a submission's
    do; without, they stand for history the job has long finished with, and with
    `analysed` they have what it leaves that exports read: each text answer's
    redaction (analysis.redact; no language or features). Long answers are the
    fixed TEXTS, or residents' own (bench.texts) when `texts` is given."""
    rng = random.Random(seed)
    answers_added = 0
    with sqlite3.connect(database) as db:
        questions = _questions(db.execute, survey_id)
        next_id = (db.execute("SELECT coalesce(max(id), 0) FROM response").fetchone()[0]) + 1
        for responses, answers in _generated(rng, questions, survey_id, next_id, count, texts):
            db.executemany(
                "INSERT INTO response (id, survey, channel, locale, submitted_at,"
                " idempotency_key, status, consent_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(*row[:4], row[4].isoformat(sep=" "), *row[5:]) for row in responses],  # type: ignore[attr-defined]
            )
            db.executemany(
                "INSERT INTO answer (response, question, option, number, text, statement, rank)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                answers,
            )
            answers_added += len(answers)
        started = time.perf_counter()
        # The first new id is our own integer, so it can go into the SQL text.
        db.execute(delta_sql(f"r.id >= {int(next_id)}", 1, shard="0"))
        tally_s = time.perf_counter() - started
        if queue_text:
            db.execute(
                "INSERT INTO pending_text (answer) SELECT id FROM answer"
                " WHERE response >= ? AND text IS NOT NULL",
                (next_id,),
            )
        if analysed:
            db.create_function("redact", 1, lambda text: redact(text).text, deterministic=True)
            db.execute(
                "INSERT INTO text_answer (answer, question, redacted, tokens, lemmas, keywords,"
                " noun_phrases) SELECT id, question, redact(text), '[]', '[]', '[]', '[]'"
                " FROM answer WHERE response >= ? AND text IS NOT NULL",
                (next_id,),
            )
        db.execute("ANALYZE")
    return SeedResult(count, answers_added, tally_s)


async def _seed_postgres(url: str, survey_id: int, count: int, seed: int) -> SeedResult:
    """seed_responses for PostgreSQL: the rows COPYed in, then the same tally SQL."""
    rng = random.Random(seed)
    answers_added = 0
    connection = await asyncpg.connect(url)
    try:

        async def execute(sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
            numbered = sql.replace("?", "$1")  # _questions asks with one value only
            return [tuple(row) for row in await connection.fetch(numbered, *params)]

        questions = await _questions_async(execute, survey_id)
        next_id = int(await connection.fetchval("SELECT coalesce(max(id), 0) FROM response")) + 1
        async with connection.transaction():
            for responses, answers in _generated(rng, questions, survey_id, next_id, count):
                await connection.copy_records_to_table(
                    "response", records=responses, columns=RESPONSE_COLUMNS
                )
                await connection.copy_records_to_table(
                    "answer", records=answers, columns=ANSWER_COLUMNS
                )
                answers_added += len(answers)
            # Ids were given, so the sequence is told where they have got to.
            await connection.execute(
                "SELECT setval(pg_get_serial_sequence('response', 'id'), max(id)) FROM response"
            )
            # Statistics first: planned on the counts from before, counting the
            # new rows into the tally scans instead of using the indexes.
            await connection.execute("ANALYZE response")
            await connection.execute("ANALYZE answer")
            started = time.perf_counter()
            await connection.execute(delta_sql(f"r.id >= {int(next_id)}", 1, shard="0"))
            tally_s = time.perf_counter() - started
    finally:
        await connection.close()
    return SeedResult(count, answers_added, tally_s)


def seed_site(url: str, survey_id: int, count: int, seed: int) -> SeedResult:
    """`count` more complete responses on the site's engine, counted in the tally."""
    if url.startswith("sqlite:"):
        return seed_responses(Path(url.split(":///", 1)[1]), survey_id, count, seed)
    return asyncio.run(_seed_postgres(url, survey_id, count, seed))
