"""Sessions organisations host (facilitators and planners): the list, the form,
the poster with its QR code and the live count (web layer)."""

from consult.controllers.sessions._display import SessionDisplayController
from consult.controllers.sessions._pages import SessionsController

SESSION_CONTROLLERS: tuple[type, ...] = (SessionsController, SessionDisplayController)

__all__ = ["SESSION_CONTROLLERS"]
