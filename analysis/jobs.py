"""The text job: features of newly stored text answers, computed once, off the
respondent's request, and the background loop that runs it in every app process.

Submissions queue their text answers (surveys.text_queue) in the transaction that
stores them. Each pass here claims the oldest queued answers under a lease, by the
claim rule every background job follows (consult.jobs: FOR UPDATE SKIP LOCKED on
PostgreSQL, so two processes never take the same answers), computes redaction,
features and safeguarding concerns in a thread (pure CPU work that must not hold
up the event loop), then stores the results and takes the answers off the queue in
one transaction. So the work of a pass is the new answers however many are stored;
a process that dies mid-pass leaves its answers to be taken again once their lease
runs out; a batch that fails is tried again answer by answer, so that one answer
the analysis cannot read holds up no other, and that one stops after the settings'
job_attempts (the log has the error; the text page counts it as waiting).

The queue stays rows of its own rather than Job rows: one INSERT ... SELECT in the
submission's transaction fills it, and a Job per answer, or one made whenever
answers arrive, would add writes to residents' hot path for nothing the lease on
the queue's rows does not already give.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from analysis import coding
from analysis.redact import redact
from analysis.safeguarding import concerns
from analysis.tables import SafeguardingFlag, TextAnswer
from analysis.text import TextFeatures, analyse_many
from consult.background import BackgroundLoop
from consult.database import write_transaction
from surveys import text_queue
from surveys.tables import PendingText

BATCH = 200
IDLE_SLEEP_S = 2.0
# Residents come first: after a pass the worker rests three times as long as the
# pass took, so it takes at most a quarter of the process's time while answers
# keep arriving (the queue waits; it empties when the rush is over).
REST_PER_WORK = 3.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Analysed:
    answer_id: int
    question_id: int
    redacted: str
    features: TextFeatures
    concerns: tuple[str, ...]


def _compute(rows: Sequence[dict[str, Any]]) -> list[_Analysed]:
    """Redact first, then analyse what planners will see: an email address or an
    identity number never becomes a keyword."""
    redacted = [redact(row["text"]).text for row in rows]
    features = analyse_many((text, row["locale"]) for text, row in zip(redacted, rows, strict=True))
    return [
        _Analysed(row["answer"], row["question"], text, feature, concerns(feature, text))
        for row, text, feature in zip(rows, redacted, features, strict=True)
    ]


async def _claimed(pending_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The claimed answers, with what their analysis needs (the answer gone since:
    deleted by a purge or a withdrawal, its queue row with it)."""
    placeholders = ", ".join(["{}"] * len(pending_ids))
    return await PendingText.raw(
        "SELECT p.id AS pending, a.id AS answer, a.question AS question, a.text AS text,"  # noqa: S608
        " r.locale AS locale, q.survey AS survey"
        " FROM pending_text p JOIN answer a ON a.id = p.answer"
        " JOIN response r ON r.id = a.response JOIN question q ON q.id = a.question"
        f" WHERE p.id IN ({placeholders}) ORDER BY p.id",
        *pending_ids,
    )


async def _store(rows: Sequence[dict[str, Any]]) -> None:
    """Analyse these answers and store what was found; off the queue they go."""
    analysed = await asyncio.to_thread(_compute, rows)
    async with write_transaction():
        stored = await (
            TextAnswer.insert(
                *[
                    TextAnswer(
                        answer=item.answer_id,
                        question=item.question_id,
                        redacted=item.redacted,
                        language=item.features.language,
                        tokens=list(item.features.tokens),
                        lemmas=list(item.features.lemmas),
                        keywords=list(item.features.keywords),
                        noun_phrases=list(item.features.noun_phrases),
                        polarity=item.features.polarity,
                        subjectivity=item.features.subjectivity,
                    )
                    for item in analysed
                ]
            )
            # Stored once, should a worker whose lease ran out finish after all.
            .on_conflict(target=TextAnswer.answer, action="DO NOTHING")
            .returning(TextAnswer.id, TextAnswer.answer)
        )
        new_ids = {row["answer"]: row["id"] for row in stored}
        flags = [
            SafeguardingFlag(text_answer=new_ids[item.answer_id], concern=concern)
            for item in analysed
            if item.answer_id in new_ids
            for concern in item.concerns
        ]
        if flags:
            await SafeguardingFlag.insert(*flags)
        await PendingText.delete().where(PendingText.id.is_in([row["pending"] for row in rows]))
    # Newly analysed answers get codes from their survey's codebook, if it has one.
    for survey_id in sorted({row["survey"] for row in rows}):
        await coding.code_new_answers(survey_id, list(new_ids.values()))


async def analyse_pending(limit: int = BATCH, at: datetime | None = None) -> int:
    """One pass: analyse up to `limit` queued answers that no other worker holds
    (at `at`, now unless given); how many were taken."""
    pending_ids = await text_queue.take(limit, at)
    if not pending_ids:
        return 0
    try:
        await _analyse(await _claimed(pending_ids))
    except asyncio.CancelledError:
        # The app is stopping: the next process takes them now, not in LEASE.
        await text_queue.release(pending_ids, untried=True)
        raise
    except Exception:
        # The database failed us (the answers' own failures were handled): they
        # go back to the queue rather than wait for their lease to run out.
        await text_queue.release(pending_ids)
        raise
    return len(pending_ids)


async def _analyse(rows: Sequence[dict[str, Any]]) -> None:
    """Analyse and store claimed answers; if the batch fails, one at a time, so
    that an answer that cannot be analysed holds up no other."""
    if not rows:
        return
    try:
        await _store(rows)
    except Exception:
        log.exception("text job: a batch of %d answers failed; trying one at a time", len(rows))
    else:
        return
    for row in rows:
        try:
            await _store([row])
        except Exception:
            # Its id only: an answer's text never goes to the log.
            log.exception("text job: pending answer %s could not be analysed", row["pending"])
            await text_queue.release([row["pending"]])


async def analyse_all_pending(poll_s: float = 0.05) -> int:
    """Passes until the queue is empty (the demo, the CLI, tests), waiting for the
    answers another worker holds; answers taken here."""
    total = 0
    while True:
        if taken := await analyse_pending():
            total += taken
        elif await text_queue.held_elsewhere():
            await asyncio.sleep(poll_s)
        else:
            return total


def text_worker() -> BackgroundLoop:
    """The text job in the background of an app process: a pass, then a rest three
    times as long (residents' requests come first), or a pause when idle."""
    return BackgroundLoop(
        "text-analysis", analyse_pending, idle_s=IDLE_SLEEP_S, rest_per_work=REST_PER_WORK
    )
