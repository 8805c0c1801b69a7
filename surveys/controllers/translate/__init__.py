"""Planners translate a consultation's texts, side by side, and choose its languages (web layer)."""

from surveys.controllers.translate._pages import TranslationController

TRANSLATION_CONTROLLERS: tuple[type, ...] = (TranslationController,)

__all__ = ["TRANSLATION_CONTROLLERS"]
