import os

from piccolo.conf.apps import AppConfig

from surveys.tables import (
    Answer,
    ConditionOption,
    DisplayCondition,
    Option,
    PendingText,
    Question,
    Response,
    ResumeDraft,
    Statement,
    SubmissionTrace,
    Survey,
    Tally,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="surveys",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Survey,
        Question,
        Option,
        Statement,
        DisplayCondition,
        ConditionOption,
        Response,
        Answer,
        ResumeDraft,
        Tally,
        PendingText,
        SubmissionTrace,
    ],
    migration_dependencies=["consult.piccolo_app"],
    commands=[],
)
