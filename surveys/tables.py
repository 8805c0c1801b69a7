"""Surveys, their questions and options, and the answers residents give."""

from __future__ import annotations

import enum

from piccolo.columns import (
    Boolean,
    Bytea,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from consult.tables import Consultation, HostedSession


class Survey(Table):
    """One questionnaire of a consultation."""

    consultation = ForeignKey(references=Consultation, null=False, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    intro = Text(default="")
    consent_text = Text(default="")
    # Goes up whenever the consent text changes; each response records the one agreed to.
    consent_version = Integer(default=1)
    # One question per page (the default, as GOV.UK Forms), or pages of several
    # questions, each page begun by a question with `starts_page`.
    one_question_per_page = Boolean(default=True)
    # A survey whose questions must change once answered is copied to a new
    # version; the old one is retired: no longer offered, its answers kept.
    version = Integer(default=1)
    retired = Boolean(default=False)
    created_at = Timestamptz()


class Question(Table):
    """One question; `type` is a key of surveys.question_types.REGISTRY."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    # A variable name, unique in its survey: exports and shared definitions use it.
    key = Varchar(length=40, default="")
    type = Varchar(length=32)
    text = Text()
    help = Text(default="")
    required = Boolean(default=False)
    # Special-category data (religion, ethnicity, health ...) uses a higher k.
    special_category = Boolean(default=False)
    # Grouped surveys: this question begins a new page.
    starts_page = Boolean(default=False)
    # Multiple choice and ranking: how many may or must be chosen.
    min_choices = Integer(null=True, default=None)
    max_choices = Integer(null=True, default=None)
    # Number questions: the range accepted and the unit shown beside the box.
    min_number = Integer(null=True, default=None)
    max_number = Integer(null=True, default=None)
    unit = Varchar(length=30, default="")


class Option(Table):
    """One choice of a question, in order."""

    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    label = Varchar(length=300)
    is_prefer_not_to_say = Boolean(default=False)
    is_other = Boolean(default=False)
    is_dont_know = Boolean(default=False)


class Statement(Table):
    """One row of a matrix question: a statement rated on the question's options."""

    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    text = Varchar(length=300)


class DisplayCondition(Table):
    """Show `question` (or the page it begins) only when `source`, an earlier
    question, was answered with (or without) the options in ConditionOption."""

    question = ForeignKey(references=Question, null=False, unique=True, on_delete=OnDelete.cascade)
    source = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade)
    operator = Varchar(length=8)  # surveys.question_types.Operator
    whole_page = Boolean(default=False)


class ConditionOption(Table):
    condition = ForeignKey(
        references=DisplayCondition, null=False, on_delete=OnDelete.cascade, index=True
    )
    option = ForeignKey(references=Option, null=False, on_delete=OnDelete.cascade)


class Channel(enum.StrEnum):
    web = "web"
    kiosk = "kiosk"
    assisted = "assisted"
    paper = "paper"


class ResponseStatus(enum.StrEnum):
    complete = "complete"
    withdrawn = "withdrawn"
    quarantined = "quarantined"


class Response(Table):
    """One anonymous submission. Never a name, an email or an IP address."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade, index=True)
    channel = Varchar(length=16, choices=Channel, default=Channel.web)
    locale = Varchar(length=8, default="en")
    # Rounded down to the hour so that the time cannot single a person out.
    submitted_at = Timestamptz()
    # One key per rendered form: a double tap or a retried POST cannot store twice.
    idempotency_key = Varchar(length=64, unique=True)
    status = Varchar(length=16, choices=ResponseStatus, default=ResponseStatus.complete)
    # The version of the consent text the respondent agreed to (None: no consent asked).
    consent_version = Integer(null=True, default=None)
    # The organisation's session it came through (None: the public link).
    hosted_session = ForeignKey(
        references=HostedSession, null=True, default=None, on_delete=OnDelete.set_null, index=True
    )
    # Why a response waits for a planner's review instead of counting (status
    # quarantined): comma-separated reasons such as "honeypot,too_fast" ("" if none).
    flags = Varchar(length=200, default="")
    # A digest of the response's free text, normalised (case, spaces, punctuation),
    # so that a burst of near-identical texts can be found without keeping the text
    # twice; "" when it has none.
    text_digest = Varchar(length=32, default="", index=True)
    # SHA-256 of the withdrawal code a respondent may take after submitting, with
    # which they can later delete this response (None: no code was taken).
    withdrawal_hash = Varchar(length=64, null=True, default=None, index=True)


class SubmissionTrace(Table):
    """That a browser or an address submitted to a survey, as a keyed hash under a
    key that changes every day, so that a second submission can be flagged; never
    the address or the browser's id itself. Deleted after seven days."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade)
    # "address" or "browser".
    kind = Varchar(length=16)
    key = Varchar(length=64, index=True)
    created_at = Timestamptz(index=True)


class Answer(Table):
    """One atomic answer, so that every count is a GROUP BY."""

    response = ForeignKey(references=Response, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade, index=True)
    option = ForeignKey(references=Option, null=True, on_delete=OnDelete.cascade, index=True)
    number = Integer(null=True, default=None)
    text = Text(null=True, default=None)
    # A matrix answer rates one statement; a ranking answer gives an option its place.
    statement = ForeignKey(references=Statement, null=True, on_delete=OnDelete.cascade, index=True)
    rank = Integer(null=True, default=None)


# What one answer atom is, after its response: the columns a submission writes
# and an export reads, in this order (surveys.question_types.AnswerValue).
ANSWER_ATOM_COLUMNS = (
    Answer.question,
    Answer.option,
    Answer.number,
    Answer.text,
    Answer.statement,
    Answer.rank,
)


class ResumeDraft(Table):
    """Answers given so far, sealed: readable only with the respondent's code.

    The code (80 random bits) lives in the respondent's session cookie while they
    answer, and is shown to them once if they save to continue later. Here there is
    only its hash, to find the row, and the answers encrypted with a key derived
    from it (surveys/resume_codes.py), so neither a database dump nor an operator
    can read a draft. Forgetting the code (quick exit) makes the draft unreadable;
    expired drafts are deleted by `consult purge`.
    """

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade, index=True)
    token_hash = Varchar(length=64, unique=True)
    sealed = Bytea()
    # Saved to continue later: kept 30 days. Otherwise a day after the last page.
    saved = Boolean(default=False)
    expires_at = Timestamptz(index=True)


