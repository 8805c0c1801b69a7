"""One job per idempotency key: the daily purge is asked for by every app process,
and this index makes it one row a day (an insert ON CONFLICT DO NOTHING). Its own
migration: a manager runs raw SQL before the columns it adds. NULL keys (jobs asked
for each time, like exports) are all distinct to a unique index on both engines."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-04T18:41:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "job: one job per idempotency key"


class _Job(Table, tablename="job"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="consult", description=DESCRIPTION)

    async def one_job_per_key():
        await _Job.raw("CREATE UNIQUE INDEX job_one_per_key ON job (idempotency_key)")

    async def drop_it():
        await _Job.raw("DROP INDEX job_one_per_key")

    manager.add_raw(one_job_per_key)
    manager.add_raw_backwards(drop_it)
    return manager
