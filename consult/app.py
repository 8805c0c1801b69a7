"""create_app(): the one place where plugins, templates, middleware and routes meet."""

from __future__ import annotations

import sqlite3
import sys
from typing import Any

from litestar import Litestar, Request
from litestar.config.compression import CompressionConfig
from litestar.datastructures import CacheControlHeader, MutableScopeHeaders
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    PermissionDeniedException,
)
from litestar.middleware import DefineMiddleware
from litestar.middleware.session import SessionMiddleware
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig
from litestar.types import BeforeMessageSendHookHandler, Message, Scope
from piccolo.engine import engine_finder

from analysis.controllers import ResultsController
from analysis.export_jobs import export_worker
from analysis.export_pages import EXPORT_CONTROLLERS
from analysis.jobs import text_worker as text_job_worker
from analysis.outreach_pages import OUTREACH_CONTROLLERS
from analysis.quarantine_pages import QUARANTINE_CONTROLLERS
from analysis.report_pages import REPORT_CONTROLLERS
from analysis.strategy_pages import STRATEGY_CONTROLLERS
from analysis.text_pages import TEXT_CONTROLLERS
from consult import database, errors
from consult.controllers.account import ACCOUNT_CONTROLLERS
from consult.controllers.api import API_CONTROLLERS, openapi_config
from consult.controllers.health import healthz
from consult.controllers.language import LANGUAGE_CONTROLLERS
from consult.controllers.organisations import ORGANISATION_CONTROLLERS
from consult.controllers.privacy import PRIVACY_CONTROLLERS
from consult.controllers.public import PublicController
from consult.controllers.sessions import SESSION_CONTROLLERS
from consult.controllers.staff import SignInController, StaffController
from consult.database import ConsultSQLiteEngine
from consult.head_requests import answer_head
from consult.retention import purge_worker
from consult.sessions import ChangedOnlySessionBackend, csrf_config, session_config
from consult.settings import Settings, get_settings
from consult.templating import STATIC_DIR, make_template_engine
from consult.web import MAX_ID, clean_form
from surveys.controllers import (
    LeaveController,
    QuestionController,
    RespondController,
    SurveyBuilderController,
)
from surveys.controllers.easy_read import EasyReadController
from surveys.controllers.join import JOIN_CONTROLLERS
from surveys.controllers.paper import PAPER_CONTROLLERS
from surveys.controllers.translate import TRANSLATION_CONTROLLERS

SQLITE_SWITCH_INTERVAL_S = 0.001
# The largest request body the app reads (413 past it; see README "Limits").
REQUEST_MAX_BYTES = 4_000_000
# Static files are addressed with a digest of their content (static_url), so a
# browser may keep them for a year: a changed file has a new address.
STATIC_CACHE = CacheControlHeader(max_age=365 * 24 * 60 * 60, public=True, immutable=True)

# Everything a page needs comes from this origin; nothing may leak a resident's
# address to a third party, and the survey's address is not sent on as a referrer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


async def _refuse_impossible_ids(request: Request[Any, Any, Any]) -> None:
    """An id in the address that no table can hold names nothing: 404, before any
    handler asks the database (which would fail on it, not miss)."""
    for value in request.path_params.values():
        if type(value) is int and not 0 <= value <= MAX_ID:
            raise NotFoundException()


async def _screen_request(request: Request[Any, Any, Any]) -> None:
    """What every request passes before its handler: an address naming nothing
    answers 404, and a form's text is normalised (consult.web.clean_form)."""
    # A control character (%00) in a path names no page and no file; the static
    # files' handler failed on it with a 500.
    if any(ord(character) < 32 for character in request.url.path):
        raise NotFoundException()
    await _refuse_impossible_ids(request)
    await clean_form(request)


# Served over https only (Settings.secure_cookies): a browser then refuses plain http
# to this host for a year, so no one on a café's network can strip the https.
HSTS = "max-age=31536000; includeSubDomains"


