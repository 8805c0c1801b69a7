"""The printable paper survey and the entry of paper questionnaires (web layer)."""

PAPER_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["PAPER_CONTROLLERS"]
