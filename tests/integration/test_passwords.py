"""The password policy, wherever a password is set: `consult createuser`, the
invitation page and create_user itself refuse one shorter than 12 characters, one
containing the username, a common or leaked one, one word with digits around it,
and an easy pattern, each with a message that says why (in the person's language on
the invitation page); a passphrase of unrelated words is accepted."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import consult_cli, page_text, post_form, signed_in_as

LINK = re.compile(r'value="https?://[^"]+(/invite/[A-Za-z0-9_-]+)"')
GOOD = "tram lilac anchor puzzle"

REFUSED = [
    ("aaaaaaaaaaaa", "repeats characters or follows a pattern"),
    ("abcdefghijkl", "repeats characters or follows a pattern"),
    ("password1234", "on a list of common or leaked passwords"),
    ("P@ssw0rd2026", "on a list of common or leaked passwords"),
    ("qwertyuiop12", "on a list of common or leaked passwords"),
    ("reykjavik2026", "One word with numbers or symbols around it"),
    ("Helsinki2026!", "One word with numbers or symbols around it"),
    ("short pass", "at least 12 characters"),
]


@pytest.mark.parametrize(("password", "why"), REFUSED)
def test_the_policy_says_why_a_password_is_refused(password, why):
    from consult.services import passwords

    reason = passwords.problem(password, "pia.planner")
    assert reason is not None
    assert why in passwords.MESSAGES[reason] % passwords.limits()


def test_a_password_with_the_username_in_it_is_refused():
    from consult.services import passwords

    assert passwords.problem("pia.planner-is-me", "pia.planner") == "username"
    assert passwords.problem("PIA.PLANNER rules ok", "pia.planner") == "username"


@pytest.mark.parametrize("password", [GOOD, "correct horse battery", "Tr0ub4dour&3x long"])
def test_a_passphrase_of_unrelated_words_is_accepted(password):
    from consult.services import passwords

    assert passwords.problem(password, "pia.planner") is None


def test_a_very_long_password_is_judged_without_error():
    from consult.services import passwords

    sentence = (
        "the quiet harbour lights flicker while seven purple kites drift over an "
        "empty tram depot at dawn"
    )
    assert len(sentence) > 72  # more than zxcvbn itself takes
    assert passwords.problem(sentence, "") is None
    assert passwords.problem("x" * 129, "") == "long"


def test_createuser_refuses_a_weak_password_for_an_admin(client, run, monkeypatch):
    from piccolo.apps.user.tables import BaseUser

    monkeypatch.setenv("CONSULT_NEW_PASSWORD", "aaaaaaaaaa")
    refused = consult_cli("createuser", "root.admin", "--role", "admin")
    assert refused.returncode != 0
    assert "at least 12 characters" in refused.stderr
    monkeypatch.setenv("CONSULT_NEW_PASSWORD", "password1234")
    common = consult_cli("createuser", "root.admin", "--role", "admin")
    assert common.returncode != 0
    assert "common or leaked passwords" in common.stderr
    assert "Created" not in common.stdout
    assert not run(BaseUser.exists().where(BaseUser.username == "root.admin").run)


def test_createuser_accepts_a_passphrase(client, run, monkeypatch):
    from piccolo.apps.user.tables import BaseUser

    monkeypatch.setenv("CONSULT_NEW_PASSWORD", GOOD)
    made = consult_cli("createuser", "root.admin", "--role", "admin")
    assert made.returncode == 0, made.stderr
    assert run(BaseUser.exists().where(BaseUser.username == "root.admin").run)


def test_create_user_itself_refuses_a_weak_password(run):
    from consult.services.staff import WeakPassword, create_user
    from consult.tables import Role

    with pytest.raises(WeakPassword) as refused:
        run(create_user, "weak.admin", "reykjavik2026", Role.admin)
    assert refused.value.reason == "word"


@pytest.fixture(scope="module")
def invite_path(client, run, make_staff):
    """A path to accept a fresh invitation to an organisation (made by a planner)."""
    from consult.tables import Organisation, OrganisationKind

    make_staff("pw-planner", "planner")
    rows = run(
        Organisation.insert(
            Organisation(name="Chess club", kind=OrganisationKind.sports.value, city="Reykjavik")
        ).run
    )
    organisation_id = rows[0]["id"]

    def make() -> str:
        signed_in_as(client, "pw-planner")
        page = f"/staff/organisations/{organisation_id}"
        made = post_form(client, page, f"{page}/invites", {})
        match = LINK.search(made.text)
        assert match
        client.cookies.clear()
        return match.group(1)

    return make


@pytest.mark.parametrize(("password", "why"), REFUSED[:6])
def test_the_invitation_page_refuses_a_weak_password_and_says_why(
    client, invite_path, password, why
):
    path = invite_path()
    sent = post_form(
        client,
        path,
        path,
        {"username": "new.helper", "password": password, "confirm": password},
    )
    assert sent.status_code == 422
    text = page_text(sent.text)
    assert why in text
    assert 'value="new.helper"' in sent.text, "the username typed is kept"
    assert password not in sent.text
