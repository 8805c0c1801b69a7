import os

from piccolo.conf.apps import AppConfig

from consult.tables import AuditEvent, Consultation, Organisation, Staff

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="consult",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Organisation, Staff, Consultation, AuditEvent],
    migration_dependencies=["piccolo.apps.user.piccolo_app"],
    commands=[],
)
