"""Export pages: a planner asks for an export (POST), watches its progress and
downloads the file; only the one who asked (or an admin) sees the job."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, ValidationException
from litestar.params import FromPath
from litestar.response import File, Redirect, Template

from analysis import export_jobs
from analysis.export_jobs import KEEP_FOR, ExportFormat, ExportJob
from consult.auth import MEMBER, planners
from consult.services import consultations
from consult.services.staff import StaffMember
from consult.tables import JobStatus, Role
from consult.web import form_text, locale_of
from surveys import services as surveys

# The element htmx polls on the job page; its request gets the fragment alone.
POLLED_TARGET = "export-job"
# htmx stops polling when an answer has this status (and still shows it).
HTMX_STOP_POLLING = 286


def job_url(job_id: int) -> str:
    return f"/staff/exports/{job_id}"


async def _visible_job(job_id: int, member: StaffMember) -> ExportJob:
    """The job, if this member asked for it or is an admin; otherwise it is not
    found (saying "not yours" would tell that it exists)."""
    job = await export_jobs.export_job(job_id)
    if job is None or (member.role != Role.admin and job.requested_by != member.user_id):
        raise NotFoundException()
    return job


async def _names(job: ExportJob) -> tuple[str, str, int | None]:
    """The survey's title, the file name to download as, and the consultation."""
    survey = await surveys.by_id(job.survey_id)
    consultation = await consultations.by_id(survey.consultation) if survey else None
    slug = consultation.slug if consultation else "consult"
    filename = f"{slug}-survey-{job.survey_id}.{job.format.value}"
    return (survey.title if survey else ""), filename, (consultation.id if consultation else None)


class SurveyExportController(Controller):
    path = "/staff/surveys/{survey_id:int}/exports"
    guards = [planners]
    dependencies = MEMBER

    @post("/", name="export_queue")
    async def queue(
        self,
        request: Request[Any, Any, Any],
        survey_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Redirect:
        """Queue an export (audited now, when it is asked for) and show its progress."""
        if await surveys.by_id(survey_id) is None:
            raise NotFoundException()
        form = await request.form()
        try:
            fmt = ExportFormat(form_text(form, "format"))
        except ValueError:
            raise ValidationException("format") from None
        job_id = await export_jobs.queue_export(survey_id, fmt, locale_of(request), member.user_id)
        return Redirect(job_url(job_id), status_code=303)


class ExportJobController(Controller):
    path = "/staff/exports/{job_id:int}"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="export_job")
    async def job(
        self,
        request: Request[Any, Any, Any],
        job_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template:
        """The job's status and progress; htmx polls the fragment while it runs.
        Reads only: nothing is written here."""
        job = await _visible_job(job_id, member)
        title, filename, consultation_id = await _names(job)
        locale = locale_of(request)
        polled = request.headers.get("HX-Target") == POLLED_TARGET
        # What the live region says: the status, and while running the share done
        # in steps of ten per cent, so a screen reader hears of progress now and
        # then, not at every poll (a poll sends what it last heard).
        tens = job.done * 10 // job.total * 10 if job.total else 0
        heard = job.status.value + (f"-{tens}" if job.status == JobStatus.running else "")
        context = {
            "job": job,
            "survey_title": title,
            "consultation_id": consultation_id,
            "filename": filename,
            "done": format_decimal(job.done, locale=locale),
            "total": format_decimal(job.total, locale=locale),
            "keep_hours": int(KEEP_FOR.total_seconds() // 3600),
            "downloadable": export_jobs.result_path(job) is not None,
            "percent": tens,
            "heard": heard,
            "announce": polled and request.query_params.get("heard") != heard,
        }
        if polled:
            return Template(
                "exports/_job.html",
                context=context,
                status_code=200 if job.active else HTMX_STOP_POLLING,
            )
        return Template("exports/job.html", context=context)

    @get("/download", name="export_download")
    async def download(self, job_id: FromPath[int], member: NamedDependency[StaffMember]) -> File:
        """The finished file, as often as asked until it expires (the export was
        audited when it was asked for; a download writes nothing)."""
        job = await _visible_job(job_id, member)
        path = export_jobs.result_path(job)
        if path is None:
            raise NotFoundException()
        _, filename, _ = await _names(job)
        return File(
            path,
            filename=filename,
            media_type=job.format.media_type,
            content_disposition_type="attachment",
            headers={"Cache-Control": "no-store"},
        )
