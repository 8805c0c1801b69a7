"""The text job: features of newly stored text answers, computed once, off the
respondent's request, and the background loop that runs it in every app process.

Submissions queue their text answers (surveys.text_queue) in the transaction that
stores them; each pass here takes the oldest queued answers, computes redaction,
features and safeguarding concerns in a thread (pure CPU work that must not hold
up the event loop), then stores the results and takes the answers off the queue in
one transaction. So the work of a pass is the new answers however many are stored,
and a crash mid-pass leaves them queued for the next one. Two processes that take
the same answers store them once (ON CONFLICT on the answer) and both dequeue.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from analysis import coding
from analysis.redact import redact
from analysis.safeguarding import concerns
from analysis.tables import SafeguardingFlag, TextAnswer
from analysis.text import TextFeatures, analyse_many
from consult.background import BackgroundLoop
from consult.database import write_transaction
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


async def _queued(limit: int) -> list[dict[str, Any]]:
    return await PendingText.raw(
        "SELECT p.id AS pending, a.id AS answer, a.question AS question, a.text AS text,"
        " r.locale AS locale, q.survey AS survey"
        " FROM pending_text p JOIN answer a ON a.id = p.answer"
        " JOIN response r ON r.id = a.response JOIN question q ON q.id = a.question"
        " ORDER BY p.id LIMIT {}",
        limit,
    )


async def analyse_pending(limit: int = BATCH) -> int:
    """One pass: analyse up to `limit` queued answers; how many were taken."""
    rows = await _queued(limit)
    if not rows:
        return 0
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
    return len(rows)


async def analyse_all_pending() -> int:
    """Passes until the queue is empty (the demo, the CLI, tests); answers taken."""
    total = 0
    while taken := await analyse_pending():
        total += taken
    return total


def text_worker() -> BackgroundLoop:
    """The text job in the background of an app process: a pass, then a rest three
    times as long (residents' requests come first), or a pause when idle."""
    return BackgroundLoop(
        "text-analysis", analyse_pending, idle_s=IDLE_SLEEP_S, rest_per_work=REST_PER_WORK
    )
