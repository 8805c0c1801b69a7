"""Piccolo's configuration: the engine DATABASE_URL names, and the apps."""

from piccolo.conf.apps import AppRegistry

from consult.database import make_engine
from consult.settings import get_settings

DB = make_engine(get_settings())

APP_REGISTRY = AppRegistry(
    apps=[
        "piccolo.apps.user.piccolo_app",
        "consult.piccolo_app",
        "surveys.piccolo_app",
        "analysis.piccolo_app",
    ]
)
