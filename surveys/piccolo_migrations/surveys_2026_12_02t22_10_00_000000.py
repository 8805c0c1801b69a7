from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T22:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The tally's unique cell, and the responses stored before it existed"


class _Tally(Table, tablename="tally"):
    pass


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="surveys", description=DESCRIPTION
    )

    # The key surveys.tally upserts on. Piccolo's Unique constraint would be an
    # ALTER TABLE ... ADD CONSTRAINT, which SQLite does not have; an index does.
    async def create_unique_cell():
        await _Tally.raw(
            "CREATE UNIQUE INDEX tally_cell ON tally (survey, question, option, statement)"
        )

    # A frozen copy of surveys.tally.delta_sql("1 = 1", 1) as it was written: every
    # complete response counted once. A new database has none, so it adds nothing.
    async def count_existing_responses():
        await _Tally.raw("INSERT INTO tally (survey, question, option, statement, responses) SELECT survey, question, option, statement, 1 * n FROM (SELECT r.survey AS survey, 0 AS question, 0 AS option, 0 AS statement, COUNT(*) AS n FROM response r WHERE r.status = 'complete' AND (1 = 1) GROUP BY r.survey UNION ALL SELECT r.survey, a.question, 0, 0, COUNT(DISTINCT a.response) FROM answer a JOIN response r ON r.id = a.response WHERE r.status = 'complete' AND (1 = 1) AND a.question IS NOT NULL GROUP BY r.survey, a.question UNION ALL SELECT r.survey, a.question, a.option, 0, COUNT(DISTINCT a.response) FROM answer a JOIN response r ON r.id = a.response WHERE r.status = 'complete' AND (1 = 1) AND a.option IS NOT NULL AND a.statement IS NULL GROUP BY r.survey, a.question, a.option UNION ALL SELECT r.survey, a.question, a.option, a.statement, COUNT(*) FROM answer a JOIN response r ON r.id = a.response WHERE r.status = 'complete' AND (1 = 1) AND a.option IS NOT NULL AND a.statement IS NOT NULL GROUP BY r.survey, a.question, a.option, a.statement UNION ALL SELECT r.survey, a.question, 0, a.statement, COUNT(DISTINCT a.response) FROM answer a JOIN response r ON r.id = a.response WHERE r.status = 'complete' AND (1 = 1) AND a.statement IS NOT NULL GROUP BY r.survey, a.question, a.statement) AS delta WHERE 1 = 1 ORDER BY survey, question, option, statement ON CONFLICT (survey, question, option, statement) DO UPDATE SET responses = tally.responses + excluded.responses")

    manager.add_raw(create_unique_cell)
    manager.add_raw(count_existing_responses)

    return manager
