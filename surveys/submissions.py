"""Storing a resident's answers: all or nothing, only once, many at a time."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from piccolo.columns import Text

from consult import bound_lists
from consult.group_commit import GroupCommit
from consult.tables import Consultation, ConsultationStatus
from surveys import abuse, tally, text_queue
from surveys.drafts import delete_drafts
from surveys.flow import SurveySpec
from surveys.question_types import AnswerValue
from surveys.tables import ANSWER_ATOM_COLUMNS, Answer, Channel, Response, ResponseStatus


class ConsultationNotOpen(Exception):
    pass


class Refused(Exception):
    """Too many from one address (surveys.abuse): nothing was stored; the resident
    may send the same answers again after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def _coarse_now() -> datetime:
    """The submission time rounded down to the hour, so it cannot single anyone out."""
    return datetime.now(UTC).replace(minute=0, second=0, microsecond=0)


class _Stored(enum.Enum):
    """What became of one submission."""

    new = "new"
    already = "already"  # the same form was stored before: nothing written
    not_open = "not_open"  # the consultation closed meanwhile: nothing written
    refused = "refused"  # a flood from one address (surveys.abuse): nothing written


@dataclass(frozen=True)
class _Submission:
    survey_id: int
    consultation_id: int
    answers: tuple[AnswerValue, ...]
    idempotency_key: str
    locale: str
    channel: str
    consent_version: int | None
    draft_code: str | None
    hosted_session: int | None = None
    # What the resident's form told (None: not from one, e.g. entered from paper).
    signals: abuse.Signals | None = None
    text_digest: str = ""


async def submit(
    survey: SurveySpec,
    answers: Sequence[AnswerValue],
    idempotency_key: str,
    locale: str,
    channel: Channel = Channel.web,
    consent_version: int | None = None,
    draft_code: str | None = None,
    hosted_session: int | None = None,
    signals: abuse.Signals | None = None,
) -> bool:
    """Store one response and its answers, all or nothing, and only once.

    Returns False when this form was already stored (a double tap or a retry),
    in which case nothing is written. Submissions that arrive together are
    written in one transaction (see GroupCommit), each of them whole or not at all.
    The respondent's draft, if any, is deleted in that same transaction: once the
    response is stored, nothing of their answers is left anywhere else.
    `hosted_session` is the organisation's session it came through (None: the
    public link): the response records the session, never the person.
    `signals` (from a resident's form) are judged in the same transaction
    (surveys.abuse): a suspicious response is stored but held for review; a flood
    raises Refused and stores nothing.
    """
    answers = tuple(answers)
    stored = await _submissions.write(
        _Submission(
            survey_id=survey.id,
            consultation_id=survey.consultation_id,
            answers=answers,
            idempotency_key=idempotency_key,
            locale=locale,
            channel=channel.value,
            consent_version=consent_version,
            draft_code=draft_code,
            hosted_session=hosted_session,
            signals=signals,
            text_digest=abuse.text_digest(a.text for a in answers if a.text)
            if signals is not None
            else "",
        )
    )
    if isinstance(stored, abuse.Verdict):
        raise Refused(stored.retry_after or 1)
    if stored is _Stored.not_open:
        raise ConsultationNotOpen(survey.consultation_id)
    return stored is _Stored.new


async def _store(submissions: list[_Submission]) -> list[_Stored | abuse.Verdict]:
    """Write a batch inside one transaction: five statements for a batch of any
    ordinary size (answers go 1,000 rows to an INSERT; then the text answers are
    queued for analysis and the tally is updated), and a few more to judge the
    residents' forms among them (surveys.abuse)."""
    open_ids = await _open_consultation_ids({s.consultation_id for s in submissions})
    # A double tap can put one form twice into a batch: the first copy counts.
    first_with_key: dict[str, _Submission] = {}
    for submission in submissions:
        if submission.consultation_id in open_ids:
            first_with_key.setdefault(submission.idempotency_key, submission)
    verdicts = await _judge(list(first_with_key.values()))
    refused = {key: verdict for key, verdict in verdicts.items() if verdict.refused}
    for key in refused:
        del first_with_key[key]
    response_ids = await _insert_responses(list(first_with_key.values()), verdicts)
    await insert_answers(
        [
            (response_ids[s.idempotency_key], answer)
            for s in first_with_key.values()
            if s.idempotency_key in response_ids
            for answer in s.answers
        ]
    )
    await delete_drafts([s.draft_code for s in first_with_key.values() if s.draft_code is not None])
    await follow_up_stored(list(response_ids.values()))
    outcomes: list[_Stored | abuse.Verdict] = []
    for submission in submissions:
        key = submission.idempotency_key
        if submission.consultation_id not in open_ids:
            outcomes.append(_Stored.not_open)
        elif key in refused:
            outcomes.append(refused[key])
        elif first_with_key[key] is submission and key in response_ids:
            outcomes.append(_Stored.new)
        else:
            outcomes.append(_Stored.already)
    return outcomes


