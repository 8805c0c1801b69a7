"""Baseline for submissions: bare Litestar inserting one row per POST.

Piccolo's stock engines with their default settings, into a table of its own:
on SQLite `SQLiteEngine` (a new connection per query, the default rollback
journal, no lock of our own) on a file of its own; on PostgreSQL `PostgresEngine`
with the connection pool Piccolo's docs start for an ASGI app, in the run's
database. It serves a form as the app does, so the same load client drives both:
the POSTs carry the app's bodies (every answer, free text included); the row
holds the idempotency key and the answers' values, joined.
"""

from __future__ import annotations

import os

from litestar import Litestar, Request, get, post
from litestar.logging.config import LoggingConfig
from litestar.response import Redirect, Response
from piccolo.columns import Text, Varchar
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

DATABASE_ENV = "BENCH_INSERT_DATABASE"  # a SQLite file, or a postgres:// URL
FORM_PATH = "/form"
SUBMIT_PATH = "/submit"

FORM_PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Baseline form</title></head>
<body><form method="post" action="{SUBMIT_PATH}">
<input type="hidden" name="idempotency_key" value="">
<label for="answer">Your answer</label>
<textarea id="answer" name="answer"></textarea>
<button type="submit">Send</button>
</form></body></html>
"""


class BenchSubmission(Table, tablename="bench_submission"):
    idempotency_key = Varchar(length=64, unique=True)
    answer = Text()


@get(FORM_PATH, sync_to_thread=False)
def form() -> Response[str]:
    return Response(FORM_PAGE, media_type="text/html")


@post(SUBMIT_PATH)
async def submit(request: Request[object, object, object]) -> Redirect:
    data = await request.form()
    await BenchSubmission.insert(
        BenchSubmission(
            idempotency_key=str(data.get("idempotency_key", "")),
            answer="\n".join(str(value) for name, value in data.multi_items() if name[:1] == "q"),
        )
    )
    return Redirect("/thanks", status_code=303)


async def _start() -> None:
    engine = BenchSubmission._meta.db
    if isinstance(engine, PostgresEngine):
        await engine.start_connection_pool()
    await BenchSubmission.create_table(if_not_exists=True)


async def _stop() -> None:
    engine = BenchSubmission._meta.db
    if isinstance(engine, PostgresEngine):
        await engine.close_connection_pool()


def create_app() -> Litestar:
    # Bound here, not at import, so that importing this module needs no environment.
    target = os.environ[DATABASE_ENV]
    if target.startswith("postgres"):
        BenchSubmission._meta.db = PostgresEngine(config={"dsn": target})
    else:
        BenchSubmission._meta.db = SQLiteEngine(path=target)
    return Litestar(
        route_handlers=[form, submit],
        on_startup=[_start],
        on_shutdown=[_stop],
        # A failed insert's error goes to the server's log (bench/…/insert.log).
        logging_config=LoggingConfig(log_exceptions="always"),
    )
