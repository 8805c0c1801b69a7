"""Staff sign-in, the dashboard, and creating and opening consultations."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect, Template

from consult.auth import MEMBER, SESSION_USER_KEY, any_staff, planners
from consult.i18n import N_
from consult.services import consultations
from consult.services.consultations import SLUG_PATTERN, ConsultationInput, SlugTaken
from consult.services.staff import StaffMember, authenticate
from consult.tables import ConsultationStatus, Role
from consult.web import form_text


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in page cannot redirect anywhere else."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/staff"


class SignInController(Controller):
    path = "/staff"

    @get("/login", name="login")
    async def login_form(self, next_: str | None = None) -> Template:
        return Template("staff/login.html", context={"next": _safe_next(next_), "error": None})

    @post("/login", name="login_post")
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        username = form_text(form, "username")
        user_id = await authenticate(username, str(form.get("password") or ""))
        target = _safe_next(form_text(form, "next"))
        if user_id is None:
            return Template(
                "staff/login.html",
                context={
                    "next": target,
                    "username": username,
                    "error": N_("Enter a correct username and password."),
                },
                status_code=422,
            )
        request.clear_session()
        request.set_session({SESSION_USER_KEY: user_id})
        return Redirect(target, status_code=303)

    @post("/logout", name="logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
        return Redirect("/", status_code=303)


def _consultation_errors(values: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not SLUG_PATTERN.match(values["slug"]) or len(values["slug"]) > 80:
        errors["slug"] = N_(
            "Enter a web address name of lower-case letters, digits and hyphens, "
            "like reykjavik-2026."
        )
    for name, limit in (("title", 200), ("city", 100), ("run_by", 200)):
        if not values[name] or len(values[name]) > limit:
            errors[name] = N_("Enter up to %(limit)s characters.")
    for name in ("purpose", "data_use"):
        if not values[name] or len(values[name]) > 5000:
            errors[name] = N_("Enter up to %(limit)s characters.")
    if not values["minutes"].isdigit() or not 1 <= int(values["minutes"]) <= 120:
        errors["minutes"] = N_("Enter a number of minutes from 1 to 120.")
    return errors


FIELD_LIMITS = {"title": 200, "city": 100, "run_by": 200, "purpose": 5000, "data_use": 5000}


class StaffController(Controller):
    path = "/staff"
    dependencies = MEMBER

    @get("/", name="dashboard", guards=[any_staff])
    async def dashboard(self, member: StaffMember) -> Template:
        listed = await consultations.list_all() if member.role != Role.facilitator else []
        return Template("staff/dashboard.html", context={"member": member, "consultations": listed})

    @get("/consultations/new", name="new_consultation", guards=[planners])
    async def new(self) -> Template:
        return Template(
            "staff/consultation_form.html",
            context={"values": {"minutes": "10"}, "errors": {}, "limits": FIELD_LIMITS},
        )

    @post("/consultations", name="create_consultation", guards=[planners])
    async def create(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        values = {
            name: form_text(form, name)
            for name in ("slug", "title", "purpose", "city", "run_by", "data_use", "minutes")
        }
        values["slug"] = values["slug"].lower()
        errors = _consultation_errors(values)
        if not errors:
            try:
                created = await consultations.create(
                    ConsultationInput(
                        slug=values["slug"],
                        title=values["title"],
                        purpose=values["purpose"],
                        city=values["city"],
                        run_by=values["run_by"],
                        data_use=values["data_use"],
                        minutes_to_complete=int(values["minutes"]),
                    )
                )
            except SlugTaken:
                errors["slug"] = N_("That web address name is taken. Choose another.")
            else:
                return Redirect(f"/staff/consultations/{created.id}", status_code=303)
        return Template(
            "staff/consultation_form.html",
            context={"values": values, "errors": errors, "limits": FIELD_LIMITS},
            status_code=422,
        )

    @post("/consultations/{consultation_id:int}/status", name="set_status", guards=[planners])
    async def set_status(self, request: Request[Any, Any, Any], consultation_id: int) -> Redirect:
        consultation = await consultations.by_id(consultation_id)
        if consultation is None:
            raise NotFoundException()
        form = await request.form()
        try:
            status = ConsultationStatus(form_text(form, "status"))
        except ValueError:
            raise NotFoundException() from None
        await consultations.set_status(consultation, status)
        return Redirect(f"/staff/consultations/{consultation.id}", status_code=303)
