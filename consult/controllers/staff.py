"""Staff sign-in, the dashboard, and creating and opening consultations."""

from __future__ import annotations

import math
from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from consult.auth import (
    MEMBER,
    any_staff,
    end_staff_session,
    planners,
    second_step,
    sign_in_or_ask_code,
    start_staff_session,
)
from consult.i18n import N_, SOURCE_LOCALE, available_locales
from consult.services import consultations
from consult.services.consultations import SLUG_PATTERN, ConsultationInput, SlugTaken
from consult.services.reach import reach_of
from consult.services.staff import StaffMember, check_code, check_sign_in
from consult.sessions import fresh_csrf_cookie
from consult.settings import get_settings
from consult.tables import ConsultationStatus, Role
from consult.text_input import is_ascii_number
from consult.web import client_address, form_text, safe_path


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the sign-in page cannot redirect anywhere else."""
    return safe_path(target, "/staff")


WRONG_PASSWORD = N_("Enter a correct username and password.")
WRONG_CODE = N_("Enter the 6-digit code your authenticator app shows now.")
TOO_MANY_TRIES = N_("Too many attempts to sign in. Wait %(minutes)s minutes and try again.")


def _sign_in_page(
    page: str,
    context: dict[str, Any],
    error: str | None = None,
    status_code: int = 200,
    retry_after: int | None = None,
) -> Template:
    """The password page or the code page, with an error and Retry-After if any."""
    return Template(
        page,
        context={**context, "error": error, "minutes": math.ceil((retry_after or 0) / 60)},
        status_code=status_code,
        headers={"Retry-After": str(retry_after)} if retry_after else None,
    )


def _with_new_csrf(request: Request[Any, Any, Any], target: str) -> Redirect:
    """On to `target` with a new CSRF cookie: a token from before signing in (read
    or planted by someone else) no longer works."""
    assert request.app.csrf_config is not None  # the app always has one
    return Redirect(target, status_code=303, cookies=[fresh_csrf_cookie(request.app.csrf_config)])


class SignInController(Controller):
    path = "/staff"

    @get("/login", name="login")
    async def login_form(self, next_: FromQuery[str | None] = None) -> Template:
        return _sign_in_page("staff/login.html", {"next": _safe_next(next_)})

    @post("/login", name="login_post")
    async def login(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        form = await request.form()
        username = form_text(form, "username")
        target = _safe_next(form_text(form, "next"))
        context = {"next": target, "username": username}
        # A password is taken as typed: spaces may be part of it.
        password = form.get("password")
        checked = await check_sign_in(
            username, password if isinstance(password, str) else "", client_address(request)
        )
        if checked.retry_after is not None:
            return _sign_in_page(
                "staff/login.html", context, TOO_MANY_TRIES, 429, checked.retry_after
            )
        if checked.user_id is None:
            return _sign_in_page("staff/login.html", context, WRONG_PASSWORD, 422)
        return _with_new_csrf(request, await sign_in_or_ask_code(request, checked.user_id, target))

    @get("/login/code", name="login_code")
    async def code_form(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        if second_step(request) is None:
            return Redirect("/staff/login", status_code=303)
        return _sign_in_page("staff/login_code.html", {})

    @post("/login/code", name="login_code_post")
    async def code(self, request: Request[Any, Any, Any]) -> Template | Redirect:
        pending = second_step(request)
        if pending is None:  # no password typed here, or too long ago
            return Redirect("/staff/login", status_code=303)
        user_id, target = pending
        form = await request.form()
        checked = await check_code(user_id, form_text(form, "code"), client_address(request))
        if checked.retry_after is not None:
            return _sign_in_page(
                "staff/login_code.html", {}, TOO_MANY_TRIES, 429, checked.retry_after
            )
        if checked.user_id is None:
            return _sign_in_page("staff/login_code.html", {}, WRONG_CODE, 422)
        await start_staff_session(request, user_id)
        return _with_new_csrf(request, target)

    @post("/logout", name="logout")
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        """Sign out here and everywhere this session's cookie was copied to."""
        await end_staff_session(request)
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
    # ASCII digits only: "²" passes isdigit() and then fails int() (it was a 500).
    minutes = values["minutes"]
    if not is_ascii_number(minutes) or len(minutes) > 3 or not 1 <= int(minutes) <= 120:
        errors["minutes"] = N_("Enter a number of minutes from 1 to 120.")
    if values["main_locale"] not in available_locales():
        errors["main_locale"] = N_("Choose a language from the list.")
    return errors


def _default_main_language() -> str:
    """The main language a new consultation starts with: the site's own."""
    configured = get_settings().default_locale
    return configured if configured in available_locales() else SOURCE_LOCALE


FIELD_LIMITS = {"title": 200, "city": 100, "run_by": 200, "purpose": 5000, "data_use": 5000}


def _fixed_city(member: StaffMember) -> str | None:
    """The city a planner's new consultation belongs to (their own; None for an
    admin, who chooses). A planner with no city team may create none."""
    if member.role == Role.admin:
        return None
    if not member.city:
        raise PermissionDeniedException("a planner without a city team")
    return member.city


class StaffController(Controller):
    path = "/staff"
    dependencies = MEMBER

    @get("/", name="dashboard", guards=[any_staff])
    async def dashboard(self, member: NamedDependency[StaffMember]) -> Template:
        """The consultations of the member's city (every city's for an admin)."""
        listed = (
            await consultations.list_within(await reach_of(member))
            if member.role != Role.facilitator
            else []
        )
        return Template("staff/dashboard.html", context={"member": member, "consultations": listed})

    @get("/consultations/new", name="new_consultation", guards=[planners])
    async def new(self, member: NamedDependency[StaffMember]) -> Template:
        city = _fixed_city(member)
        return Template(
            "staff/consultation_form.html",
            context={
                "values": {
                    "minutes": "10",
                    "city": city or "",
                    "main_locale": _default_main_language(),
                },
                "locales": available_locales(),
                "errors": {},
                "limits": FIELD_LIMITS,
                "fixed_city": city,
            },
        )

    @post("/consultations", name="create_consultation", guards=[planners])
    async def create(
        self, request: Request[Any, Any, Any], member: NamedDependency[StaffMember]
    ) -> Template | Redirect:
        form = await request.form()
        city = _fixed_city(member)
        values = {
            name: form_text(form, name)
            for name in (
                "slug",
                "title",
                "purpose",
                "city",
                "run_by",
                "data_use",
                "minutes",
                "main_locale",
            )
        }
        values["slug"] = values["slug"].lower()
        # A form without the field (an older page, a script) means the usual language.
        values["main_locale"] = values["main_locale"] or _default_main_language()
        if city:  # a planner's consultation is their own city's, whatever the form says
            values["city"] = city
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
                        default_locale=values["main_locale"],
                    )
                )
            except SlugTaken:
                errors["slug"] = N_("That web address name is taken. Choose another.")
            else:
                return Redirect(f"/staff/consultations/{created.id}", status_code=303)
        return Template(
            "staff/consultation_form.html",
            context={
                "values": values,
                "errors": errors,
                "limits": FIELD_LIMITS,
                "fixed_city": city,
                "locales": available_locales(),
            },
            status_code=422,
        )

    @post("/consultations/{consultation_id:int}/status", name="set_status", guards=[planners])
    async def set_status(
        self, request: Request[Any, Any, Any], consultation_id: FromPath[int]
    ) -> Redirect:
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
