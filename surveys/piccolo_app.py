import os

from piccolo.conf.apps import AppConfig

from surveys.tables import Answer, Option, Question, Response, Survey

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[Survey, Question, Option, Response, Answer],
    migration_dependencies=["consult.piccolo_app"],
    commands=[],
)
