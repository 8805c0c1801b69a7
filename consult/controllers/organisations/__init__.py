"""The organisation registry and invitations to its staff (planners), and accepting an
invitation (web layer)."""

from consult.controllers.organisations._invites import AcceptInviteController
from consult.controllers.organisations._registry import OrganisationsController

ORGANISATION_CONTROLLERS: tuple[type, ...] = (OrganisationsController, AcceptInviteController)

__all__ = ["ORGANISATION_CONTROLLERS"]
