"""The session cookie, written only when the session changed.

Litestar's cookie backend encrypts the session and sets the cookie again on every
response. A resident's session changes twice (consent, first page) and is read on
every page after; encrypting and sending it each time was a tenth of a question
page's cost. Writing it only on change also means its lifetime counts from the
last change, not the last request: a copied cookie does not live for ever.

Served over https, both cookies are `__Host-` cookies: a browser then accepts them
only with Secure, Path=/ and no Domain, so neither a sibling subdomain nor a page
over plain http can set or overwrite them (cookie tossing).
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec
from litestar.config.csrf import CSRFConfig
from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie
from litestar.middleware.csrf import generate_csrf_token
from litestar.middleware.session.client_side import (
    ClientSideSessionBackend,
    CookieBackendConfig,
)
from litestar.types import Empty, Message, ScopeSession

from consult.settings import Settings

_LOADED = "consult.session_loaded"
HOST_PREFIX = "__Host-"


def cookie_name(name: str, settings: Settings) -> str:
    """A cookie's name: `__Host-` prefixed when served over https."""
    return f"{HOST_PREFIX}{name}" if settings.secure_cookies else name


class ChangedOnlySessionBackend(ClientSideSessionBackend):
    async def load_from_connection(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> dict[str, Any]:
        data = await super().load_from_connection(connection)
        # The session as it arrived (a handler changes the dict in place).
        connection.scope[_LOADED] = msgspec.json.encode(data)  # type: ignore[literal-required]
        return data

    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        loaded = connection.scope.get(_LOADED)  # type: ignore[call-overload]
        if (
            scope_session is not Empty
            and loaded is not None
            and msgspec.json.encode(scope_session) == loaded
        ):
            return  # unchanged: the browser's cookie is still right
        await super().store_in_message(scope_session, message, connection)


def session_config(settings: Settings) -> CookieBackendConfig:
    return CookieBackendConfig(
        # AES-GCM needs a 32-byte key; derive it so one secret serves every purpose.
        secret=hashlib.sha256(f"session:{settings.secret_key}".encode()).digest(),
        key=cookie_name("consult_session", settings),
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        max_age=8 * 60 * 60,
    )


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=hashlib.sha256(f"csrf:{settings.secret_key}".encode()).hexdigest(),
        cookie_name=cookie_name("consult_csrf", settings),
        cookie_secure=settings.secure_cookies,
        cookie_httponly=True,
        cookie_samesite="lax",
    )


def fresh_csrf_cookie(config: CSRFConfig) -> Cookie:
    """A new CSRF cookie for a browser that has just signed in: a token read (or
    planted) before sign-in no longer matches it."""
    return Cookie(
        key=config.cookie_name,
        value=generate_csrf_token(config.secret),
        path=config.cookie_path,
        domain=config.cookie_domain,
        secure=config.cookie_secure,
        httponly=config.cookie_httponly,
        samesite=config.cookie_samesite,
    )
