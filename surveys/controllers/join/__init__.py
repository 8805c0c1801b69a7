"""Joining a session by its code or QR link, and the shared-tablet (kiosk) mode (web layer)."""

JOIN_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["JOIN_CONTROLLERS"]
