"""Findings (web layer): the list by strategy area, a new finding, editing one with
its partners and evidence, deleting; and the city's strategy areas. Every action
is a plain form: 303 back to a page that says what was done, or 422 with the form
as it was sent and an error summary."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import FormMultiDict
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import findings
from analysis.findings import (
    AREA_MAX,
    AREAS_MAX,
    FINDING_LIMITS,
    FINDING_MESSAGES,
    AreasInvalid,
    EvidenceInput,
    EvidenceRefused,
    FindingInput,
    FindingInvalid,
    FindingView,
)
from analysis.strategy_pages._common import (
    back,
    consultation_or_404,
    evidence_choices,
    finding_or_404,
    int_or_none,
    labels,
)
from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services.staff import StaffMember
from consult.tables import Consultation
from consult.web import form_text, translator

FIELDS = ("title", "statement", "strategy_area", "priority", "status", "proposed_action")
FIELDS += ("owner", "timeline")
EVIDENCE_MESSAGES = {
    "kind": N_("Choose what kind of evidence to add."),
    "question": N_("Choose a question of this consultation."),
    "segment": N_("Choose a group to break the question down by, other than the question itself."),
    "theme": N_("Choose an accepted theme of this consultation."),
    "quote": N_("Choose an approved quote of this consultation."),
    "indicator": N_("Choose an indicator of this consultation."),
}
# The field (element id) each refused piece of evidence points to, by its kind.
EVIDENCE_TARGETS = {
    ("question", "question"): "evidence-question",
    ("cross_tab", "question"): "evidence-crosstab-question",
    ("cross_tab", "segment"): "evidence-segment",
    ("theme", "theme"): "evidence-theme",
    ("quote", "quote"): "evidence-quote",
    ("indicator", "indicator"): "evidence-indicator",
}


def findings_url(consultation_id: int) -> str:
    return f"/staff/consultations/{consultation_id}/findings"


def _form_values(form: FormMultiDict) -> dict[str, Any]:
    values: dict[str, Any] = {name: form_text(form, name) for name in FIELDS}
    values["partners"] = [
        partner for partner in (int_or_none(v) for v in form.getall("partners", [])) if partner
    ]
    return values


def _input(values: dict[str, Any]) -> FindingInput:
    return FindingInput(
        **{name: values[name] for name in FIELDS}, partner_ids=tuple(values["partners"])
    )


def _view_values(finding: FindingView) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(finding, name) for name in FIELDS}
    values["partners"] = [partner.id for partner in finding.partners]
    return values


def _messages(request: Request[Any, Any, Any], errors: dict[str, str]) -> dict[str, str]:
    _ = translator(request).gettext
    return {
        name: _(FINDING_MESSAGES[name]) % {"limit": FINDING_LIMITS.get(name, AREA_MAX)}
        for name in errors
    }


async def _form_context(request: Request[Any, Any, Any], consultation: Consultation) -> dict:
    return {
        **labels(request),
        "consultation": consultation,
        "areas": await findings.strategy_areas(consultation.city),
        "organisations": await findings.organisations(consultation.city),
        "limits": FINDING_LIMITS,
    }


async def _list_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    context = await _form_context(request, consultation)
    all_findings = await findings.findings_of(consultation.id)
    return Template(
        "strategy/findings.html",
        context={
            **context,
            "groups": findings.by_area(all_findings, context["areas"]),
            "count": len(all_findings),
            "values": values or {"priority": "medium", "status": "proposed", "partners": []},
            "errors": _messages(request, errors or {}),
            "done": request.query_params.get("done", ""),
            "current": "findings",
        },
        status_code=status_code,
    )


async def _edit_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    finding: FindingView,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    evidence_error: tuple[str, str] | None = None,
    evidence_values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    context = await _form_context(request, consultation)
    return Template(
        "strategy/finding.html",
        context={
            **context,
            "finding": finding,
            "values": values or _view_values(finding),
            "errors": _messages(request, errors or {}),
            "evidence_error": evidence_error,
            "evidence_values": evidence_values or {},
            "choices": await evidence_choices(request, consultation.id),
            "done": request.query_params.get("done", ""),
            "current": "findings",
        },
        status_code=status_code,
    )


class FindingsController(Controller):
    """A consultation's findings, and its city's strategy areas."""

    path = "/staff/consultations/{consultation_id:int}"
    guards = [planners]
    dependencies = MEMBER

    @get("/findings", name="findings")
    async def list_findings(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template:
        return await _list_page(request, await consultation_or_404(consultation_id))

    @get("/findings/new", name="finding_new")
    async def new_form(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template:
        consultation = await consultation_or_404(consultation_id)
        return Template(
            "strategy/new_finding.html",
            context={
                **await _form_context(request, consultation),
                "values": {"priority": "medium", "status": "proposed", "partners": []},
                "errors": {},
                "current": "findings",
            },
        )

    @post("/findings/new", name="finding_create")
    async def create(
        self,
        request: Request[Any, Any, Any],
        consultation_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        consultation = await consultation_or_404(consultation_id)
        form = await request.form()
        values = _form_values(form)
        try:
            finding_id = await findings.create_finding(
                consultation.id, _input(values), member.user_id
            )
        except FindingInvalid as invalid:
            if form_text(form, "from") == "list":
                return await _list_page(
                    request, consultation, values=values, errors=invalid.errors, status_code=422
                )
            return Template(
                "strategy/new_finding.html",
                context={
                    **await _form_context(request, consultation),
                    "values": values,
                    "errors": _messages(request, invalid.errors),
                    "current": "findings",
                },
                status_code=422,
            )
        return back(f"/staff/findings/{finding_id}", done="created")

    @get("/strategy-areas", name="strategy_areas")
    async def areas_form(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template:
        consultation = await consultation_or_404(consultation_id)
        return await _areas_page(request, consultation)

    @post("/strategy-areas", name="strategy_areas_save")
    async def save_areas(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template | Redirect:
        consultation = await consultation_or_404(consultation_id)
        form = await request.form()
        text = form_text(form, "areas")
        try:
            await findings.set_strategy_areas(consultation.city, findings.parse_areas(text))
        except AreasInvalid:
            return await _areas_page(request, consultation, text=text, error=True)
        return back(f"/staff/consultations/{consultation.id}/strategy-areas", done="saved")


async def _areas_page(
    request: Request[Any, Any, Any],
    consultation: Consultation,
    *,
    text: str | None = None,
    error: bool = False,
) -> Template:
    areas = await findings.strategy_areas(consultation.city)
    return Template(
        "strategy/areas.html",
        context={
            **labels(request),
            "consultation": consultation,
            "areas": areas,
            "own": await findings.has_own_areas(consultation.city),
            "text": "\n".join(areas) if text is None else text,
            "error": error,
            "limits": {"area": AREA_MAX, "areas": AREAS_MAX},
            "done": request.query_params.get("done", ""),
            "current": "areas",
        },
        status_code=422 if error else 200,
    )


class FindingController(Controller):
    """One finding: edit, delete, its evidence."""

    path = "/staff/findings/{finding_id:int}"
    guards = [planners]
    dependencies = MEMBER

    @get("/", name="finding")
    async def edit_form(
        self, request: Request[Any, Any, Any], finding_id: FromPath[int]
    ) -> Template:
        consultation, finding = await finding_or_404(finding_id)
        return await _edit_page(request, consultation, finding)

    @post("/", name="finding_save")
    async def save(
        self,
        request: Request[Any, Any, Any],
        finding_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        consultation, finding = await finding_or_404(finding_id)
        values = _form_values(await request.form())
        try:
            await findings.update_finding(finding.id, _input(values), member.user_id)
        except FindingInvalid as invalid:
            return await _edit_page(
                request,
                consultation,
                finding,
                values=values,
                errors=invalid.errors,
                status_code=422,
            )
        return back(f"/staff/findings/{finding.id}", done="saved")

    @post("/delete", name="finding_delete")
    async def delete(
        self, finding_id: FromPath[int], member: NamedDependency[StaffMember]
    ) -> Redirect:
        consultation, finding = await finding_or_404(finding_id)
        await findings.delete_finding(finding.id, member.user_id)
        return back(findings_url(consultation.id), done="deleted")

    @post("/evidence", name="finding_evidence_add")
    async def add_evidence(
        self,
        request: Request[Any, Any, Any],
        finding_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Template | Redirect:
        consultation, finding = await finding_or_404(finding_id)
        form = await request.form()
        sent = {
            name: form_text(form, name)
            for name in ("kind", "question", "segment", "theme", "quote", "indicator")
        }
        data = EvidenceInput(
            kind=sent["kind"],
            question_id=int_or_none(sent["question"]),
            segment=sent["segment"],
            theme_id=int_or_none(sent["theme"]),
            quote_id=int_or_none(sent["quote"]),
            indicator_id=int_or_none(sent["indicator"]),
        )
        try:
            await findings.add_evidence(finding.id, data, member.user_id)
        except EvidenceRefused as refused:
            _ = translator(request).gettext
            target = EVIDENCE_TARGETS.get((data.kind, refused.field), "evidence-kind-title")
            return await _edit_page(
                request,
                consultation,
                finding,
                evidence_error=(target, _(EVIDENCE_MESSAGES[refused.field])),
                evidence_values=sent,
                status_code=422,
            )
        return back(f"/staff/findings/{finding.id}", done="evidence")

    @post("/evidence/{evidence_id:int}/delete", name="finding_evidence_delete")
    async def remove_evidence(
        self,
        finding_id: FromPath[int],
        evidence_id: FromPath[int],
        member: NamedDependency[StaffMember],
    ) -> Redirect:
        _, finding = await finding_or_404(finding_id)
        if not await findings.remove_evidence(finding.id, evidence_id, member.user_id):
            raise NotFoundException()
        return back(f"/staff/findings/{finding.id}", done="evidence_removed")
