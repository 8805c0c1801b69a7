"""The one Jinja environment: autoescaped, translated per request."""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar.contrib.jinja import JinjaTemplateEngine
from markupsafe import Markup

from consult import i18n
from consult.settings import PROJECT_ROOT
from consult.web import locale_of

TEMPLATE_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "consult" / "static"


def _locale(context: Context) -> str:
    request = context.get("request")
    return locale_of(request) if request is not None else i18n.SOURCE_LOCALE


@pass_context
def _gettext(context: Context, message: str) -> str:
    return i18n.translations(_locale(context)).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, number: int) -> str:
    return i18n.translations(_locale(context)).ngettext(singular, plural, number)


@cache
def static_url(name: str) -> str:
    """A static file's address with a digest of its content: the file can then be
    cached for a year, and a changed file gets a new address."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


@pass_context
def _long_date(context: Context, value: date) -> str:
    return format_date(value, format="long", locale=_locale(context))


def _format_percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # newstyle gettext: variables are passed as keywords and always escaped.
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_gettext, ngettext=_ngettext, newstyle=True
    )
    environment.filters["percent"] = _format_percent
    environment.filters["long_date"] = _long_date
    environment.globals["static_url"] = static_url
    environment.globals["text_direction"] = i18n.text_direction
    environment.globals["language_name"] = i18n.language_name
    environment.globals["available_locales"] = i18n.available_locales
    environment.globals["locale_of"] = locale_of
    environment.globals["Markup"] = Markup
    return environment


def make_template_engine() -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(make_environment())
