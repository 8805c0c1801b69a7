"""Sessions organisations host (facilitators and planners): the list, the form, the poster with its QR code and the live count (web layer)."""

SESSION_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["SESSION_CONTROLLERS"]