class Tally(Table):
    """Counts of complete responses, kept up to date in the transaction that stores
    (or retracts) them, so that results cost the same at 100 responses as at 100,000.

    One row per cell, keyed by (survey, question, option, statement), where 0 means
    "any": (s, 0, 0, 0) is the survey's complete responses; (s, q, 0, 0) those who
    answered q; (s, q, o, 0) those who chose o; (s, q, o, t) a matrix cell and
    (s, q, 0, t) those who rated statement t. Plain integers rather than foreign
    keys, because 0 is a key. Each cell is kept in shards (consult.group_commit.
    writer_shard), summed when read, so that batches written at once never wait for
    one another's lock on a survey's busiest rows. surveys.tally upserts on the
    unique index `tally_cell` over the four keys and the shard, made by a migration
    in SQL (Piccolo's Unique constraint is an ALTER TABLE that SQLite does not have).
    """

    survey = Integer()
    question = Integer()
    option = Integer()
    statement = Integer()
    shard = Integer(default=0)
    responses = Integer(default=0)


class PendingText(Table):
    """A text answer stored but not yet analysed: queued by the submission's own
    transaction, taken off by the text job (analysis.jobs) once its features are
    stored, so that the job's work is the new answers, never all of them."""

    answer = ForeignKey(references=Answer, null=False, unique=True, on_delete=OnDelete.cascade)
    # Held by a text worker until then (consult.jobs): taken again once it runs
    # out, after a crash; tries so far, so that an answer that keeps failing stops.
    lease_until = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
