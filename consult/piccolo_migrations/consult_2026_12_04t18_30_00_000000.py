"""One text per field and language: saving a translation replaces it (an upsert on
this index). Its own migration: a manager runs raw SQL before the tables it adds."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-04T18:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "content_translation: one text per (consultation, locale, field)"


class _ContentTranslation(Table, tablename="content_translation"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="consult", description=DESCRIPTION)

    async def one_text_per_field():
        await _ContentTranslation.raw(
            "CREATE UNIQUE INDEX content_translation_one_text"
            " ON content_translation (consultation, locale, field)"
        )

    async def drop_it():
        await _ContentTranslation.raw("DROP INDEX content_translation_one_text")

    manager.add_raw(one_text_per_field)
    manager.add_raw_backwards(drop_it)
    return manager
