"""Baseline for submissions: bare Litestar inserting one row per POST.

Piccolo's stock `SQLiteEngine` with its default settings (a new connection per
query, the default rollback journal, no lock of our own), into a SQLite file of its
own. It serves a one-field form as the app does, so the same load client drives
both: GET the form once, then POST it with a fresh idempotency key each time.
"""

from __future__ import annotations

import os

from litestar import Litestar, Request, get, post
from litestar.response import Redirect, Response
from piccolo.columns import Text, Varchar
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

DATABASE_ENV = "BENCH_INSERT_DATABASE"  # the SQLite file, set by the benchmark
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
            answer=str(data.get("answer", "")),
        )
    )
    return Redirect("/thanks", status_code=303)


async def _create_table() -> None:
    await BenchSubmission.create_table(if_not_exists=True)


def create_app() -> Litestar:
    # Bound here, not at import, so that importing this module needs no environment.
    BenchSubmission._meta.db = SQLiteEngine(path=os.environ[DATABASE_ENV])
    return Litestar(route_handlers=[form, submit], on_startup=[_create_table])
