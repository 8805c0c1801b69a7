"""The planner's strategy pages (web layer): findings and their evidence,
indicators, strategy areas, approved quotes and the printable summary report."""

STRATEGY_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["STRATEGY_CONTROLLERS"]
