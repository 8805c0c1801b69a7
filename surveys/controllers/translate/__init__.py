"""Planners translate a consultation's texts, side by side, and choose its languages (web layer)."""

TRANSLATION_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["TRANSLATION_CONTROLLERS"]
