"""The OpenAPI schema at /schema: the JSON API alone, as JSON (and YAML), with no
documentation viewer (each of Litestar's pulls its scripts from a CDN).

The app's pages are Litestar routes too, and only their own packages could mark
them `include_in_schema=False`; instead the schema served here keeps the paths
under the API's prefix and the components those paths refer to, nothing else.

Public on purpose, without a token: it is the published description of the public
read-only API (what a city's BI tool is pointed at before it has a token), it holds
no data, and it names no staff page. Every other path under /schema, each of
Litestar's viewers included, answers 404, and nothing is loaded from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin, YamlRenderPlugin

_REF_PREFIX = "#/components/schemas/"


def _refs(node: Any) -> Iterator[str]:
    """Every component schema `node` refers to, directly."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            yield ref[len(_REF_PREFIX) :]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def api_only(schema: dict[str, Any], prefix: str) -> dict[str, Any]:
    """The schema with only the paths under `prefix` and the component schemas they
    reach (through any number of references)."""
    paths = {
        path: item
        for path, item in (schema.get("paths") or {}).items()
        if path == prefix or path.startswith(prefix + "/")
    }
    components = dict(schema.get("components") or {})
    every = components.get("schemas") or {}
    kept: dict[str, Any] = {}
    waiting = list(_refs(paths))
    while waiting:
        name = waiting.pop()
        if name in kept or name not in every:
            continue
        kept[name] = every[name]
        waiting.extend(_refs(every[name]))
    components["schemas"] = dict(sorted(kept.items()))
    return {**schema, "paths": paths, "components": components}


class _Filtered:
    """Serve the API's part of the app's schema, worked out once per process."""

    prefix: str
    _rendered: bytes | None = None

    def filtered(self, request: Request[Any, Any, Any], schema: dict[str, Any]) -> dict[str, Any]:
        # Plain values first (the schema may hold enums and other objects).
        plain = msgspec.to_builtins(schema)
        return api_only(plain, self.prefix)


class ApiJsonPlugin(_Filtered, JsonRenderPlugin):
    def __init__(self, prefix: str) -> None:
        super().__init__(path=["/openapi.json"])
        self.prefix = prefix

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = self.render_json(request, self.filtered(request, openapi_schema))
        return self._rendered


class ApiYamlPlugin(_Filtered, YamlRenderPlugin):
    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.prefix = prefix

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        if self._rendered is None:
            self._rendered = super().render(request, self.filtered(request, openapi_schema))
        return self._rendered
