"""Choosing the language of the interface: the switcher's links set a cookie (web layer)."""

LANGUAGE_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["LANGUAGE_CONTROLLERS"]
