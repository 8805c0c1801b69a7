"""Responses held for review (honeypot, too fast, repeated or near-identical):
shown to planners apart from the results, released or kept out, never deleted."""

from __future__ import annotations

from analysis.quarantine_pages._review import REASON_LABELS, QuarantineController, review_url

QUARANTINE_CONTROLLERS: tuple[type, ...] = (QuarantineController,)

__all__ = ["QUARANTINE_CONTROLLERS", "REASON_LABELS", "review_url"]
