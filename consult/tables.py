"""Organisations, staff, consultations and the audit trail."""

from __future__ import annotations

import enum

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class OrganisationKind(enum.StrEnum):
    youth = "youth"
    sports = "sports"
    cultural = "cultural"
    religious = "religious"
    business = "business"
    school = "school"
    ngo = "ngo"
    city_department = "city_department"


class Organisation(Table):
    """A civil-society organisation or city department taking part."""

    name = Varchar(length=200)
    kind = Varchar(length=32, choices=OrganisationKind)
    city = Varchar(length=100)


class Role(enum.StrEnum):
    admin = "admin"
    planner = "planner"
    facilitator = "facilitator"


class Staff(Table):
    """A staff user's role; a facilitator is bound to one organisation."""

    user = ForeignKey(references=BaseUser, unique=True, null=False, on_delete=OnDelete.cascade)
    role = Varchar(length=16, choices=Role)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict)


class ConsultationStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    archived = "archived"


class Sensitivity(enum.StrEnum):
    standard = "standard"
    special_category = "special_category"


# The neutral site GOV.UK's "Exit this page" uses by default.
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"


class Consultation(Table):
    """A city asking its residents about one question of policy."""

    slug = Varchar(length=80, unique=True)
    title = Varchar(length=200)
    purpose = Text()
    city = Varchar(length=100)
    # Who runs it, as a resident should read it ("City of Reykjavik, Human Rights Office").
    run_by = Varchar(length=200)
    # What happens to the answers, in plain words, shown before the first question.
    data_use = Text()
    minutes_to_complete = Integer(default=10)
    status = Varchar(length=16, choices=ConsultationStatus, default=ConsultationStatus.draft)
    opens_on = Date(null=True, default=None)
    closes_on = Date(null=True, default=None)
    default_locale = Varchar(length=8, default="en")
    sensitivity = Varchar(length=20, choices=Sensitivity, default=Sensitivity.standard)
    k_threshold = Integer(default=5)
    retain_until = Date(null=True, default=None)
    # Where "Exit this page" leads on a sensitive consultation: a neutral site that
    # gives nothing away to someone looking over the respondent's shoulder.
    exit_url = Varchar(length=300, default=DEFAULT_EXIT_URL)
    created_at = Timestamptz()

    @property
    def is_open(self) -> bool:
        return self.status == ConsultationStatus.open.value

    @property
    def is_public(self) -> bool:
        """Residents may see it: open, or closed and still showing what it was."""
        return self.status in (ConsultationStatus.open.value, ConsultationStatus.closed.value)

    @property
    def is_sensitive(self) -> bool:
        """Asks about subjects that could put a respondent at risk: a quick exit shows."""
        return self.sensitivity == Sensitivity.special_category.value


class AuditEvent(Table):
    """Who did what to which object, for the admin and the data-protection officer."""

    actor = ForeignKey(references=BaseUser, null=True, on_delete=OnDelete.set_null)
    action = Varchar(length=40, index=True)
    object_type = Varchar(length=40)
    object_id = Integer()
    detail = Varchar(length=200, default="")
    at = Timestamptz()
    # Exports are audited; a flag lets a later report filter them cheaply.
    is_export = Boolean(default=False)
