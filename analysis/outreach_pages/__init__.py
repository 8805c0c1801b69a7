"""The planner's outreach view: who is reached, against targets, and who to invite next (web layer)."""

OUTREACH_CONTROLLERS: tuple[type, ...] = ()

__all__ = ["OUTREACH_CONTROLLERS"]
