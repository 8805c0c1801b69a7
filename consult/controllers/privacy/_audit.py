"""The audit log for admins (web layer): newest first, a page at a time, filtered
by action."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, Request, get
from litestar.response import Template

from consult.auth import MEMBER, admins
from consult.i18n import N_
from consult.services import audit
from consult.settings import get_settings
from consult.web import MAX_ID

AUDIT_URL = "/staff/audit"
# What the actions mean, as an admin reads them; an action without a label here
# (a new one) shows its name.
ACTION_LABELS = {
    "sign_in": N_("Signed in"),
    "sign_in_failed": N_("Sign-in refused"),
    "sign_out": N_("Signed out"),
    "set_role": N_("Role given"),
    "set_languages": N_("Languages of a consultation changed"),
    "save_translations": N_("Translations saved"),
    "view_original_text": N_("Read an original text answer"),
    "purge": N_("Purge by retention date"),
    "purge_responses": N_("Responses deleted at their retention date"),
    "withdraw_response": N_("A response withdrawn with its code"),
    "export_csv": N_("Export: CSV"),
    "export_xlsx": N_("Export: workbook"),
    "export_codebook": N_("Export: codebook"),
    "export_definition": N_("Export: survey definition"),
    "totp_on": N_("Second factor turned on"),
    "totp_off": N_("Second factor turned off"),
    "create_invite": N_("Invitation sent"),
    "accept_invite": N_("Invitation accepted"),
    "create_organisation": N_("Organisation added"),
    "update_organisation": N_("Organisation changed"),
    "create_api_token": N_("API token made"),
    "revoke_api_token": N_("API token revoked"),
    "import_codebook": N_("Codebook imported"),
    "safeguarding_follow_up": N_("Safeguarding flag followed up"),
    "count_held": N_("A held response counted"),
    "keep_out_held": N_("A held response kept out"),
}


def _event_id(raw: str | None) -> int | None:
    """An event id to page on from: ASCII digits within the ids a table holds."""
    if raw is None or not re.fullmatch(r"[0-9]{1,12}", raw):
        return None
    number = int(raw)
    return number if 1 <= number <= MAX_ID else None


class AuditLogController(Controller):
    path = AUDIT_URL
    guards = [admins]
    dependencies = MEMBER

    @get("/", name="audit_log")
    async def log(self, request: Request[Any, Any, Any]) -> Template:
        known = await audit.actions()
        action = request.query_params.get("action") or ""
        if action not in known:
            action = ""
        before = _event_id(request.query_params.get("before"))
        found = await audit.page(action or None, before)
        zone = get_settings().zone
        return Template(
            "privacy/audit.html",
            context={
                "events": found.events,
                # On the city's clock, to the minute, as staff read session times.
                "times": {
                    event.id: event.at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
                    for event in found.events
                },
                "older": found.older,
                "action": action,
                "actions": known,
                "labels": ACTION_LABELS,
                "paged": before is not None,
            },
        )
