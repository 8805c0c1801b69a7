"""Staff members' own account: the second factor (TOTP) and their password."""

from __future__ import annotations

from consult.controllers.account._second_factor import AccountController

ACCOUNT_CONTROLLERS: tuple[type, ...] = (AccountController,)

__all__ = ["ACCOUNT_CONTROLLERS"]
