"""Joining a session by its code or QR link, and the shared-tablet (kiosk) mode (web layer)."""

from surveys.controllers.join._join import JoinController
from surveys.controllers.join._kiosk import KioskController, KioskStartController

JOIN_CONTROLLERS: tuple[type, ...] = (JoinController, KioskStartController, KioskController)

__all__ = ["JOIN_CONTROLLERS"]
