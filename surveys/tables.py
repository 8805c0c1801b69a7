"""Surveys, their questions and options, and the answers residents give."""

from __future__ import annotations

import enum

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table

from consult.tables import Consultation


class Survey(Table):
    """One questionnaire of a consultation."""

    consultation = ForeignKey(references=Consultation, null=False, on_delete=OnDelete.cascade)
    title = Varchar(length=200)
    intro = Text(default="")
    consent_text = Text(default="")
    consent_version = Integer(default=1)
    created_at = Timestamptz()


class Question(Table):
    """One question; `type` is a key of surveys.question_types.REGISTRY."""

    survey = ForeignKey(references=Survey, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    type = Varchar(length=32)
    text = Text()
    help = Text(default="")
    required = Boolean(default=False)
    # Special-category data (religion, ethnicity, health ...) uses a higher k.
    special_category = Boolean(default=False)


class Option(Table):
    """One choice of a question, in order."""

    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade)
    position = Integer()
    label = Varchar(length=300)
    is_prefer_not_to_say = Boolean(default=False)
    is_other = Boolean(default=False)


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


class Answer(Table):
    """One atomic answer, so that every count is a GROUP BY."""

    response = ForeignKey(references=Response, null=False, on_delete=OnDelete.cascade, index=True)
    question = ForeignKey(references=Question, null=False, on_delete=OnDelete.cascade, index=True)
    option = ForeignKey(references=Option, null=True, on_delete=OnDelete.cascade, index=True)
    number = Integer(null=True, default=None)
    text = Text(null=True, default=None)
