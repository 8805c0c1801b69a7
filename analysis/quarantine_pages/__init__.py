"""Responses held for review (honeypot, too fast, repeated or near-identical):
shown to planners apart from the results, released or kept out, never deleted."""

from __future__ import annotations

QUARANTINE_CONTROLLERS: tuple[type, ...] = ()