def security_headers_hook(settings: Settings) -> BeforeMessageSendHookHandler:
    """The hook that puts SECURITY_HEADERS (and HSTS over https) on every response.

    A `before_send` hook sees the start of every response the app sends, error pages
    and redirects included: exception handlers bypass `after_request`, so a 404, a
    405 or a 500 went out without them.
    """
    extra = {"Strict-Transport-Security": HSTS} if settings.secure_cookies else {}
    headers = {**SECURITY_HEADERS, **extra}

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        sent = MutableScopeHeaders.from_message(message)
        for name, value in headers.items():
            if name not in sent:
                sent[name] = value
        # Pages hold a resident's answers or a planner's data: no browser or proxy
        # keeps a copy (Back after the quick exit then has nothing to show). Static
        # files set their own long-lived header.
        if "Cache-Control" not in sent:
            sent["Cache-Control"] = "no-store"

    return add_headers


async def _open_connections() -> None:
    await database.keep_connections(pool_size=10)
    if isinstance(engine_finder(), ConsultSQLiteEngine):
        # Each SQLite connection works in a thread of its own (aiosqlite) that needs
        # the GIL between steps; while the event loop computes, Python makes such a
        # thread wait up to the switch interval (5 ms) each time, so under load
        # reading a survey's definition took half a second; with 1 ms, a sixth of that.
        sys.setswitchinterval(SQLITE_SWITCH_INTERVAL_S)


async def _close_connections() -> None:
    await database.release_connections()


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    text_worker = text_job_worker()
    job_worker = export_worker()
    purger = purge_worker()
    session = session_config(settings)
    csrf = csrf_config(settings)
    app = Litestar(
        route_handlers=[
            healthz,
            PublicController,
            RespondController,
            LeaveController,
            SignInController,
            StaffController,
            SurveyBuilderController,
            QuestionController,
            ResultsController,
            *TEXT_CONTROLLERS,
            *STRATEGY_CONTROLLERS,
            *REPORT_CONTROLLERS,
            *EXPORT_CONTROLLERS,
            *API_CONTROLLERS,
            *ORGANISATION_CONTROLLERS,
            *SESSION_CONTROLLERS,
            *JOIN_CONTROLLERS,
            *PAPER_CONTROLLERS,
            *OUTREACH_CONTROLLERS,
            *ACCOUNT_CONTROLLERS,
            *PRIVACY_CONTROLLERS,
            *QUARANTINE_CONTROLLERS,
            *TRANSLATION_CONTROLLERS,
            *LANGUAGE_CONTROLLERS,
            EasyReadController,
            create_static_files_router(
                path="/static", directories=[STATIC_DIR], cache_control=STATIC_CACHE
            ),
        ],
        # Text compresses to a quarter or less: the first survey page on a slow
        # phone network is then a few kilobytes, htmx included.
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=500, gzip_compress_level=6
        ),
        template_config=TemplateConfig(instance=make_template_engine()),
        middleware=[
            DefineMiddleware(SessionMiddleware, backend=ChangedOnlySessionBackend(config=session))
        ],
        csrf_config=csrf,
        openapi_config=openapi_config(),
        # Bigger than any form or upload (a survey or codebook file is 1-2 MB).
        request_max_body_size=REQUEST_MAX_BYTES,
        # Only the JSON API's router opts back in: pages are not an API.
        include_in_schema=False,
        before_request=_screen_request,
        before_send=[security_headers_hook(settings)],
        # The background workers start once the connections are open and stops before
        # they close.
        on_startup=[
            _open_connections,
            *([text_worker.start] if settings.text_worker else []),
            *([job_worker.start] if settings.job_worker else []),
            *([purger.start] if purger else []),
        ],
        on_shutdown=[
            text_worker.stop,
            job_worker.stop,
            *([purger.stop] if purger else []),
            _close_connections,
        ],
        exception_handlers={
            NotAuthorizedException: errors.not_signed_in,
            PermissionDeniedException: errors.forbidden,
            NotFoundException: errors.not_found,
            HTTPException: errors.other_http_error,
            # A database down or out of disk: 503, "not saved, try again".
            **dict.fromkeys(
                (*errors.UNAVAILABLE, sqlite3.OperationalError), errors.database_unavailable
            ),
            500: errors.server_error,
        },
        debug=settings.debug,
    )
    # Health checkers probe with HEAD: it answers wherever GET does (consult/head_requests.py).
    return answer_head(app)
