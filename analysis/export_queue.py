"""Export jobs as planners see them: queued with their audit row, read back for
their page, and the finished file found in the job directory.

analysis.export_jobs runs them; this module only writes the queued row.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from consult import jobs
from consult.database import write_transaction
from consult.settings import get_settings
from consult.tables import AuditEvent, Job, JobStatus

KIND = "export"
# The names of files this module writes: "<job id>-<random>.<format>".
_FILE_NAME = re.compile(r"^[0-9]+-[A-Za-z0-9_-]{16,}\.(xlsx|csv)$")

Progress = Callable[[int, int], Awaitable[None]]
Writer = Callable[[int, str, Path, Progress], Awaitable[int]]


class ExportFormat(enum.StrEnum):
    xlsx = "xlsx"
    csv = "csv"

    @property
    def media_type(self) -> str:
        if self is ExportFormat.xlsx:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return "text/csv; charset=utf-8"

    @property
    def audit_action(self) -> str:
        return f"export_{self.value}"


@dataclass(frozen=True)
class ExportJob:
    """One export job as its page shows it."""

    id: int
    survey_id: int
    format: ExportFormat
    locale: str
    status: JobStatus
    requested_by: int | None
    done: int
    total: int
    result: str
    error: str
    attempts: int
    created_at: datetime
    finished_at: datetime | None

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.queued, JobStatus.running)


def _now() -> datetime:
    return datetime.now(UTC)


def _export_job(row: dict[str, Any]) -> ExportJob:
    params = jobs.params_of(row["params"])
    return ExportJob(
        id=row["id"],
        survey_id=int(params.get("survey", 0)),
        format=ExportFormat(params.get("format", "xlsx")),
        locale=str(params.get("locale", "en")),
        status=JobStatus(row["status"]),
        requested_by=row["requested_by"],
        done=row["done"],
        total=row["total"],
        result=row["result"],
        error=row["error"],
        attempts=row["attempts"],
        created_at=row["created_at"],
        finished_at=row["finished_at"],
    )


def job_dir() -> Path:
    return get_settings().job_dir


def result_path(job: ExportJob) -> Path | None:
    """The finished file of a job, if it is still there."""
    if not _FILE_NAME.match(job.result):
        return None
    path = job_dir() / job.result
    return path if path.is_file() else None


async def queue_export(
    survey_id: int, fmt: ExportFormat | str, locale: str, requested_by: int | None
) -> int:
    """Queue an export of a survey in a format and language; the job's id.

    The audit row is written with the job, in one transaction: an export is
    audited when it is asked for, and there is no job without its audit row.
    """
    fmt = ExportFormat(fmt)
    now = _now()
    params = {"survey": survey_id, "format": fmt.value, "locale": locale}
    async with write_transaction():
        job_id = await jobs.insert(KIND, params, requested_by, None, now)
        assert job_id is not None  # no key: every export asked for is a job of its own
        await AuditEvent.insert(
            AuditEvent(
                actor=requested_by,
                action=fmt.audit_action,
                object_type="survey",
                object_id=survey_id,
                detail=f"job {job_id}",
                at=now,
                is_export=True,
            )
        )
    return job_id


async def export_job(job_id: int) -> ExportJob | None:
    row = await Job.select().where((Job.id == job_id) & (Job.kind == KIND)).first()
    return _export_job(row) if row else None


async def latest_exports(
    survey_id: int, requested_by: int | None, limit: int = 5
) -> list[ExportJob]:
    """The newest exports of a survey, by one staff member (None: by anyone).

    Jobs live a day, so there are few; the survey is in the JSON parameters, which
    neither engine indexes alike, so it is picked out here.
    """
    query = Job.select().where(Job.kind == KIND)
    if requested_by is not None:
        query = query.where(Job.requested_by == requested_by)
    rows = await query.order_by(Job.id, ascending=False).limit(200)
    jobs = [job for job in map(_export_job, rows) if job.survey_id == survey_id]
    return jobs[:limit]
