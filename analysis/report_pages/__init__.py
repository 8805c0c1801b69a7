"""The printable summary report for council meetings (web layer)."""

from analysis.report_pages._summary import ReportController

REPORT_CONTROLLERS: tuple[type, ...] = (ReportController,)

__all__ = ["REPORT_CONTROLLERS"]
