"""The printable summary report for council meetings (web layer)."""

REPORT_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["REPORT_CONTROLLERS"]
