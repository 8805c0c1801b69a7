"""Liveness for load balancers: 200 when the database answers."""

from __future__ import annotations

from litestar import get
from litestar.response import Response
from piccolo.engine import engine_finder


@get("/healthz", name="healthz", cache=False)
async def healthz() -> Response[dict[str, str]]:
    engine = engine_finder()
    try:
        assert engine is not None
        await engine.run_ddl("SELECT 1")
    except Exception:  # any failure means "not healthy"; the reason stays in the log
        return Response({"status": "database unavailable"}, status_code=503)
    return Response({"status": "ok"})
