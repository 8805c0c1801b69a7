"""Privacy for respondents and admins: withdrawing a response with its code, and
the audit log."""

from __future__ import annotations

from consult.controllers.privacy._audit import AuditLogController
from consult.controllers.privacy._withdraw import WithdrawalController

PRIVACY_CONTROLLERS: tuple[type, ...] = (WithdrawalController, AuditLogController)

__all__ = ["PRIVACY_CONTROLLERS"]
