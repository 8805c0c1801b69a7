"""City-scale data: many complete responses to the demo survey, written straight
into its SQLite database so that seeding 100,000 takes seconds, not an hour of POSTs.

The answers follow each question's type as a submission stores them (one row per
atom: an option, a matrix statement's option, a ranked option, a number, a text),
and are drawn from a fixed seed, so every run measures the same data.
"""

from __future__ import annotations

import random
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.redact import redact
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


def _questions(db: sqlite3.Connection, survey_id: int) -> list[_Question]:
    questions = []
    for question_id, kind in db.execute(
        "SELECT id, type FROM question WHERE survey = ? ORDER BY position", (survey_id,)
    ):
        options = tuple(
            row[0]
            for row in db.execute(
                "SELECT id FROM option WHERE question = ? ORDER BY position", (question_id,)
            )
        )
        statements = tuple(
            row[0]
            for row in db.execute(
                "SELECT id FROM statement WHERE question = ? ORDER BY position", (question_id,)
            )
        )
        questions.append(_Question(question_id, kind, options, statements))
    return questions


def _answers(rng: random.Random, question: _Question) -> Iterator[tuple[object, ...]]:
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
    elif kind == "long_text":
        yield (
            question.id,
            None,
            None,
            f"{rng.choice(TEXTS)} ({rng.randint(1, 10**6)})",
            None,
            None,
        )


def seed_responses(
    database: Path,
    survey_id: int,
    count: int,
    seed: int = 8,
    queue_text: bool = False,
    analysed: bool = False,
) -> SeedResult:
    """Add `count` complete responses to the survey, and count them into its tally
    exactly as a submission does (surveys.tally's SQL, over the new responses only).
    With `queue_text`, their text answers wait for the text job as a submission's
    do; without, they stand for history the job has long finished with, and with
    `analysed` they have what it leaves that exports read: each text answer's
    redaction (analysis.redact; no language or features)."""
    rng = random.Random(seed)
    answers_added = 0
    with sqlite3.connect(database) as db:
        questions = _questions(db, survey_id)
        next_id = (db.execute("SELECT coalesce(max(id), 0) FROM response").fetchone()[0]) + 1
        for start in range(0, count, BATCH):
            responses, answers = [], []
            for response_id in range(next_id + start, next_id + min(start + BATCH, count)):
                responses.append(
                    (
                        response_id,
                        survey_id,
                        rng.choice(CHANNELS),
                        rng.choice(LOCALES),
                        f"2026-11-{rng.randint(1, 28):02d} {rng.randint(0, 23):02d}:00:00+00:00",
                        secrets.token_hex(16),
                        "complete",
                        1,
                    )
                )
                for question in questions:
                    answers.extend((response_id, *atom) for atom in _answers(rng, question))
            db.executemany(
                "INSERT INTO response (id, survey, channel, locale, submitted_at,"
                " idempotency_key, status, consent_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                responses,
            )
            db.executemany(
                "INSERT INTO answer (response, question, option, number, text, statement, rank)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                answers,
            )
            answers_added += len(answers)
        started = time.perf_counter()
        # The first new id is our own integer, so it can go into the SQL text.
        db.execute(delta_sql(f"r.id >= {int(next_id)}", 1))
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
