"""Test set-up shared by every suite.

The environment is set here, before any consult module is imported, because the
settings and Piccolo's engine are read at import time. CONSULT_TEST_ENGINE picks the
database: `sqlite` (default) or `postgres` (CONSULT_TEST_POSTGRES_URL). On
PostgreSQL the run creates a database of its own on that server and drops it at the
end, so two checkouts testing against one server never wipe each other's data.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.passwords import cheap_password_hashing

ROOT = Path(__file__).resolve().parent.parent


def _work_dir() -> Path:
    """A folder for the run's files, in memory where the system has one (/dev/shm).

    SQLite commits with synchronous=FULL, an fsync each, and the suite commits tens
    of thousands of times: on disk that took 2-5 ms a commit here, in memory
    nothing. The app does exactly what it does on disk; only a crash of the whole
    machine, which no test makes, would lose more.
    """
    memory = Path("/dev/shm")  # noqa: S108 (mkdtemp below makes a private folder in it)
    in_memory = memory.is_dir() and os.access(memory, os.W_OK)
    return Path(tempfile.mkdtemp(prefix="consult-tests-", dir=memory if in_memory else None))


_WORK = _work_dir()
# Files a run makes for itself (deleted at its end).
WORK = _WORK
ENGINE = os.environ.get("CONSULT_TEST_ENGINE", "sqlite")
POSTGRES_SERVER_URL = os.environ.get("CONSULT_TEST_POSTGRES_URL", "")
if ENGINE == "postgres" and not POSTGRES_SERVER_URL:
    raise SystemExit("CONSULT_TEST_ENGINE=postgres needs CONSULT_TEST_POSTGRES_URL")
# The run's own database, named per run: pid and a random suffix.
RUN_DATABASE = f"consult_test_{os.getpid()}_{secrets.token_hex(3)}"
POSTGRES_URL = (
    POSTGRES_SERVER_URL.rsplit("/", 1)[0] + "/" + RUN_DATABASE if POSTGRES_SERVER_URL else ""
)

TEMPLATE_DB = _WORK / "migrated.sqlite3"
os.environ.update(
    {
        "PICCOLO_CONF": "consult.piccolo_conf",
        "CONSULT_VAR_DIR": str(_WORK / "var"),
        "CONSULT_SECRET_KEY": "test-secret-key-not-for-production",
        "CONSULT_DEFINITION_CACHE_SECONDS": "0",
        # Tests send hundreds of surveys from one address in seconds: the abuse
        # checks would hold them all. tests/integration/test_abuse.py turns them on.
        "CONSULT_ABUSE_CHECKS": "0",
        "DATABASE_URL": POSTGRES_URL if ENGINE == "postgres" else f"sqlite:///{TEMPLATE_DB}",
    }
)


# After the environment: Piccolo is imported for the first time here.
cheap_password_hashing()


def _migrate(database_url: str) -> None:
    """Run `consult migrate` in a child process, as an operator would."""
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run(
        [sys.executable, "-m", "consult.cli", "migrate"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def _on_postgres_server(statement: str) -> None:
    """Run one statement on the server's own database (CREATE/DROP DATABASE)."""
    import asyncio

    import asyncpg

    async def run() -> None:
        connection = await asyncpg.connect(POSTGRES_SERVER_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run())


def pytest_sessionstart(session) -> None:
    if ENGINE == "postgres":
        _on_postgres_server(f'CREATE DATABASE "{RUN_DATABASE}"')
        # The run's database alone: a commit returns before its WAL reaches the
        # disk (2 ms or more an fsync here). What a committed transaction shows is
        # unchanged; only a crash of the server itself, which no test makes (the
        # durability tests kill the app and cut its connections), could lose one.
        _on_postgres_server(f'ALTER DATABASE "{RUN_DATABASE}" SET synchronous_commit = off')
    _migrate(os.environ["DATABASE_URL"])


def pytest_sessionfinish(session, exitstatus) -> None:
    if ENGINE == "postgres":
        # FORCE: a live server a failed test left behind must not keep the database.
        _on_postgres_server(f'DROP DATABASE IF EXISTS "{RUN_DATABASE}" WITH (FORCE)')
    shutil.rmtree(_WORK, ignore_errors=True)


def fresh_sqlite_copy(name: str) -> Path:
    """A migrated, empty SQLite database file of its own."""
    path = _WORK / f"{name}.sqlite3"
    shutil.copyfile(TEMPLATE_DB, path)
    return path


# Fixtures live in their own module so that this file stays about the environment.
pytest_plugins = ["tests.fixtures"]
