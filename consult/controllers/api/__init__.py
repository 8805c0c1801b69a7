"""The read-only JSON API for a city's BI tools (web layer), with token
authentication, the admin's token page, and the OpenAPI schema that describes the
API alone."""

from __future__ import annotations

from litestar import Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import Components, SecurityScheme
from litestar.types import ControllerRouterHandler

from consult.controllers.api._routes import API_PREFIX, BEARER, api_router
from consult.controllers.api._schema import ApiJsonPlugin, ApiYamlPlugin, api_only
from consult.controllers.api._tokens import ApiTokenController

API_CONTROLLERS: tuple[ControllerRouterHandler, ...] = (api_router, ApiTokenController)

DESCRIPTION = (
    "Read-only figures of a city's consultations for BI tools: results per question "
    "and by group, themes, indicators and findings. Counts below a consultation's k "
    "(higher for special-category questions), and any count that would reveal one, "
    "are null, exactly as on the planners' pages. No respondent's own words are "
    "given, except quotes a planner approved (personal data removed). Send "
    "`Authorization: Bearer <token>`; an admin makes tokens at /staff/api-tokens."
)


def openapi_config() -> OpenAPIConfig:
    """The schema at /schema (/schema/openapi.json, /schema/openapi.yaml): the API's
    paths only, no documentation viewer, the bearer scheme documented."""
    return OpenAPIConfig(
        title="consult API",
        version="1",
        description=DESCRIPTION,
        use_handler_docstrings=True,
        components=Components(
            security_schemes={
                BEARER: SecurityScheme(
                    type="http",
                    scheme="bearer",
                    description="An API token (consult_...), made by an admin.",
                )
            }
        ),
        security=[{BEARER: []}],
        render_plugins=[ApiJsonPlugin(API_PREFIX), ApiYamlPlugin(API_PREFIX)],
        # Public: it describes the API and holds no data. GET only, no cookie set.
        openapi_router=Router(
            path="/schema",
            route_handlers=[],
            include_in_schema=False,
            opt={"exclude_from_csrf": True},
        ),
    )


__all__ = ["API_CONTROLLERS", "API_PREFIX", "api_only", "openapi_config"]
