"""Staff members' own account: the second factor (TOTP) and their password."""

from __future__ import annotations

ACCOUNT_CONTROLLERS: tuple[type, ...] = ()
