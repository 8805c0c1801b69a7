"""The read-only JSON API for a city's BI tools (web layer), with token
authentication, and the OpenAPI schema that describes it alone."""

from litestar.openapi import OpenAPIConfig

API_CONTROLLERS: tuple[type, ...] = ()


def openapi_config() -> OpenAPIConfig | None:
    """The schema served at /schema (issue 9 narrows it to the JSON API)."""
    return OpenAPIConfig(title="consult", version="1")


__all__ = ["API_CONTROLLERS", "openapi_config"]