async def _judge(submissions: list[_Submission]) -> dict[str, abuse.Verdict]:
    """The verdict on each resident's form in the batch, by key (surveys.abuse)."""
    judged = [s for s in submissions if s.signals is not None]
    verdicts = await abuse.judge(
        [
            abuse.Candidate(s.survey_id, s.idempotency_key, s.signals, s.text_digest)
            for s in judged
            if s.signals is not None
        ]
    )
    return {s.idempotency_key: v for s, v in zip(judged, verdicts, strict=True)}


async def follow_up_stored(response_ids: list[int]) -> None:
    """What every write of new responses owes in its own transaction, wherever the
    responses come from (a resident's form, the demo): their text answers queued for
    analysis, and their counts in the tally, last, so that the tally's rows, which
    every batch updates, are locked briefly."""
    await text_queue.enqueue(response_ids)
    await tally.add(response_ids)


async def _insert_responses(
    submissions: list[_Submission], verdicts: dict[str, abuse.Verdict]
) -> dict[str, int]:
    """Insert the responses whose key is new, each held for review if its verdict
    has flags (and then counted nowhere: the tally adds complete ones only); return
    their ids by key.

    ON CONFLICT DO NOTHING skips a key stored before, even one that another worker
    is storing at this moment (the UNIQUE index decides), so no look-up comes first.
    """
    if not submissions:
        return {}
    rows = (
        await Response.insert(
            *[
                Response(
                    survey=s.survey_id,
                    channel=s.channel,
                    locale=s.locale,
                    submitted_at=_coarse_now(),
                    idempotency_key=s.idempotency_key,
                    consent_version=s.consent_version,
                    hosted_session=s.hosted_session,
                    **_held(verdicts.get(s.idempotency_key)),
                    text_digest=s.text_digest,
                )
                for s in submissions
            ]
        )
        .on_conflict(target=Response.idempotency_key, action="DO NOTHING")
        .returning(Response.id, Response.idempotency_key)
    )
    return {row["idempotency_key"]: row["id"] for row in rows}


def _held(verdict: abuse.Verdict | None) -> dict[str, str]:
    """The status and flags a response is stored with."""
    if verdict is None or not verdict.flags:
        return {"status": ResponseStatus.complete.value, "flags": ""}
    return {"status": ResponseStatus.quarantined.value, "flags": abuse.join_flags(verdict.flags)}


async def _open_consultation_ids(consultation_ids: set[int]) -> set[int]:
    """Which of these consultations take answers now (read inside the transaction)."""
    rows = await Consultation.select(Consultation.id).where(
        Consultation.id.is_in(list(consultation_ids))
        & (Consultation.status == ConsultationStatus.open.value)
    )
    return {row["id"] for row in rows}


# Answer rows in one INSERT at most: well within both databases' limit on bound
# parameters (SQLite 32766, PostgreSQL 32767).
_ANSWER_ROWS_PER_INSERT = 1000
_ANSWER_COLUMNS = (Answer.response, *ANSWER_ATOM_COLUMNS)


def answer_row_values(response_id: int, answer: AnswerValue) -> tuple[Any, ...]:
    """One row's values, in the order of _ANSWER_COLUMNS."""
    return (
        response_id,
        answer.question_id,
        answer.option_id,
        answer.number,
        answer.text,
        answer.statement_id,
        answer.rank,
    )


# Each answer column's PostgreSQL array type, for bound_lists.insert_rows_sql.
_ANSWER_COLUMN_TYPES = [
    (column._meta.db_column_name, "text" if isinstance(column, Text) else "int")
    for column in _ANSWER_COLUMNS
]


async def insert_answers(rows: list[tuple[int, AnswerValue]]) -> None:
    """Multi-row INSERTs written out: building an Answer object and its SQL for each
    row cost more CPU than the rest of a submission together. On PostgreSQL one
    statement of the same text for any batch (an array per column)."""
    for start in range(0, len(rows), _ANSWER_ROWS_PER_INSERT):
        chunk = [answer_row_values(*row) for row in rows[start : start + _ANSWER_ROWS_PER_INSERT]]
        sql = bound_lists.insert_rows_sql(Answer._meta.tablename, _ANSWER_COLUMN_TYPES, len(chunk))
        await Answer.raw(sql, *bound_lists.insert_rows_values(chunk))


_submissions: GroupCommit[_Submission, _Stored | abuse.Verdict] = GroupCommit(_store)
