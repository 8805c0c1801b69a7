"""Exports for planners (web layer): the strategy-input workbook and the CSV of
responses, run as background jobs with their progress shown."""

EXPORT_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["EXPORT_CONTROLLERS"]
