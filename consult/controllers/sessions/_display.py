"""What a session shows to the room (web layer): the printable QR poster, in the
session's language, and the live count of completed responses for a projector."""

from __future__ import annotations

from typing import Any

import segno
from litestar import Controller, Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.response import Template
from markupsafe import Markup, escape

from consult import i18n
from consult.auth import MEMBER, any_staff
from consult.controllers.sessions._common import (
    SESSIONS_URL,
    join_host,
    join_url,
    labels,
    member_session,
)
from consult.services import consultations, hosted_sessions
from consult.services.staff import StaffMember
from consult.settings import get_settings
from surveys.controllers._reading import title_in

LIVE_TARGET = "live-count"
# htmx stops polling when an answer has this status (and still shows it).
HTMX_STOP_POLLING = 286
# Medium error correction survives a crease or a thumb over a printed code.
QR_ERROR = "m"


def qr_svg(url: str, label: str) -> Markup:
    """The QR code of `url` as inline SVG: one path, no style attribute or element
    (the Content-Security-Policy forbids inline styles), sized by poster.css, and
    an image with `label` as its name for a screen reader."""
    svg = segno.make(url, error=QR_ERROR).svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass="qr-dark"
    )
    if not svg.startswith("<svg ") or "style" in svg:  # segno changed its output
        raise ValueError("unexpected SVG from segno")
    attributes = f'<svg role="img" aria-label="{escape(label)}" focusable="false" '
    return Markup(attributes + svg[len("<svg ") :])  # noqa: S704 - segno's own output


def _serve_in(request: Request[Any, Any, Any], locale: str) -> str:
    """Make this request's pages speak `locale` (when the app has it)."""
    chosen = locale if locale in i18n.available_locales() else get_settings().default_locale
    request.scope.setdefault("state", {})["locale"] = chosen
    return chosen


class SessionDisplayController(Controller):
    """A session's poster and live count (its own organisation, or planners)."""

    path = SESSIONS_URL + "/{session_id:int}"
    guards = [any_staff]
    dependencies = MEMBER

    @get("/poster", name="session_poster")
    async def poster(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        session_id: FromPath[int],
    ) -> Template:
        """An A4 poster: the QR code, the code in large type and how to join, in the
        session's language rather than the viewer's."""
        session = await member_session(member, session_id)
        locale = _serve_in(request, session.locale)
        _ = i18n.translations(locale).gettext
        url = join_url(session.code)
        consultation = await consultations.by_id(session.consultation_id)
        title, title_lang = (
            await title_in(consultation, locale)
            if consultation
            else (session.consultation_title, Markup(""))
        )
        return Template(
            "sessions/poster.html",
            context={
                "session": session,
                # The consultation's title in the poster's language (or marked as
                # the main language's where it is not translated yet).
                "consultation_title": title,
                "title_lang": title_lang,
                "join_url": url,
                "join_host": join_host(),
                "qr": qr_svg(url, _("QR code: opens %(url)s") % {"url": url}),
            },
        )

    @get("/live", name="session_live")
    async def live(
        self,
        request: Request[Any, Any, Any],
        member: NamedDependency[StaffMember],
        session_id: FromPath[int],
        heard: FromQuery[str | None] = None,
    ) -> Template:
        """The number of completed responses of this session (never an answer),
        large enough for a projector; htmx asks for the number every 10 seconds."""
        session = await member_session(member, session_id)
        count = await hosted_sessions.completed_count(session.id)
        ended = session.ended()
        context = {
            **labels(request),
            "session": session,
            "count": count,
            "ended": ended,
            # A screen reader hears the number when it changes, not at every poll.
            "announce": heard is not None and heard != str(count),
        }
        if request.headers.get("HX-Request") == "true" and (
            request.headers.get("HX-Target") == LIVE_TARGET
        ):
            return Template(
                "sessions/_live_count.html",
                context=context,
                status_code=HTMX_STOP_POLLING if ended else 200,
            )
        return Template("sessions/live.html", context=context)
