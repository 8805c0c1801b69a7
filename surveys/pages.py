"""Question pages a worker renders once and fills in for each visitor.

The page every resident loads next is one they have not answered yet, and
rendering it (a macro per question and option, every string translated) is most
of its cost. Such pages differ between visitors only in the CSRF field, the
progress numbers ("Question 3 of 12": conditions change the total) and where Back
leads, so a worker renders each with holes in those places, once per survey,
page, language and set of questions shown, at most every
CONSULT_DEFINITION_CACHE_SECONDS (so that an edited template shows as soon as an
edited question does), and fills the holes for each request. This holds while
the page templates depend on nothing of the request but its language
(base.html: locale_of(request)). A page with answers or errors is rendered whole.
"""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from litestar import MediaType, Request, Response
from litestar.response import Template
from litestar.utils.scope.state import ScopeState

from consult.settings import get_settings
from consult.web import locale_of

_TOKEN = secrets.token_hex(12)
HOLES = ("csrf_input", "progress_number", "progress_total", "back_href")
_MARKERS = {name: f"hole-{name.replace('_', '-')}-{_TOKEN}" for name in HOLES}
_SPLIT = re.compile("(" + "|".join(_MARKERS.values()) + ")")
_NAME_OF = {marker: name for name, marker in _MARKERS.items()}


@dataclass
class _Blank:
    # What it was rendered from, compared by value: each re-read of the definition
    # or the consultation gives new objects, usually with the same values.
    made_from: Any
    rendered_at: float  # time.monotonic()
    # The page cut at its holes: text, a hole's name, text, ...
    segments: tuple[str, ...]


_blanks: dict[tuple[Any, ...], _Blank] = {}


def _same(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """The same sources: the very objects (a worker's caches hand out the same ones
    for a while), or objects with equal values (`to_dict()` for table rows)."""
    return len(old) == len(new) and all(
        a is b or (a.to_dict() == b.to_dict() if hasattr(a, "to_dict") else a == b)
        for a, b in zip(old, new, strict=True)
    )


def _max_age() -> float:
    settings = get_settings()
    return settings.definition_cache_seconds if settings.page_cache else 0.0


def csrf_field(request: Request[Any, Any, Any]) -> str:
    """The CSRF field exactly as Litestar writes it for this request's token."""
    token = ScopeState.from_scope(request.scope).csrf_token
    value = token if isinstance(token, str) else ""
    return f'<input type="hidden" name="_csrf_token" value="{html.escape(value)}" />'


def blank_page(
    request: Request[Any, Any, Any],
    key: tuple[Any, ...],
    made_from: Any,
    render: Callable[[dict[str, str]], Template],
    fill: dict[str, str],
) -> Template | Response[str]:
    """The page for `key`, from this worker's rendered copy when it still fits.

    `render(holes)` makes the Template with each hole's marker in place of its
    value (progress numbers, Back's address); `fill` has this visitor's values.
    """
    full_key = (*key, locale_of(request))
    blank = _blanks.get(full_key)
    max_age = _max_age()
    fresh = blank is not None and time.monotonic() - blank.rendered_at < max_age
    if blank is not None and fresh and blank.made_from is not made_from:
        if _same(blank.made_from, made_from):
            blank.made_from = made_from  # the next look is by identity again
        else:
            fresh = False
    if blank is None or not fresh:
        rendered_at = time.monotonic()
        segments = _render_with_holes(request, render(_MARKERS))
        if segments is None or max_age <= 0:
            # No reuse wanted, or the template no longer shows each hole once.
            return render(fill)
        blank = _Blank(made_from, rendered_at, segments)
        _blanks[full_key] = blank
    csrf = csrf_field(request)

    def filled(segment: str) -> str:
        name = _NAME_OF.get(segment)
        if name is None:
            return segment
        return csrf if name == "csrf_input" else html.escape(fill[name])

    return Response("".join(map(filled, blank.segments)), media_type=MediaType.HTML)


def _render_with_holes(
    request: Request[Any, Any, Any], template: Template
) -> tuple[str, ...] | None:
    context = {**template.create_template_context(request), "csrf_input": _MARKERS["csrf_input"]}
    engine = request.app.template_engine
    assert engine is not None, "create_app() configures the template engine"
    assert isinstance(template.template_name, str)
    page = engine.get_template(template.template_name).render(**context)
    if any(page.count(marker) != 1 for marker in _MARKERS.values()):
        return None
    return tuple(_SPLIT.split(page))


def forget_blank_pages() -> None:
    """Drop this worker's rendered pages (tests, or after a change in this worker)."""
    _blanks.clear()
