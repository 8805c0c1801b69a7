"""Privacy for respondents and admins: withdrawing a response with its code, and
the audit log."""

from __future__ import annotations

PRIVACY_CONTROLLERS: tuple[type, ...] = ()
