"""The printable paper survey and the entry of paper questionnaires (web layer)."""

from surveys.controllers.paper._pages import PaperController

PAPER_CONTROLLERS: tuple[type, ...] = (PaperController,)

__all__ = ["PAPER_CONTROLLERS"]
