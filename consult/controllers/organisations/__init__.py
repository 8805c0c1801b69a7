"""The organisation registry and invitations to its staff (planners), and accepting an invitation (web layer)."""

ORGANISATION_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["ORGANISATION_CONTROLLERS"]
