"""Finding, creating and opening consultations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from consult.cache import TimedCache
from consult.database import write_transaction
from consult.services.reach import Reach
from consult.tables import DEFAULT_EXIT_URL, Consultation, ConsultationStatus, Sensitivity

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SlugTaken(Exception):
    pass


@dataclass(frozen=True)
class ConsultationInput:
    """What a planner types to create a consultation (already validated)."""

    slug: str
    title: str
    purpose: str
    city: str
    run_by: str
    data_use: str
    minutes_to_complete: int
    # Asks about subjects that could put a respondent at risk: every page gets a
    # quick exit to `exit_url`.
    sensitive: bool = False
    exit_url: str = DEFAULT_EXIT_URL
    # The language its texts are written in (see Consultation.default_locale).
    default_locale: str = "en"


async def list_open() -> list[Consultation]:
    return (
        await Consultation.objects()
        .where(Consultation.status == ConsultationStatus.open.value)
        .order_by(Consultation.title)
    )


async def list_all() -> list[Consultation]:
    return await Consultation.objects().order_by(Consultation.created_at, ascending=False)


async def list_within(reach: Reach) -> list[Consultation]:
    """The consultations of the cities `reach` covers, the newest first."""
    if reach.nothing:
        return []
    query = Consultation.objects().order_by(Consultation.created_at, ascending=False)
    return await reach.narrow(query, Consultation.city)


async def by_slug(slug: str) -> Consultation | None:
    return await Consultation.objects().where(Consultation.slug == slug).first()


async def by_id(consultation_id: int) -> Consultation | None:
    return await Consultation.objects().where(Consultation.id == consultation_id).first()


# The public pages read a consultation on every request; a worker keeps it for a
# moment (CONSULT_DEFINITION_CACHE_SECONDS) so that a busy survey does not read the
# same row thousands of times. Status changes show everywhere within that moment,
# and a submission checks the status again inside its transaction.
_public_cache: TimedCache[str, Consultation | None] = TimedCache()


async def public_by_slug(slug: str, ttl: float) -> Consultation | None:
    return await _public_cache.get(slug, ttl, lambda: by_slug(slug))


def forget_cached() -> None:
    """Drop what this worker remembers (after a change made in this worker)."""
    _public_cache.clear()


async def create(data: ConsultationInput) -> Consultation:
    async with write_transaction():
        if await Consultation.exists().where(Consultation.slug == data.slug):
            raise SlugTaken(data.slug)
        consultation = Consultation(
            slug=data.slug,
            title=data.title,
            purpose=data.purpose,
            city=data.city,
            run_by=data.run_by,
            data_use=data.data_use,
            minutes_to_complete=data.minutes_to_complete,
            sensitivity=_sensitivity(data.sensitive),
            exit_url=data.exit_url,
            default_locale=data.default_locale,
            status=ConsultationStatus.draft.value,
            created_at=datetime.now(UTC),
        )
        await consultation.save()
    return consultation


def _sensitivity(sensitive: bool) -> str:
    return (Sensitivity.special_category if sensitive else Sensitivity.standard).value


async def set_safety(consultation: Consultation, sensitive: bool, exit_url: str) -> None:
    """Whether the quick exit shows, and where it leads."""
    async with write_transaction():
        await Consultation.update(
            {Consultation.sensitivity: _sensitivity(sensitive), Consultation.exit_url: exit_url}
        ).where(Consultation.id == consultation.id)
    consultation.sensitivity = _sensitivity(sensitive)
    consultation.exit_url = exit_url
    forget_cached()


async def set_status(consultation: Consultation, status: ConsultationStatus) -> None:
    async with write_transaction():
        await Consultation.update({Consultation.status: status.value}).where(
            Consultation.id == consultation.id
        )
    consultation.status = status.value
    forget_cached()
