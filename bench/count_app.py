"""Baseline for the results page: bare Litestar answering one `SELECT COUNT(*)`
over every stored answer, through Piccolo's stock SQLiteEngine, on the app's own
database file. The cheapest question a results page could ask of the same data."""

from __future__ import annotations

import os

from litestar import Litestar, get
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

DATABASE_ENV = "BENCH_COUNT_DATABASE"  # the app's SQLite file, set by the benchmark
COUNT_PATH = "/count"


class _Answer(Table, tablename="answer"):
    pass


@get(COUNT_PATH)
async def count() -> str:
    rows = await _Answer.raw("SELECT COUNT(*) AS n FROM answer")
    return f"{rows[0]['n']} answers"


def create_app() -> Litestar:
    # Bound here, not at import, so that importing this module needs no environment.
    _Answer._meta.db = SQLiteEngine(path=os.environ[DATABASE_ENV])
    return Litestar(route_handlers=[count])
