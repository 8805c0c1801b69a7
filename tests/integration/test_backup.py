"""`consult backup OUT`: a consistent copy of the SQLite database taken while
residents are submitting, which opens, passes SQLite's integrity check and holds
every response acknowledged before it began; it never overwrites a file, and on
PostgreSQL it points to pg_dump."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import ENGINE
from tests.durability.load import Load
from tests.durability.server import Server
from tests.fixtures import consult_cli


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("backup-city")


def _answers(survey) -> dict[str, str]:
    ids, options = survey.question_ids, survey.option_ids
    return {
        f"q{ids['single']}": str(options["single"][0]),
        f"q{ids['scale']}": str(options["scale"][2]),
        f"q{ids['text']}": "Backed up while it ran.",
    }


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's own backup")
def test_a_backup_taken_during_submissions_is_whole(survey, tmp_path: Path):
    from piccolo.engine import engine_finder

    server = Server(f"sqlite:///{engine_finder().path}").start()
    load = Load(server.base_url, survey.submit_url, _answers(survey)).start()
    try:
        load.wait_for(20)
        before = load.acknowledged()
        out = tmp_path / "consult-backup.sqlite3"
        done = consult_cli("backup", str(out))
        load.wait_for(len(before) + 10)  # still taking submissions afterwards
    finally:
        load.stop()
        server.stop()
    assert done.returncode == 0, done.stderr
    assert f"Wrote a consistent copy of the database to {out}" in done.stdout
    copy = sqlite3.connect(out)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        keys = {row[0] for row in copy.execute("SELECT idempotency_key FROM response")}
        answers = dict(
            copy.execute(
                "SELECT r.idempotency_key, COUNT(a.id) FROM response r"
                " JOIN answer a ON a.response = r.id GROUP BY r.idempotency_key"
            ).fetchall()
        )
    finally:
        copy.close()
    missing = [key for key in before if key not in keys]
    assert not missing, f"{len(missing)} acknowledged responses are not in the backup"
    assert all(answers[key] == 3 for key in keys), "no response is half in the copy"
    assert len(keys) < len(load.acknowledged()), "the copy is of one moment, not of the end"


@pytest.mark.skipif(ENGINE != "sqlite", reason="SQLite's own backup")
def test_a_backup_never_overwrites_a_file(client, tmp_path: Path):
    out = tmp_path / "precious.sqlite3"
    out.write_bytes(b"yesterday's backup")
    done = consult_cli("backup", str(out))
    assert done.returncode == 2
    assert "exists; a backup never replaces a file" in done.stderr
    assert out.read_bytes() == b"yesterday's backup"
    assert not list(tmp_path.glob(".*partial")), "nothing half-written is left"


@pytest.mark.skipif(ENGINE != "postgres", reason="what PostgreSQL's operators are told")
def test_on_postgresql_the_backup_points_to_pg_dump(client, tmp_path: Path):
    out = tmp_path / "consult.dump"
    done = consult_cli("backup", str(out))
    assert done.returncode == 2
    assert "pg_dump" in done.stderr
    assert not out.exists()
