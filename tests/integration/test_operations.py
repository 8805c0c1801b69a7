"""What an operator does: migrate, load the demo twice, check health."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ENGINE, ROOT, fresh_sqlite_copy
from tests.fixtures import run_in_fresh_loop


def consult(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "consult.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_health_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_fails_when_the_database_is_gone(client):
    if ENGINE != "sqlite":
        pytest.skip("stopping PostgreSQL would affect everything else on the machine")
    from piccolo.engine import engine_finder

    engine = engine_finder()
    kept = engine.path
    engine.path = "/nonexistent-dir/consult.sqlite3"
    try:
        response = client.get("/healthz")
    finally:
        engine.path = kept
    assert response.status_code == 503


def test_demo_loads_once(database):
    if ENGINE == "sqlite":
        url = f"sqlite:///{fresh_sqlite_copy('demo-twice')}"
    else:
        url = os.environ["DATABASE_URL"]
    first = consult("demo", database_url=url)
    second = consult("demo", database_url=url)
    assert "Sign in at /staff/login as 'planner'" in first.stdout
    assert first.stdout == second.stdout

    from consult.database import make_engine
    from consult.settings import Settings

    engine = make_engine(Settings(database_url=url))

    async def counts():
        consultations = await engine._run_in_new_connection(
            "SELECT COUNT(*) AS n FROM consultation WHERE slug = 'reykjavik-needs-assessment'"
        )
        responses = await engine._run_in_new_connection(
            "SELECT COUNT(*) AS n FROM response WHERE status = 'complete'"
        )
        texts = await engine._run_in_new_connection(
            "SELECT COUNT(*) AS n FROM answer WHERE text LIKE '%ð%' OR text LIKE '%ł%'"
            " OR text LIKE '%ę%'"
        )
        return consultations[0]["n"], responses[0]["n"], texts[0]["n"]

    consultations, responses, icelandic_or_polish = run_in_fresh_loop(counts)
    assert consultations == 1
    assert responses == 300
    assert icelandic_or_polish > 0


def test_migrate_puts_sqlite_in_wal_mode(database):
    if ENGINE != "sqlite":
        pytest.skip("WAL is a SQLite setting")
    import sqlite3

    path = fresh_sqlite_copy("wal-check")
    consult("migrate", database_url=f"sqlite:///{path}")
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
