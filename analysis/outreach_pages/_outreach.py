"""The outreach view (web layer, planners): responses so far by target group,
district, organisation, session and channel, small counts not shown; the groups
under their target with the organisations to invite next; and the targets form,
whose POST replaces the consultation's targets (422 with the rows kept when wrong)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from analysis import outreach
from analysis.outreach import GROUP_MAX, TARGET_MAX, TARGET_MESSAGES, TARGETS_MAX
from analysis.segments import CHANNEL_LABELS
from analysis.strategy_pages._common import consultation_or_404
from analysis.strategy_words import KIND_LABELS
from consult.auth import planners
from consult.web import translator

BLANK_ROWS = 3


def outreach_url(consultation_id: int) -> str:
    return f"/staff/consultations/{consultation_id}/outreach"


async def _page(
    request: Request[Any, Any, Any],
    consultation_id: int,
    *,
    rows: list[tuple[str, str]] | None = None,
    errors: dict[int, str] | None = None,
) -> Template:
    consultation = await consultation_or_404(consultation_id)
    view = await outreach.outreach(consultation)
    if rows is None:
        rows = [(name, str(target)) for name, target in view.targets]
    rows = [*rows, *[("", "")] * BLANK_ROWS]
    _ = translator(request).gettext
    return Template(
        "outreach/outreach.html",
        context={
            "consultation": consultation,
            "view": view,
            "rows": rows,
            "errors": {
                index: _(TARGET_MESSAGES[key])
                % {"limit": GROUP_MAX, "max": TARGET_MAX, "count": TARGETS_MAX}
                for index, key in (errors or {}).items()
            },
            "kind_labels": {key: _(value) for key, value in KIND_LABELS.items()},
            "channel_labels": {key: _(value) for key, value in CHANNEL_LABELS.items()},
            "done": request.query_params.get("done", ""),
        },
        status_code=422 if errors else 200,
    )


class OutreachController(Controller):
    path = "/staff/consultations/{consultation_id:int}/outreach"
    guards = [planners]

    @get("/", name="outreach")
    async def show(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template:
        return await _page(request, consultation_id)

    @post("/targets", name="outreach_targets")
    async def set_targets(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Template | Redirect:
        consultation = await consultation_or_404(consultation_id)
        form = await request.form()
        groups = [str(v) for v in form.getall("group", [])]
        numbers = [str(v) for v in form.getall("target", [])]
        # Capped: a form is at most the targets allowed and a few blank rows.
        sent = list(zip(groups, numbers, strict=False))[: TARGETS_MAX + BLANK_ROWS + 1]
        found, errors = outreach.check_targets(sent)
        if errors:
            kept = [(" ".join(g.split()), n.strip()) for g, n in sent]
            return await _page(request, consultation.id, rows=kept, errors=errors)
        await outreach.set_targets(consultation.id, found)
        return Redirect(f"{outreach_url(consultation.id)}?done=targets", status_code=303)
