"""Organisations, staff, consultations, the sessions organisations host, the
findings planners draw from them, API tokens, background jobs and the audit trail."""

from __future__ import annotations

import enum

from piccolo.apps.user.tables import BaseUser
from piccolo.columns import (
    JSON,
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

from consult.i18n import N_


class OrganisationKind(enum.StrEnum):
    youth = "youth"
    sports = "sports"
    cultural = "cultural"
    religious = "religious"
    business = "business"
    school = "school"
    ngo = "ngo"
    city_department = "city_department"
    other = "other"


class Organisation(Table):
    """A civil-society organisation or city department taking part."""

    name = Varchar(length=200)
    kind = Varchar(length=32, choices=OrganisationKind)
    city = Varchar(length=100)
    # How the city reaches them (a person, an email or a phone); optional.
    contact = Varchar(length=200, default="")


class TagKind(enum.StrEnum):
    neighbourhood = "neighbourhood"
    group = "group"


class OrganisationTag(Table):
    """A neighbourhood an organisation works in, or a group of people it reaches
    ("young people 16-25", "Somali speakers"): what the outreach view matches."""

    organisation = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.cascade, index=True
    )
    kind = Varchar(length=16, choices=TagKind)
    name = Varchar(length=100)


class StaffInvite(Table):
    """A one-time, expiring link with which an organisation's staff member sets their
    own password and becomes its facilitator. Only a hash of the link's secret is kept."""

    organisation = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.cascade, index=True
    )
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=BaseUser, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)


class Role(enum.StrEnum):
    admin = "admin"
    planner = "planner"
    facilitator = "facilitator"


class Staff(Table):
    """A staff user's role; a facilitator is bound to one organisation, a planner to
    one city's team (an admin, with no city, sees every city)."""

    user = ForeignKey(references=BaseUser, unique=True, null=False, on_delete=OnDelete.cascade)
    role = Varchar(length=16, choices=Role)
    organisation = ForeignKey(references=Organisation, null=True, on_delete=OnDelete.restrict)
    # The city whose consultations a planner works on ("" for an admin: every city).
    city = Varchar(length=100, default="")
    # Raised to sign every session of this user out at once (sign-out, a new password,
    # a new role): a session cookie names the generation it was issued under.
    session_generation = Integer(default=0)
    # A second factor (TOTP, RFC 6238) for admins and planners who turn it on: the
    # secret, encrypted under a key derived from the secret key ("" when off), and the
    # last time step used, so that one code cannot be replayed.
    totp_secret = Varchar(length=300, default="")
    totp_last_step = Integer(default=0)


