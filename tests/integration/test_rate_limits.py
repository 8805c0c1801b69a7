"""Guessing join codes: ten wrong codes per address per ten minutes, then 429 with
Retry-After, even for a correct code; a cap for everyone together; counters kept in
the database under a keyed hash, never an address."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.fixtures import csrf_token
from tests.integration.test_join import new_session

TOO_MANY = "Too many codes tried. Wait a few minutes and try again."
CODE = "ACDEFGHJKM"


@pytest.fixture(scope="module")
def survey(make_survey, run):
    made = make_survey("guessing-city")
    new_session(run, made, "own_phones", CODE)
    return made


def _join(client, typed: str):
    page = client.get("/join")
    return client.post(
        "/join", data={"_csrf_token": csrf_token(page.text), "code": typed}, follow_redirects=False
    )


def _rows(run):
    from consult.tables import RateLimit

    return run(RateLimit.select(RateLimit.key, RateLimit.hits, RateLimit.window_start).run)


def test_the_eleventh_wrong_code_from_one_address_is_refused(client, run, survey):
    # Correct codes do not count: joining many times leaves the address free.
    for _ in range(12):
        assert _join(client, CODE.lower()).status_code == 303
    for attempt in range(10):
        refused = _join(client, f"ACDEFGHJ{attempt}X")
        assert refused.status_code == 422, attempt
    blocked = _join(client, "ACDEFGHJKX")
    assert blocked.status_code == 429
    assert TOO_MANY in blocked.text
    assert re.search(r'name="code" value="ACDEFGHJKX"', blocked.text)
    retry_after = int(blocked.headers["retry-after"])
    assert 0 < retry_after <= 600
    # Locked out, even the right code waits: that is what makes guessing pointless.
    right = _join(client, CODE)
    assert right.status_code == 429
    assert int(right.headers["retry-after"]) <= retry_after
    # The QR link is the same door.
    assert client.get(f"/j/{CODE}", follow_redirects=False).status_code == 429


def test_the_table_holds_keyed_hashes_never_an_address(client, run, survey):
    from consult.services.rate_limits import key_for
    from surveys.kiosk import CODE_TRIES_PER_ADDRESS

    rows = _rows(run)
    assert rows
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row["key"]), row
        assert "testclient" not in row["key"]
    # The test client's address, hashed under the secret key, is one of them.
    mine = key_for(CODE_TRIES_PER_ADDRESS.purpose, "testclient")
    assert any(row["key"] == mine and row["hits"] >= 11 for row in rows)


def test_another_address_is_not_held_up(client, run, survey):
    from surveys import kiosk

    assert run(kiosk.count_code_try, "192.0.2.7") is None


def test_a_window_that_ended_starts_again(client, run, survey):
    from consult.services import rate_limits

    # A window long enough that a loaded machine's three hits all fall in it.
    limit = rate_limits.Limit("test:window", 2, timedelta(minutes=1))
    assert run(rate_limits.hit, limit, "a").allowed
    assert run(rate_limits.hit, limit, "a").allowed
    assert not run(rate_limits.hit, limit, "a").allowed
    # Back-date the window as if two minutes had passed.
    from consult.tables import RateLimit

    key = rate_limits.key_for("test:window", "a")
    row = run(RateLimit.select(RateLimit.window_start).where(RateLimit.key == key).first().run)
    run(
        RateLimit.update({RateLimit.window_start: row["window_start"] - timedelta(minutes=2)})
        .where(RateLimit.key == key)
        .run
    )
    again = run(rate_limits.hit, limit, "a")
    assert again.allowed
    assert again.hits == 1


def test_a_given_back_try_does_not_count(client, run, survey):
    from consult.services import rate_limits

    limit = rate_limits.Limit("test:give-back", 1, timedelta(minutes=1))
    for _ in range(3):
        assert run(rate_limits.hit, limit, "b").allowed
        run(rate_limits.give_back, limit, "b")
    assert run(rate_limits.current, limit, "b").hits == 0


def test_many_addresses_together_meet_the_cap_for_everyone(client, run, survey, monkeypatch):
    from consult.services import rate_limits
    from surveys import kiosk

    monkeypatch.setattr(
        kiosk, "CODE_TRIES_EVERYWHERE", rate_limits.Limit("test:everyone", 5, timedelta(minutes=1))
    )
    outcomes = [run(kiosk.count_code_try, f"198.51.100.{n}") for n in range(7)]
    assert outcomes[:5] == [None] * 5
    assert all(outcome is not None and outcome.retry_after > 0 for outcome in outcomes[5:])


def test_parallel_guesses_cannot_slip_under_the_limit(client, run, survey):
    """Counted by one atomic upsert: twenty at once give twenty distinct counts."""
    import asyncio

    from consult.services import rate_limits

    limit = rate_limits.Limit("test:parallel", 10, timedelta(minutes=10))

    async def burst():
        return await asyncio.gather(*[rate_limits.hit(limit, "c") for _ in range(20)])

    counts = run(burst)
    assert sorted(count.hits for count in counts) == list(range(1, 21))
    assert sum(count.allowed for count in counts) == 10


def test_old_counters_are_forgotten(client, run, survey):
    from consult.services import rate_limits
    from consult.tables import RateLimit

    limit = rate_limits.Limit("test:old", 5, timedelta(minutes=1))
    run(rate_limits.hit, limit, "d")
    key = rate_limits.key_for("test:old", "d")
    row = run(RateLimit.select(RateLimit.window_start).where(RateLimit.key == key).first().run)
    run(
        RateLimit.update({RateLimit.window_start: row["window_start"] - timedelta(days=2)})
        .where(RateLimit.key == key)
        .run
    )
    run(rate_limits.forget_old)
    assert not run(RateLimit.exists().where(RateLimit.key == key).run)
