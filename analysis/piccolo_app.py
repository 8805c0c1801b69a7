import os

from piccolo.conf.apps import AppConfig

from analysis.tables import (
    Coding,
    FindingEvidence,
    Indicator,
    IndicatorOption,
    Quote,
    SafeguardingFlag,
    TextAnswer,
    Theme,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="analysis",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        TextAnswer,
        SafeguardingFlag,
        Theme,
        Coding,
        Indicator,
        IndicatorOption,
        Quote,
        FindingEvidence,
    ],
    migration_dependencies=["surveys.piccolo_app"],
    commands=[],
)
