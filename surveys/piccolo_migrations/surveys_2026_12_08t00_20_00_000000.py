from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-08T00:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "The tally's cell is unique per shard; responses by survey and status"


class _Tally(Table, tablename="tally"):
    pass


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="surveys", description=DESCRIPTION
    )

    # Raw SQL in a migration of its own: a MigrationManager runs its raw steps before
    # its column changes, and this needs the shard column the previous one adds.
    # Every existing row is shard 0, so the new key is as unique as the old.
    async def unique_cell_per_shard():
        await _Tally.raw("DROP INDEX tally_cell")
        await _Tally.raw(
            "CREATE UNIQUE INDEX tally_cell ON tally (survey, question, option, statement, shard)"
        )

    # The results page counts a survey's responses held for review: an index on
    # (survey, status) answers that from the index alone, at any size.
    async def responses_by_survey_and_status():
        await _Tally.raw("CREATE INDEX response_survey_status ON response (survey, status)")

    manager.add_raw(unique_cell_per_shard)
    manager.add_raw(responses_by_survey_and_status)

    return manager
