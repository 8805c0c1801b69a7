"""The API token page on a real database: a token's secret shown once and only its
hash stored, revoking, the audit trail, admins and planners only (a planner's
tokens read their own city alone), CSRF, names escaped; and the function
`consult token create` calls."""

from __future__ import annotations

import hashlib
import re

import pytest

from tests.fixtures import csrf_token, post_form, signed_in_as

SECRET = re.compile(r'id="api-secret">(consult_[A-Za-z0-9_-]+)<')
HOSTILE = '<script>alert("x")</script>'
PAGE = "/staff/api-tokens"


@pytest.fixture(scope="module")
def staff(make_staff):
    for name, role in (
        ("tok-admin", "admin"),
        ("tok-planner", "planner"),
        ("tok-facilitator", "facilitator"),
    ):
        make_staff(name, role)


def _rows(run):
    from consult.tables import ApiToken

    return run(ApiToken.select().order_by(ApiToken.id).run)


def _audit(run, action: str):
    from consult.tables import AuditEvent

    return run(AuditEvent.select().where(AuditEvent.action == action).run)


def test_a_token_is_shown_once_and_only_its_hash_is_kept(client, run, staff):
    signed_in_as(client, "tok-admin")
    made = post_form(client, PAGE, PAGE, {"name": "  Power BI   dashboard "})
    assert made.status_code == 200
    assert made.headers["cache-control"] == "no-store"
    secret = SECRET.search(made.text).group(1)
    assert len(secret) >= len("consult_") + 43
    assert "Power BI dashboard" in made.text
    (row,) = [r for r in _rows(run) if r["name"] == "Power BI dashboard"]
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(_rows(run))
    # Never again: the list, reloaded, has the name but not the secret.
    again = client.get(PAGE)
    assert "Power BI dashboard" in again.text
    assert secret not in again.text
    assert "tok-admin" in again.text
    (event,) = [e for e in _audit(run, "create_api_token") if e["object_id"] == row["id"]]
    assert event["actor"] is not None
    # The token works on the API.
    client.cookies.clear()
    answer = client.get("/api/v1/consultations", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200


def test_a_revoked_token_stops_and_the_page_says_so(client, run, staff):
    signed_in_as(client, "tok-admin")
    made = post_form(client, PAGE, PAGE, {"name": "Old Excel link"})
    secret = SECRET.search(made.text).group(1)
    (row,) = [r for r in _rows(run) if r["name"] == "Old Excel link"]
    revoked = post_form(client, PAGE, f"{PAGE}/{row['id']}/revoke", {})
    assert revoked.status_code == 303
    assert revoked.headers["location"] == f"{PAGE}?done=revoked"
    page = client.get(revoked.headers["location"]).text
    assert "The token was revoked" in page
    assert "Revoked on" in page
    (after,) = [r for r in _rows(run) if r["id"] == row["id"]]
    assert after["revoked_at"] is not None
    assert [e for e in _audit(run, "revoke_api_token") if e["object_id"] == row["id"]]
    client.cookies.clear()
    answer = client.get("/api/v1/consultations", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 401
    signed_in_as(client, "tok-admin")
    assert post_form(client, PAGE, f"{PAGE}/999999/revoke", {}).status_code == 404
    too_big = post_form(client, PAGE, f"{PAGE}/9223372036854775808/revoke", {})
    assert too_big.status_code in (400, 404)


def test_a_name_is_needed_and_kept_when_refused(client, run, staff):
    signed_in_as(client, "tok-admin")
    before = len(_rows(run))
    empty = post_form(client, PAGE, PAGE, {"name": "   "})
    assert empty.status_code == 422
    assert "There is a problem" in empty.text
    too_long = post_form(client, PAGE, PAGE, {"name": "x" * 121})
    assert too_long.status_code == 422
    assert 'value="' + "x" * 121 + '"' in too_long.text
    assert len(_rows(run)) == before
    assert not SECRET.search(too_long.text)


def test_names_are_shown_as_text(client, staff):
    signed_in_as(client, "tok-admin")
    made = post_form(client, PAGE, PAGE, {"name": HOSTILE})
    assert made.status_code == 200
    assert HOSTILE not in made.text
    assert "&lt;script&gt;" in made.text


@pytest.mark.parametrize("username", [None, "tok-facilitator"])
def test_only_admins_and_planners_manage_tokens(client, run, staff, username):
    signed_in_as(client, "tok-admin")
    (row, *_) = _rows(run) or [None]
    form_page = client.get(PAGE).text
    token = csrf_token(form_page)
    signed_in_as(client, username)
    before = len(_rows(run))
    seen = client.get(PAGE, follow_redirects=False)
    made = client.post(PAGE, data={"_csrf_token": token, "name": "Sneaky"}, follow_redirects=False)
    if username is None:
        assert seen.status_code == 303  # to the sign-in page
        assert seen.headers["location"].startswith("/staff/login")
        assert made.status_code in (401, 403)
    else:
        assert seen.status_code == 403
        assert made.status_code == 403
    if row is not None:
        revoke = client.post(
            f"{PAGE}/{row['id']}/revoke", data={"_csrf_token": token}, follow_redirects=False
        )
        assert revoke.status_code in (401, 403)
    assert len(_rows(run)) == before
    client.cookies.clear()


def test_a_form_without_its_csrf_token_is_refused(client, run, staff):
    signed_in_as(client, "tok-admin")
    before = len(_rows(run))
    refused = client.post(PAGE, data={"name": "Forged"}, follow_redirects=False)
    assert refused.status_code == 403
    assert len(_rows(run)) == before


def test_the_command_line_function_makes_a_working_token(client, run, staff):
    from consult.services import api_tokens

    secret = run(api_tokens.create_token, "Made by consult token create", None)
    assert secret.startswith("consult_")
    token_id = run(api_tokens.token_for_secret, secret)
    assert token_id is not None
    (view,) = [t for t in run(api_tokens.list_tokens) if t.id == token_id]
    assert view.created_by is None
    assert view.active
    assert (
        run(api_tokens.token_for_secret, secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    )
    with pytest.raises(api_tokens.TokenNameInvalid):
        run(api_tokens.create_token, "", None)
    signed_in_as(client, "tok-admin")
    assert "the command line" in client.get(PAGE).text


def test_admins_and_planners_find_the_token_page_from_the_dashboard(client, staff):
    for username in ("tok-admin", "tok-planner"):
        signed_in_as(client, username)
        assert f'href="{PAGE}"' in client.get("/staff").text
    signed_in_as(client, "tok-facilitator")
    assert f'href="{PAGE}"' not in client.get("/staff").text
    client.cookies.clear()


def test_a_planners_token_reads_their_city_and_is_theirs_to_see(client, run, staff):
    """The planner's token gets the planner's city; the planner sees no admin's token
    (which reads every city) and cannot revoke one."""
    signed_in_as(client, "tok-admin")
    post_form(client, PAGE, PAGE, {"name": "Every-city feed of the admin"})
    (admins,) = [r for r in _rows(run) if r["name"] == "Every-city feed of the admin"]
    assert admins["city"] == ""
    signed_in_as(client, "tok-planner")
    made = post_form(client, PAGE, PAGE, {"name": "Reykjavik dashboard"})
    assert made.status_code == 200
    (own,) = [r for r in _rows(run) if r["name"] == "Reykjavik dashboard"]
    assert own["city"] == "Reykjavik"
    page = client.get(PAGE).text
    assert "Reykjavik dashboard" in page
    assert "Every-city feed of the admin" not in page
    refused = post_form(client, PAGE, f"{PAGE}/{admins['id']}/revoke", {})
    assert refused.status_code == 404
    (after,) = [r for r in _rows(run) if r["id"] == admins["id"]]
    assert after["revoked_at"] is None
    client.cookies.clear()
