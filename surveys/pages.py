"""The survey form page: rendered in full for a resident's errors, and, blank, from a
copy a worker renders once and fills in for each visitor."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Request, Response
from litestar.response import Template

from consult.settings import get_settings
from consult.tables import Consultation
from consult.web import locale_of
from surveys.flow import SurveySpec

TEMPLATE = "surveys/respond.html"


def new_idempotency_key() -> str:
    """A key for one rendered form: a retry of that form is then stored only once."""
    return secrets.token_urlsafe(24)


def form_page(
    consultation: Consultation,
    spec: SurveySpec,
    key: str,
    values: dict[str, Any] | None = None,
    errors: dict[int, Any] | None = None,
    status_code: int = 200,
) -> Template:
    """The survey form, with what the resident entered and what is wrong with it."""
    return Template(
        TEMPLATE,
        context={
            "consultation": consultation,
            "survey": spec,
            "idempotency_key": key,
            "values": values or {},
            "errors": errors or {},
        },
        status_code=status_code,
    )


# The blank form is the page every resident loads, and rendering it (a macro per
# question and option, every string translated) is most of its cost. Between
# visitors it differs only in the CSRF field and the idempotency key, so a worker
# renders it with two holes in it, once per survey and language and at most every
# CONSULT_DEFINITION_CACHE_SECONDS (so that an edited template shows as soon as an
# edited question does), and fills the holes for each request. This holds while
# respond.html and the templates it uses depend on nothing of the request but its
# language (base.html: locale_of(request)).
_CSRF_HOLE = f"csrf-input-{secrets.token_hex(16)}"
_KEY_HOLE = f"idempotency-key-{secrets.token_hex(16)}"
_HOLES = re.compile(f"({_CSRF_HOLE}|{_KEY_HOLE})")


@dataclass(frozen=True)
class _BlankForm:
    # What it was rendered from, compared by value: each re-read of the definition
    # or the consultation gives new objects, usually with the same values.
    consultation: dict[str, Any]
    spec: SurveySpec
    rendered_at: float  # time.monotonic()
    # The page cut at its holes: text, a hole's name, text, ...
    segments: tuple[str, ...]

    def fits(self, consultation: dict[str, Any], spec: SurveySpec, max_age: float) -> bool:
        fresh = time.monotonic() - self.rendered_at < max_age
        return fresh and self.consultation == consultation and self.spec == spec


_blank_forms: dict[tuple[int, str], _BlankForm] = {}


def _max_age() -> float:
    return get_settings().definition_cache_seconds


def blank_form_page(
    request: Request[Any, Any, Any], consultation: Consultation, spec: SurveySpec
) -> Template | Response[str]:
    """The empty survey form for this visitor, with their own CSRF field and key."""
    key = (spec.id, locale_of(request))
    blank = _blank_forms.get(key)
    consultation_values = consultation.to_dict()
    if blank is None or not blank.fits(consultation_values, spec, _max_age()):
        rendered_at = time.monotonic()
        segments = _render_with_holes(request, consultation, spec)
        if segments is None:  # the template no longer shows each value exactly once
            return form_page(consultation, spec, new_idempotency_key())
        blank = _BlankForm(consultation_values, spec, rendered_at, segments)
        _blank_forms[key] = blank
    # The CSRF field exactly as Litestar writes it for this request's token.
    context = Template(TEMPLATE).create_template_context(request)
    fill = {_CSRF_HOLE: context["csrf_input"], _KEY_HOLE: new_idempotency_key()}
    html = "".join(fill.get(segment, segment) for segment in blank.segments)
    return Response(html, media_type=MediaType.HTML)


def _render_with_holes(
    request: Request[Any, Any, Any], consultation: Consultation, spec: SurveySpec
) -> tuple[str, ...] | None:
    page = form_page(consultation, spec, _KEY_HOLE)
    context = {**page.create_template_context(request), "csrf_input": _CSRF_HOLE}
    engine = request.app.template_engine
    assert engine is not None, "create_app() configures the template engine"
    html = engine.get_template(TEMPLATE).render(**context)
    if html.count(_CSRF_HOLE) != 1 or html.count(_KEY_HOLE) != 1:
        return None
    return tuple(_HOLES.split(html))


def forget_blank_forms() -> None:
    """Drop this worker's rendered forms (tests, or after a change in this worker)."""
    _blank_forms.clear()
