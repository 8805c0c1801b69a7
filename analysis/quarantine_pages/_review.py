"""The review page of held responses (web layer, planners): what each says, why it
was held, and "Count it" or "Keep out", each a POST with CSRF that leads back here."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from analysis.segments import CHANNEL_LABELS
from consult.auth import MEMBER, planners
from consult.i18n import N_
from consult.services import consultations
from consult.services.staff import StaffMember
from consult.web import ObjectId, translator
from surveys import abuse
from surveys import services as surveys
from surveys.abuse import Flag

# What each reason means to a planner deciding whether a response is a person's.
REASON_LABELS = {
    Flag.honeypot.value: N_("filled in a field that only automated programs see"),
    Flag.too_fast.value: N_("sent faster than anyone could read the questions"),
    Flag.rate.value: N_("one of many sent from one network or browser within minutes"),
    Flag.repeat_browser.value: N_("a second response from the same browser today"),
    Flag.repeat_address.value: N_("one of several responses from one network today"),
    Flag.spike.value: N_("sent during a sudden burst of responses"),
    Flag.duplicate_text.value: N_("its free text copies another response's"),
}
DONE = {"counted": N_("The response is counted."), "kept": N_("The response is kept out.")}


def review_url(survey_id: int) -> str:
    return f"/staff/surveys/{survey_id}/quarantine"


class QuarantineController(Controller):
    path = "/staff/surveys/{survey_id:int}/quarantine"
    guards = [planners]
    dependencies = MEMBER
    include_in_schema = False

    @get("/", name="quarantine")
    async def show(self, request: Request[Any, Any, Any], survey_id: ObjectId) -> Template:
        spec = await surveys.load_spec(survey_id)
        consultation = await consultations.by_id(spec.consultation_id) if spec else None
        if spec is None or consultation is None:
            raise NotFoundException()
        _ = translator(request).gettext
        done = request.query_params.get("done", "")
        return Template(
            "analysis/quarantine.html",
            context={
                "consultation": consultation,
                "survey": spec,
                "review": await abuse.review(spec),
                "reason_labels": {key: _(label) for key, label in REASON_LABELS.items()},
                "channel_labels": {key: _(label) for key, label in CHANNEL_LABELS.items()},
                "done": _(DONE[done]) if done in DONE else "",
            },
        )

    @post("/{response_id:int}/count", name="quarantine_count")
    async def count_it(
        self, survey_id: ObjectId, response_id: ObjectId, member: NamedDependency[StaffMember]
    ) -> Redirect:
        """Count a held response: it joins the results (and the tally) at once."""
        if not await abuse.release(survey_id, response_id, member.user_id):
            raise NotFoundException()
        return Redirect(f"{review_url(survey_id)}?done=counted", status_code=303)

    @post("/{response_id:int}/keep-out", name="quarantine_keep_out")
    async def keep_out(
        self, survey_id: ObjectId, response_id: ObjectId, member: NamedDependency[StaffMember]
    ) -> Redirect:
        """Keep a held response out of every count; it stays stored, never deleted."""
        if not await abuse.keep_out(survey_id, response_id, member.user_id):
            raise NotFoundException()
        return Redirect(f"{review_url(survey_id)}?done=kept", status_code=303)
