import os

from piccolo.conf.apps import AppConfig

from consult.tables import (
    ApiToken,
    AuditEvent,
    Consultation,
    ContentTranslation,
    Finding,
    FindingPartner,
    HostedSession,
    Job,
    Organisation,
    OrganisationTag,
    OutreachTarget,
    RateLimit,
    SessionGroup,
    Staff,
    StaffInvite,
    StrategyArea,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="consult",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[
        Organisation,
        Staff,
        Consultation,
        AuditEvent,
        HostedSession,
        SessionGroup,
        StrategyArea,
        Finding,
        FindingPartner,
        ApiToken,
        Job,
        OrganisationTag,
        StaffInvite,
        OutreachTarget,
        RateLimit,
        ContentTranslation,
    ],
    migration_dependencies=["piccolo.apps.user.piccolo_app"],
    commands=[],
)
