"""Sign-in throttled per account and per address: after 10 wrong passwords for one
account, or 30 from one address, even the right password is refused with 429, a
Retry-After header and a message on the form, with the username kept. Before the
limit a person who mistyped a few times still gets in, and a right password does
not count against them."""

from __future__ import annotations

import pytest

from tests.fixtures import PASSWORD, page_text, sign_in

TOO_MANY = "Too many attempts to sign in. Wait 15 minutes and try again."


@pytest.fixture(autouse=True)
def no_counts_yet(client, run):
    """Every test starts with no attempt counted (they all come from one address)."""
    from consult.tables import RateLimit

    run(RateLimit.delete(force=True).run)
    yield
    client.cookies.clear()


@pytest.fixture(scope="module")
def staff(make_staff):
    for name in ("tia.target", "ola.other", "eva.elsewhere"):
        make_staff(name, "planner")


def _opens_staff(client) -> bool:
    return client.get("/staff", follow_redirects=False).status_code == 200


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, staff):
    for attempt in range(30):
        refused = sign_in(client, "tia.target", f"wrong guess number {attempt}")
        assert refused.status_code in (422, 429)
    right = sign_in(client, "tia.target", PASSWORD)
    assert right.status_code == 429
    assert 1 <= int(right.headers["retry-after"]) <= 15 * 60
    text = page_text(right.text)
    assert text.startswith("Error:")
    assert TOO_MANY in text
    assert 'value="tia.target"' in right.text, "the username typed is kept"
    assert not _opens_staff(client)


def test_the_eleventh_attempt_for_one_account_is_refused(client, staff):
    for attempt in range(10):
        wrong = sign_in(client, "tia.target", f"wrong guess number {attempt}")
        assert wrong.status_code == 422
        assert "Enter a correct username and password." in page_text(wrong.text)
    assert sign_in(client, "tia.target", PASSWORD).status_code == 429
    assert not _opens_staff(client)
    # The limit is the account's: another account signs in from the same address.
    assert sign_in(client, "ola.other", PASSWORD).status_code == 303
    assert _opens_staff(client)


def test_the_account_is_counted_whatever_the_case_of_its_name(client, staff):
    for attempt in range(10):
        sign_in(client, "TIA.target" if attempt % 2 else "tia.TARGET", f"wrong {attempt}")
    assert sign_in(client, "tia.target", PASSWORD).status_code == 429


def test_thirty_wrong_passwords_from_one_address_stop_every_account(client, staff):
    # Three wrong passwords for each of ten names, none over the account limit.
    for attempt in range(30):
        wrong = sign_in(client, f"guessed.name{attempt % 10}", "wrong password here")
        assert wrong.status_code == 422
    right = sign_in(client, "eva.elsewhere", PASSWORD)
    assert right.status_code == 429
    assert right.headers["retry-after"].isdigit()
    assert TOO_MANY in page_text(right.text)
    assert not _opens_staff(client)


def test_a_few_mistakes_do_not_lock_a_person_out(client, staff):
    for attempt in range(9):
        assert sign_in(client, "tia.target", f"typo {attempt}").status_code == 422
    assert sign_in(client, "tia.target", PASSWORD).status_code == 303
    assert _opens_staff(client)


def test_right_passwords_do_not_count(client, staff):
    for _ in range(12):
        assert sign_in(client, "ola.other", PASSWORD).status_code == 303
    assert _opens_staff(client)
