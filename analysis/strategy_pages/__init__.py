"""The planner's strategy pages (web layer): findings and their evidence,
indicators, strategy areas, approved quotes and the printable summary report."""

from analysis.strategy_pages._findings import FindingController, FindingsController
from analysis.strategy_pages._indicators import IndicatorController, IndicatorsController
from analysis.strategy_pages._quotes import QuoteController, QuotesController

STRATEGY_CONTROLLERS: tuple[type, ...] = (
    FindingsController,
    FindingController,
    IndicatorsController,
    IndicatorController,
    QuotesController,
    QuoteController,
)

__all__ = ["STRATEGY_CONTROLLERS"]
