"""The one Jinja environment: autoescaped, translated per request, and writing
numbers and dates as the request's language does."""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from datetime import date, datetime
from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, Template, pass_context, select_autoescape
from jinja2.runtime import Context
from litestar.plugins.jinja import JinjaTemplateEngine
from markupsafe import Markup

from consult import i18n
from consult.settings import PROJECT_ROOT, get_settings
from consult.web import language_links, locale_of

TEMPLATE_DIR = PROJECT_ROOT / "templates"
STATIC_DIR = PROJECT_ROOT / "consult" / "static"


# The request whose page is being rendered. A macro imported without context
# (`{% from "components/forms.html" import error_summary %}`) sees only the
# globals, not the page's `request`, and would otherwise speak English.
_RENDERING: ContextVar[Any] = ContextVar("rendering_request", default=None)


class _RequestTemplate(Template):
    """A template that keeps the request it renders for where its imports find it."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        token = _RENDERING.set(kwargs.get("request", _RENDERING.get()))
        try:
            return super().render(*args, **kwargs)
        finally:
            _RENDERING.reset(token)


def _locale(context: Context) -> str:
    request = context.get("request") or _RENDERING.get()
    return locale_of(request) if request is not None else i18n.SOURCE_LOCALE


def _localised(variables: dict[str, Any], locale: str) -> dict[str, Any]:
    """A message's variables with every number written as `locale` writes it
    ("1 234" in Finnish): a count put into a sentence is then right in every
    language without each template remembering to format it. A bool is not a
    number here (True would print as "1")."""
    return {
        name: i18n.format_number(value, locale)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else value
        for name, value in variables.items()
    }


def _translated(context: Context, text: str, variables: dict[str, Any]) -> str:
    # As Jinja's own newstyle gettext: always a format string (so "%%" is "%"), and
    # under autoescape the variables are escaped, never the translation.
    message = Markup(text) if context.eval_ctx.autoescape else text  # noqa: S704 - our catalogues
    return message % _localised(variables, _locale(context))  # type: ignore[no-any-return]


@pass_context
def _gettext(context: Context, message: str, /, **variables: Any) -> str:
    # Positional-only: a message may have a variable called `message` (error.html).
    return _translated(context, i18n.translations(_locale(context)).gettext(message), variables)


@pass_context
def _ngettext(
    context: Context, singular: str, plural: str, number: int, /, **variables: Any
) -> str:
    # The plural form is chosen from the number itself; only its printed form
    # ("%(num)s") is localised.
    variables.setdefault("num", number)
    text = i18n.translations(_locale(context)).ngettext(singular, plural, number)
    return _translated(context, text, variables)


@cache
def static_url(name: str) -> str:
    """A static file's address with a digest of its content: the file can then be
    cached for a year, and a changed file gets a new address."""
    digest = hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]
    return f"/static/{name}?v={digest}"


@pass_context
def _number(
    context: Context, value: float | None, decimals: int | None = None, sign: bool = False
) -> str:
    """`{{ count|number }}`; `{{ score|number(decimals=2) }}`, `{{ x|number(2, sign=True) }}`."""
    if value is None:
        return ""
    return i18n.format_number(value, _locale(context), decimals=decimals, sign=sign)


@pass_context
def _percent(
    context: Context, value: float | None, fraction: bool = False, sign: bool = True
) -> str:
    """`{{ 34.5|percent }}` (0-100, as the results' counts carry them), or
    `{{ 0.345|percent(fraction=True) }}` for a share from 0 to 1."""
    return i18n.format_percentage(value, _locale(context), fraction=fraction, sign=sign)


def _day(value: date) -> date:
    """The day a moment falls on by the service's clock (not UTC's, near midnight)."""
    return i18n.in_zone(value, get_settings().zone).date() if isinstance(value, datetime) else value


@pass_context
def _long_date(context: Context, value: date | None) -> str:
    return "" if value is None else i18n.format_long_date(_day(value), _locale(context))


@pass_context
def _short_date(context: Context, value: date | None) -> str:
    return "" if value is None else i18n.format_short_date(_day(value), _locale(context))


@pass_context
def _date_time(context: Context, value: date | None) -> str:
    if value is None:
        return ""
    return i18n.format_date_time(value, _locale(context), get_settings().zone)


def make_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        extensions=["jinja2.ext.i18n", "jinja2.ext.do"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.template_class = _RequestTemplate
    # newstyle gettext: variables are passed as keywords and always escaped. The
    # callables are set directly, not through install_gettext_callables(), which
    # would wrap them in Jinja's own newstyle wrappers: those format the message
    # after the call, where the numbers could no longer be localised.
    environment.newstyle_gettext = True  # type: ignore[attr-defined]
    environment.globals.update(gettext=_gettext, ngettext=_ngettext)
    environment.filters["number"] = _number
    environment.filters["percent"] = _percent
    environment.filters["long_date"] = _long_date
    environment.filters["short_date"] = _short_date
    environment.filters["date_time"] = _date_time
    environment.globals["static_url"] = static_url
    environment.globals["text_direction"] = i18n.text_direction
    environment.globals["language_name"] = i18n.language_name
    environment.globals["available_locales"] = i18n.available_locales
    environment.globals["locale_of"] = locale_of
    environment.globals["language_links"] = language_links
    environment.globals["Markup"] = Markup
    return environment


def make_template_engine() -> JinjaTemplateEngine:
    return JinjaTemplateEngine.from_environment(make_environment())
