"""The planner's outreach view: who is reached, against targets, and who to invite
next (web layer)."""

from analysis.outreach_pages._outreach import OutreachController

OUTREACH_CONTROLLERS: tuple[type, ...] = (OutreachController,)

__all__ = ["OUTREACH_CONTROLLERS"]
