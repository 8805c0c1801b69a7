"""Shared pieces of the web layer: the request's language and the switcher's links,
form helpers, safe return addresses, and the range of ids an address may name."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode, urlsplit

from litestar import Request
from litestar.datastructures import Cookie, FormMultiDict
from litestar.enums import RequestEncodingType
from litestar.exceptions import HTTPException
from litestar.params import PathParameter
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

from consult import i18n
from consult.i18n import N_
from consult.settings import get_settings
from consult.text_input import FIELD_MAX_CHARS, MAX_ID, clean_text, normalise

# An id in a path, refused with 400 outside 1..MAX_ID (documented in the schema).
# Declared a path parameter outright: Litestar 3 no longer infers where one comes from.
ObjectId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


def locale_of(request: Request[Any, Any, Any]) -> str:
    """The language this request is served in (worked out once per request).

    Kept in the ASGI scope's own state dict: a template asks for it a dozen times
    per page, and request.state builds a new wrapper on every access.
    """
    state = request.scope.setdefault("state", {})
    locale = state.get("locale")
    if locale is None:
        locale = state["locale"] = i18n.negotiate(
            request.query_params.get("lang"),
            request.cookies.get(i18n.LANG_COOKIE),
            request.headers.get("accept-language"),
            get_settings().default_locale,
        )
    return locale


def translator(request: Request[Any, Any, Any]) -> gettext.NullTranslations:
    return i18n.translations(locale_of(request))


LANGUAGE_PATH = "/language"
# A resident's pages may be rendered once and served to everyone who asks for them
# in that language (surveys/pages.py), the switcher included: of their query only
# what the journey itself reads goes into its links, never what one visitor's
# address happened to carry.
_RESIDENT_PREFIX = "/c/"
_RESIDENT_QUERY = frozenset({"return"})


def safe_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: a link that sends a
    person somewhere afterwards (?next=) cannot then send them to another site.

    "//host" is another site to a browser, which also reads "\\" as "/" and drops
    tabs and line breaks from an address ("/\\host", slash, tab, slash, host), so no
    backslash, space or control character is let through.
    """
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ord(character) <= 0x20 or ord(character) == 0x7F for character in target)
    ):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


# A reader's choices (language, easy read) are kept for a year: a resident who chose
# Somali once should not have to find the switcher again on their next visit.
PREFERENCE_SECONDS = 365 * 24 * 60 * 60


def preference_cookie(key: str, value: str, *, httponly: bool = True) -> Cookie:
    """A reader's choice for the whole site (SameSite=Lax, Secure over https); an
    empty value removes it."""
    return Cookie(
        key=key,
        value=value,
        path="/",
        httponly=httponly,
        samesite="lax",
        secure=get_settings().secure_cookies,
        max_age=PREFERENCE_SECONDS if value else 0,
        expires=None if value else 0,
    )


def return_path(request: Request[Any, Any, Any]) -> str:
    """This page's address, for the language switcher to bring a person back to, in
    the language they chose (so without `?lang=`, which would override the choice)."""
    path = request.url.path
    if path == LANGUAGE_PATH:
        # The list of languages itself: back to where the person came from.
        return safe_path(request.query_params.get("next"))
    pairs = [(key, value) for key, value in request.query_params.multi_items() if key != "lang"]
    if path.startswith(_RESIDENT_PREFIX):
        pairs = [(key, value) for key, value in pairs if key in _RESIDENT_QUERY]
    query = urlencode(pairs)
    return quote(path) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class LanguageLink:
    """One language in the switcher, named in itself."""

    code: str
    name: str
    direction: str
    href: str
    current: bool


def language_links(request: Request[Any, Any, Any]) -> list[LanguageLink]:
    """Every language, each linking to the page the request is for, in that language."""
    here = quote(return_path(request), safe="")
    current = locale_of(request)
    return [
        LanguageLink(
            code=code,
            name=i18n.language_heading(code),
            direction=i18n.text_direction(code),
            href=f"{LANGUAGE_PATH}/{code}?next={here}",
            current=code == current,
        )
        for code in i18n.available_locales()
    ]


def form_lists(form: FormMultiDict) -> Mapping[str, list[str]]:
    """Every form field with all the values sent for it (checkboxes repeat a name)."""
    return {key: [str(value) for value in form.getall(key)] for key in form}


def form_text(form: FormMultiDict, name: str) -> str:
    """One field's text as it is stored (consult.text_input.clean_text); "" if absent."""
    value = form.get(name)
    return clean_text(value) if isinstance(value, str) else ""


_FORMS = frozenset({RequestEncodingType.URL_ENCODED, RequestEncodingType.MULTI_PART})


class FieldTooLong(HTTPException):
    """A form field longer than any form takes: refused whole, with a page saying so."""

    status_code = 422
    detail = N_("One of the fields holds more than %(max)s characters.")


def _normalised(name: str, value: Any) -> Any:
    if isinstance(value, list):
        return [_normalised(name, item) for item in value]
    if not isinstance(value, str):
        return value  # an uploaded file: its reader checks it
    if len(value) > FIELD_MAX_CHARS:
        raise FieldTooLong()
    # A password is compared as typed (hashes made before normalising must match).
    return value if "password" in name else normalise(value)


async def clean_form(request: Request[Any, Any, Any]) -> None:
    """Normalise every text field of a sent form before any handler reads it.

    One place for every form, so that no field (an answer, a survey title, an
    organisation's name, a finding) can reach the database with a NUL byte, which
    PostgreSQL refuses and SQLite keeps. The parsed form is kept in the ASGI scope,
    where the handler's `request.form()` then finds it.
    """
    content_type, _ = request.content_type
    if request.method in ("GET", "HEAD") or content_type not in _FORMS:
        return
    state = ScopeState.from_scope(request.scope)
    if state.form is Empty:
        # A request of its own parses it, so the handler's has no copy of the raw form.
        await type(request)(request.scope, request.receive).form()
    state.form = {name: _normalised(name, value) for name, value in state.form.items()}


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address as the server saw it (uvicorn applies the proxy headers
    it is told to trust; X-Forwarded-For is not read here), for counting attempts
    only: it is hashed there (consult/services/rate_limits.py), never kept or logged."""
    client = request.client
    return client.host if client and client.host else "unknown"
