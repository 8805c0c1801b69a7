"""Background jobs any app process can take: one claim rule, leases, retries.

A job is a row with a lease: a Job (an export, the day's purge) or a row of a queue
of the same shape (surveys.tables.PendingText, a text answer waiting for analysis).
take() is the one claim rule: in one write transaction the oldest free rows are
selected and given a lease and one more attempt. On PostgreSQL the select is
FOR UPDATE SKIP LOCKED, so a claim in another process's transaction skips those
rows instead of waiting for them or taking them too; on SQLite the transaction is
IMMEDIATE, which excludes every other writer (one process serves a SQLite file).

A running job's lease is renewed while it works (hold(): with each progress report
and every RENEW_EVERY_S besides); a job whose process died keeps its old lease,
and once that runs out any process takes it again, one attempt more. An error is
an attempt too: the job goes back to the queue. After the settings' job_attempts
it is failed with its error, which its page shows. Every write a runner makes
names the attempt it holds, so a runner whose job was taken from it (it seemed
dead) stops without touching the row.

Leases are times on the app's clock, not the database's: the servers of one site
keep time with NTP, and a lease is minutes, not milliseconds.
"""

from consult.jobs._claims import (
    LEASE,
    STOPPED,
    Claim,
    claim,
    create,
    insert,
    lease_free,
    max_attempts,
    now,
    params_of,
    requeue_dead,
    take,
)
from consult.jobs._holding import (
    PROGRESS_EVERY_S,
    RENEW_EVERY_S,
    JobLost,
    Progress,
    fail,
    finish,
    hold,
    release,
    renew,
)

__all__ = [
    "LEASE",
    "PROGRESS_EVERY_S",
    "RENEW_EVERY_S",
    "STOPPED",
    "Claim",
    "JobLost",
    "Progress",
    "claim",
    "create",
    "fail",
    "finish",
    "hold",
    "insert",
    "lease_free",
    "max_attempts",
    "now",
    "params_of",
    "release",
    "renew",
    "requeue_dead",
    "take",
]
