"""Residents keep sending while the server is killed with SIGKILL and restarted,
several times: afterwards every form the server acknowledged is stored, whole and
once, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest

from tests.durability.checks import not_stored_whole, stored
from tests.durability.load import Load

pytestmark = pytest.mark.durability
KILLS = 3


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("durable-kill")


def answers(survey) -> dict[str, str]:
    ids, options = survey.question_ids, survey.option_ids
    return {
        f"q{ids['single']}": str(options["single"][2]),
        f"q{ids['scale']}": str(options["scale"][3]),
        f"q{ids['text']}": "Still here after the crash.",
    }


def test_nothing_acknowledged_is_lost_when_the_server_is_killed(survey, zygote):
    server = zygote.server().start()
    load = Load(server.base_url, survey.submit_url, answers(survey), rate=25).start()
    try:
        for _ in range(KILLS):
            load.wait_for(len(load.acknowledged()) + 25)
            # Killed while it takes forms: those in flight are sent again, with the
            # same key, as a browser's resend would, until it is back on its port.
            server.kill()
            server.start()
        load.wait_for(len(load.acknowledged()) + 25)
    finally:
        load.stop()
        server.stop()
    acknowledged = load.acknowledged()
    assert len(acknowledged) >= 25 * (KILLS + 1)
    assert not not_stored_whole(acknowledged), "an acknowledged form was lost or half stored"
    assert sum(sent.false_confirmations for sent in load.sent) == 0
    # Forms sent but never acknowledged (cut off by the last stop) may or may not be
    # stored; either way only once, and whole.
    everything = stored([sent.key for sent in load.sent])
    assert set(everything.values()) <= {3}
    retried = [sent for sent in load.sent if sent.acknowledged and sent.refused]
    assert retried, "some forms were sent again after a kill (else the test proved nothing)"
