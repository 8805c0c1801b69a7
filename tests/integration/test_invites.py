"""Inviting an organisation's facilitator on a real database: the link is shown once
and only its hash is kept; accepting it makes a facilitator bound to that
organisation who is signed in and can sign in again; the link then refuses a second
use, an expired one says so, an unknown one is a 404; a weak or mismatched password
is refused with the username kept (never the passwords); a POST without CSRF fails."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.fixtures import csrf_token, page_text, post_form, sign_in, signed_in_as

LINK = re.compile(r'value="(https?://[^"]+/invite/([A-Za-z0-9_-]+))"')
GOOD = "a long enough password"


@pytest.fixture(scope="module")
def organisation(client, run, make_staff):
    from consult.tables import Organisation, OrganisationKind

    make_staff("invite-planner", "planner")
    make_staff("invite-facilitator", "facilitator")
    rows = run(
        Organisation.insert(
            Organisation(
                name="Polish Saturday School", kind=OrganisationKind.school.value, city="Reykjavik"
            )
        ).run
    )
    return rows[0]["id"]


def _invite(client, organisation_id: int) -> tuple[str, str]:
    """Make an invitation as the planner: (the link's path, its secret)."""
    signed_in_as(client, "invite-planner")
    page = f"/staff/organisations/{organisation_id}"
    made = post_form(client, page, f"{page}/invites", {})
    assert made.status_code == 200
    match = LINK.search(made.text)
    assert match, "the reply shows the link"
    assert "it is shown only once" in page_text(made.text)
    assert match.group(2) not in client.get(page).text, "shown once: never again"
    client.cookies.clear()
    return f"/invite/{match.group(2)}", match.group(2)


def _accept(client, path: str, **fields: str):
    return post_form(
        client, path, path, {"username": "anna.k", "password": GOOD, "confirm": GOOD, **fields}
    )


def test_an_accepted_invitation_makes_a_bound_facilitator(client, run, organisation):
    from consult.services.staff import member
    from consult.tables import AuditEvent, Role, StaffInvite

    path, secret = _invite(client, organisation)
    stored = run(StaffInvite.select().where(StaffInvite.organisation == organisation).run)
    assert len(stored) == 1
    assert stored[0]["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(stored[0])
    expires = stored[0]["expires_at"]
    expires = expires if expires.tzinfo else expires.replace(tzinfo=UTC)
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)

    form = client.get(path)
    assert form.status_code == 200
    assert "Join Polish Saturday School as a facilitator" in page_text(form.text)
    accepted = _accept(client, path)
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/staff"
    dashboard = client.get("/staff")
    assert dashboard.status_code == 200, "signed in at once"

    from piccolo.apps.user.tables import BaseUser

    user_id = run(BaseUser.select(BaseUser.id).where(BaseUser.username == "anna.k").first().run)[
        "id"
    ]
    found = run(member, user_id)
    assert found.role is Role.facilitator
    assert found.organisation_id == organisation
    assert run(StaffInvite.select().where(StaffInvite.id == stored[0]["id"]).first().run)["used_at"]
    actions = {row["action"] for row in run(AuditEvent.select(AuditEvent.action).run)}
    assert {"create_invite", "accept_invite"} <= actions

    signed_in_as(client, None)
    assert sign_in(client, "anna.k", GOOD).status_code == 303
    # A facilitator is kept out of the registry the invitation came from.
    assert client.get("/staff/organisations", follow_redirects=False).status_code == 403

    signed_in_as(client, None)
    again = client.get(path)
    assert again.status_code == 410
    assert "This invitation has already been used" in page_text(again.text)
    token = csrf_token(client.get("/staff/login").text)
    second = client.post(
        path,
        data={"_csrf_token": token, "username": "someone.else", "password": GOOD, "confirm": GOOD},
        follow_redirects=False,
    )
    assert second.status_code == 410
    assert "This invitation has already been used" in page_text(second.text)
    assert not run(BaseUser.exists().where(BaseUser.username == "someone.else").run)


def test_an_expired_invitation_says_so(client, run, organisation):
    from consult.tables import StaffInvite

    path, secret = _invite(client, organisation)
    digest = hashlib.sha256(secret.encode()).hexdigest()
    run(
        StaffInvite.update({StaffInvite.expires_at: datetime.now(UTC) - timedelta(minutes=1)})
        .where(StaffInvite.token_hash == digest)
        .run
    )
    shown = client.get(path)
    assert shown.status_code == 410
    assert "This invitation has expired; ask the city for a new one" in page_text(shown.text)
    token = csrf_token(client.get("/staff/login").text)
    sent = client.post(
        path,
        data={"_csrf_token": token, "username": "late.one", "password": GOOD, "confirm": GOOD},
        follow_redirects=False,
    )
    assert sent.status_code == 410


def test_an_unknown_invitation_is_not_found(client):
    signed_in_as(client, None)
    assert client.get("/invite/not-a-real-secret").status_code == 404
    assert client.get("/invite/" + "x" * 300).status_code == 404
    token = csrf_token(client.get("/staff/login").text)
    sent = client.post(
        "/invite/not-a-real-secret",
        data={"_csrf_token": token, "username": "ghost", "password": GOOD, "confirm": GOOD},
    )
    assert sent.status_code == 404


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"password": "short pass1", "confirm": "short pass1"}, "at least 12 characters"),
        ({"confirm": GOOD + "!"}, "Enter the same password twice."),
        ({"username": "a"}, "Enter a username of 3 to 40"),
        ({"username": "<script>x</script>"}, "Enter a username of 3 to 40"),
        ({"username": "INVITE-PLANNER"}, "That username is taken."),
    ],
)
def test_a_poor_choice_is_refused_with_the_username_kept(
    client, run, organisation, fields, message
):
    from consult.tables import StaffInvite

    path, secret = _invite(client, organisation)
    sent = _accept(client, path, **fields)
    assert sent.status_code == 422
    text = page_text(sent.text)
    assert text.startswith("Error:")
    assert message in text
    username = fields.get("username", "anna.k")
    assert f'value="{html.escape(username)}"' in sent.text
    assert "<script>x" not in sent.text
    for password in {fields.get("password", GOOD), fields.get("confirm", GOOD)}:
        assert password not in sent.text, "passwords are never sent back"
    digest = hashlib.sha256(secret.encode()).hexdigest()
    row = run(StaffInvite.select().where(StaffInvite.token_hash == digest).first().run)
    assert row["used_at"] is None, "a refused choice leaves the invitation unused"


def test_a_post_without_csrf_is_refused(client, run, organisation):
    from piccolo.apps.user.tables import BaseUser

    path, _ = _invite(client, organisation)
    client.get(path)
    sent = client.post(
        path,
        data={"username": "no.csrf", "password": GOOD, "confirm": GOOD},
        follow_redirects=False,
    )
    assert sent.status_code == 403
    assert not run(BaseUser.exists().where(BaseUser.username == "no.csrf").run)
    signed_in_as(client, "invite-planner")
    made = client.post(
        f"/staff/organisations/{organisation}/invites", data={}, follow_redirects=False
    )
    assert made.status_code == 403
    assert client.get(path).status_code == 200, "the invitation is still open"
