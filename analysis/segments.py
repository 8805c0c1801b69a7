"""The words a planner sees for segments and their columns, in their language.

Each has a request variant for pages and a translator variant (a gettext function,
from consult.i18n.translations) for work done without a request, such as an export.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Request

from analysis.crosstabs import NO_ANSWER, Segment, SegmentKind
from consult.i18n import N_, language_name
from consult.web import translator

Gettext = Callable[[str], str]

CHANNEL_LABELS = {
    "web": N_("Own device"),
    "kiosk": N_("Shared tablet"),
    "assisted": N_("With a helper"),
    "paper": N_("Paper"),
}


def segment_name(_: Gettext, segment: Segment) -> str:
    """What the segment is, in the translator's language."""
    if segment.question is not None:
        return f"{segment.question.position}. {segment.question.text}"
    return _("Language") if segment.kind is SegmentKind.language else _("How they answered")


def column_names(_: Gettext, segment: Segment) -> dict[str, str]:
    """Column key -> heading, for every column a cross-tab by `segment` can have."""
    labels = {NO_ANSWER: _("No answer")}
    if segment.question is not None:
        labels.update({str(option.id): option.label for option in segment.question.options})
    elif segment.kind is SegmentKind.channel:
        labels.update({key: _(label) for key, label in CHANNEL_LABELS.items()})
    return labels


def segment_label(request: Request[Any, Any, Any], segment: Segment) -> str:
    return segment_name(translator(request).gettext, segment)


def column_labels(request: Request[Any, Any, Any], segment: Segment) -> dict[str, str]:
    """Column key -> heading, for every column a cross-tab by `segment` can have."""
    return column_names(translator(request).gettext, segment)


def column_label(labels: dict[str, str], column: str) -> str:
    """A column's heading; a language code not listed is named in its own language."""
    return labels.get(column) or language_name(column)
