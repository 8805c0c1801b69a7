"""The planner's text pages (web layer): overview, themes, codebook, review,
safeguarding, and the admin's view of an original answer."""

from analysis.text_pages._codebook import CodebookController
from analysis.text_pages._overview import TextOverviewController
from analysis.text_pages._review import ReviewController
from analysis.text_pages._safeguarding import OriginalTextController, SafeguardingController
from analysis.text_pages._themes import ThemesController

TEXT_CONTROLLERS = (
    TextOverviewController,
    ThemesController,
    CodebookController,
    ReviewController,
    SafeguardingController,
    OriginalTextController,
)

__all__ = ["TEXT_CONTROLLERS"]
