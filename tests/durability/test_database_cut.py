"""PostgreSQL cuts the app's connections mid-run (pg_terminate_backend, as a
failover or a restart of the database would): residents keep sending, the app
recovers by itself, nothing acknowledged is lost, and while a form cannot be
stored nobody is told it was received. The real PostgreSQL server is never
stopped: other test runs use it; only this run's own database is cut off."""

from __future__ import annotations

import asyncio

import pytest

from tests.conftest import ENGINE, POSTGRES_URL, RUN_DATABASE
from tests.durability.checks import not_stored_whole
from tests.durability.load import Load
from tests.durability.test_kill import answers

pytestmark = [
    pytest.mark.durability,
    pytest.mark.postgres_only,
    pytest.mark.skipif(ENGINE != "postgres", reason="cuts PostgreSQL's connections"),
]
CUTS = 3
MOST_CUTS = 15


def _refusals(load: Load) -> list[int]:
    """The statuses of the sends that were refused (a cut met them) so far."""
    return [status for sent in list(load.sent) for status in sent.refused]


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("durable-cut")


async def _cut_connections() -> int:
    """Terminate every connection to this run's database but the one asking."""
    import asyncpg

    connection = await asyncpg.connect(POSTGRES_URL)
    try:
        rows = await connection.fetch(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = $1 AND pid <> pg_backend_pid()",
            RUN_DATABASE,
        )
        return len(rows)
    finally:
        await connection.close()


def test_the_app_recovers_when_postgresql_cuts_its_connections(survey, zygote):
    server = zygote.server().start()
    load = Load(server.base_url, survey.submit_url, answers(survey), rate=25).start()
    cut = []
    try:
        # At least CUTS cuts, and more (up to MOST_CUTS) until one has met a form in
        # flight: with commits that fast, a cut can fall between two transactions.
        for n in range(MOST_CUTS):
            if n >= CUTS and _refusals(load):
                break
            load.wait_for(len(load.acknowledged()) + 25)
            cut.append(asyncio.run(_cut_connections()))
        # Recovered: forms are acknowledged again after the last cut.
        load.wait_for(len(load.acknowledged()) + 25)
    finally:
        load.stop()
        server.stop()
    assert all(cut), "each cut terminated the app's connections"
    acknowledged = load.acknowledged()
    assert not not_stored_whole(acknowledged), "an acknowledged form was lost or half stored"
    refusals = _refusals(load)
    assert refusals, "some forms met a cut connection (else the test proved nothing)"
    assert not [status for status in refusals if 200 <= status < 400], (
        "a form that was not stored was answered as if it were"
    )
    assert sum(sent.false_confirmations for sent in load.sent) == 0