class ConsultationStatus(enum.StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"
    archived = "archived"


# The words staff read on a consultation's status tag (templates show
# `_(consultation.status)`): marked here so that every catalogue has them.
CONSULTATION_STATUS_WORDS = (N_("draft"), N_("open"), N_("closed"), N_("archived"))


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
    # The main language: the one its texts are written in, and the fallback
    # wherever a translation is missing.
    default_locale = Varchar(length=8, default="en")
    # The other languages its texts are translated into, comma-separated ("is,pl,ar");
    # the builder shows what is still missing in each of them.
    languages = Varchar(length=200, default="")
    # The language exports give question texts in ("" = the main language).
    reporting_locale = Varchar(length=8, default="")
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


class ContentTranslation(Table):
    """One text of a consultation in one language: a translation of a text written
    in the main language, or an easy-read version (a field ending in `.easy`).

    `field` names the text: "consultation.title", "survey.12.intro",
    "survey.12.intro.easy", "question.34.help", "option.56.label",
    "statement.7.text" (see surveys.translations); it holds ids rather than foreign
    keys so that one table serves every kind of text.
    """

    consultation = ForeignKey(
        references=Consultation, null=False, on_delete=OnDelete.cascade, index=True
    )
    locale = Varchar(length=8)
    field = Varchar(length=60)
    text = Text()
    updated_at = Timestamptz()


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


class SessionMode(enum.StrEnum):
    own_phones = "own_phones"
    kiosk = "kiosk"
    assisted = "assisted"
    paper = "paper"


class HostedSession(Table):
    """A session an organisation hosts for a consultation: residents join it with
    its code, and their responses record the session, never the person."""

    consultation = ForeignKey(references=Consultation, null=False, on_delete=OnDelete.cascade)
    organisation = ForeignKey(
        references=Organisation, null=False, on_delete=OnDelete.restrict, index=True
    )
    title = Varchar(length=200)
    code = Varchar(length=16, unique=True)
    mode = Varchar(length=16, choices=SessionMode, default=SessionMode.own_phones)
    locale = Varchar(length=8, default="en")
    starts_at = Timestamptz(null=True, default=None)
    # After this the code no longer lets anyone join (None: while the consultation is open).
    closes_at = Timestamptz(null=True, default=None)
    place = Varchar(length=200, default="")
    created_by = ForeignKey(references=BaseUser, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class SessionGroup(Table):
    """A group a session sets out to reach ("young people 16-25", "Polish speakers")."""

    session = ForeignKey(references=HostedSession, null=False, on_delete=OnDelete.cascade)
    name = Varchar(length=100)


class OutreachTarget(Table):
    """How many responses a consultation wants from one group, so that the outreach
    view can show who is not being heard yet."""

    consultation = ForeignKey(
        references=Consultation, null=False, on_delete=OnDelete.cascade, index=True
    )
    group_name = Varchar(length=100)
    target = Integer()


class RateLimit(Table):
    """Attempts per key per window (join codes tried, sign-ins), kept in the database
    so that every app process counts the same. The key is a keyed hash of what is
    limited (an address, an account), never the address itself."""

    key = Varchar(length=64, unique=True)
    window_start = Timestamptz()
    hits = Integer(default=0)


# The areas a city files findings under when it has not set its own (translated
# where they are shown: analysis/strategy_pages/_common.py marks them for translation).
DEFAULT_STRATEGY_AREAS = (
    "Knowledge and situational picture",
    "Prevention and early intervention",
    "Inclusion and social cohesion",
    "Alliances and partnerships",
    "Communication and shared understanding",
)


class StrategyArea(Table):
    """One area of a city's strategy; a city with none uses DEFAULT_STRATEGY_AREAS."""

    city = Varchar(length=100, index=True)
    name = Varchar(length=120)
    position = Integer()


class FindingPriority(enum.StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


class FindingStatus(enum.StrEnum):
    proposed = "proposed"
    agreed = "agreed"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


class Finding(Table):
    """What a planner concludes from a consultation, and the action it calls for.

    Its evidence (question results, cross-tabs, themes, quotes) is linked by rows of
    analysis.tables.FindingEvidence, which can reference the survey's objects."""

    consultation = ForeignKey(
        references=Consultation, null=False, on_delete=OnDelete.cascade, index=True
    )
    title = Varchar(length=200)
    statement = Text(default="")
    strategy_area = Varchar(length=120, default="")
    priority = Varchar(length=16, choices=FindingPriority, default=FindingPriority.medium)
    status = Varchar(length=16, choices=FindingStatus, default=FindingStatus.proposed)
    proposed_action = Text(default="")
    owner = Varchar(length=200, default="")
    timeline = Varchar(length=120, default="")
    position = Integer(default=0)
    created_at = Timestamptz()
    updated_at = Timestamptz()


class FindingPartner(Table):
    """An organisation that would carry out a finding's action with the city."""

    finding = ForeignKey(references=Finding, null=False, on_delete=OnDelete.cascade, index=True)
    organisation = ForeignKey(references=Organisation, null=False, on_delete=OnDelete.cascade)


class ApiToken(Table):
    """A read-only token for a city's BI tools. Only a hash of the secret is kept:
    the secret is shown once, when the token is made."""

    name = Varchar(length=120)
    token_hash = Varchar(length=64, unique=True)
    created_by = ForeignKey(references=BaseUser, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    revoked_at = Timestamptz(null=True, default=None)
    # The city whose consultations the token reads ("" for an admin's: every city).
    city = Varchar(length=100, default="")


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"


class Job(Table):
    """Work too long for a request (a large export, the daily purge), run in the
    background with its progress visible; any app process may take a queued job."""

    kind = Varchar(length=32, index=True)
    # What the job works on, as plain values its runner reads ({"survey": 3, ...}).
    params = JSON(default="{}")
    status = Varchar(length=16, choices=JobStatus, default=JobStatus.queued, index=True)
    requested_by = ForeignKey(references=BaseUser, null=True, on_delete=OnDelete.set_null)
    done = Integer(default=0)
    total = Integer(default=0)
    # The file it made, relative to the settings' job directory (never a full path).
    result = Varchar(length=200, default="")
    error = Text(default="")
    attempts = Integer(default=0)
    created_at = Timestamptz()
    started_at = Timestamptz(null=True, default=None)
    finished_at = Timestamptz(null=True, default=None)
    # Until when the process running it holds it (renewed as it works): a job whose
    # lease ran out lost its process and is taken again (consult.jobs).
    lease_until = Timestamptz(null=True, default=None)
    # Makes asking twice make one job ("purge:2026-12-04"): unique by an index in
    # SQL (SQLite cannot add a UNIQUE column); NULL for jobs asked for each time.
    idempotency_key = Varchar(length=64, null=True, default=None)
