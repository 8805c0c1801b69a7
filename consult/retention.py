"""Retention: responses past their consultation's retention date are deleted, by
`consult purge` and once a day by the app (consult/services/purge.py).

Every app process runs the loop; once an hour it asks whether a purge is due (a
read, no write). The first process to claim the day's purge does it: the claim is
an audit row written in one transaction with the check, so on PostgreSQL with
several processes, or after restarts, a purge runs at most once a day.
"""

from __future__ import annotations

import logging

from consult.background import BackgroundLoop
from consult.services import purge

log = logging.getLogger(__name__)

# How often each process asks whether the day's purge is due.
CHECK_EVERY_S = 3600.0


async def daily_purge() -> bool:
    """One pass of the loop: purge if it is due and no purge ran in the last day;
    whether this process purged."""
    if not await purge.due():
        return False
    claim = await purge.claim_daily()
    if claim is None:
        return False
    report = await purge.purge(claim=claim)
    # Counts only: a consultation's title is no secret, but a log needs none of it.
    log.info(
        "daily purge: %d responses of %d consultations, %d drafts",
        report.responses,
        len(report.consultations),
        report.drafts,
    )
    return True


def purge_worker() -> BackgroundLoop:
    """The daily purge loop for an app process."""
    return BackgroundLoop(
        "retention-purge", daily_purge, idle_s=CHECK_EVERY_S, max_rest_s=CHECK_EVERY_S
    )
