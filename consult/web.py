"""Shared pieces of the web layer: the request's language, form helpers, and the
range of ids an address may name."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from typing import Annotated, Any

from litestar import Request
from litestar.datastructures import FormMultiDict
from litestar.params import Parameter

from consult import i18n
from consult.settings import get_settings

# The largest id either database stores (PostgreSQL's integer): a bigger one in an
# address names nothing, and asking the database for it would fail, not miss.
MAX_ID = 2_147_483_647
# An id in a path, refused with 400 outside 1..MAX_ID (documented in the schema).
ObjectId = Annotated[int, Parameter(ge=1, le=MAX_ID)]


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


def form_lists(form: FormMultiDict) -> Mapping[str, list[str]]:
    """Every form field with all the values sent for it (checkboxes repeat a name)."""
    return {key: [str(value) for value in form.getall(key)] for key in form}


def form_text(form: FormMultiDict, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
