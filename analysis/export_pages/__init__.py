"""Exports for planners (web layer): the strategy-input workbook and the CSV of
responses, run as background jobs with their progress shown."""

from analysis.export_pages._pages import ExportJobController, SurveyExportController

EXPORT_CONTROLLERS: tuple[type, ...] = (SurveyExportController, ExportJobController)

__all__ = ["EXPORT_CONTROLLERS"]
