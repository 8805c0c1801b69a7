"""One organisation's facilitator never reaches another organisation's sessions:
the live count they poll, the forms they send, the list they see.

The walk over the app's route table (every staff route, every method, as the
facilitators of two organisations and every other role) is test_access_matrix's,
with one table of rules for every route.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.fixtures import PASSWORD, csrf_token, sign_in


@pytest.fixture(scope="module")
def world(client, run, make_survey):
    """Organisations A and B, each with a facilitator and a session; a planner."""
    from consult.services import hosted_sessions
    from consult.services.staff import create_user, member
    from consult.tables import Organisation, OrganisationKind, Role

    survey = make_survey("isolation")
    found: dict[str, object] = {"survey": survey}
    for name in ("a", "b"):
        rows = run(
            Organisation.insert(
                Organisation(
                    name=f"Organisation {name.upper()}",
                    kind=OrganisationKind.sports.value,
                    city="Reykjavik",
                )
            ).run
        )
        organisation_id = rows[0]["id"]
        user_id = run(
            create_user, f"facilitator.{name}", PASSWORD, Role.facilitator, organisation_id
        )
        staff = run(member, user_id)
        data, errors = hosted_sessions.parse_form(
            {
                "consultation": str(survey.consultation_id),
                "title": f"Session of organisation {name.upper()}",
                "date": "2026-03-14",
                "time": "17:30",
                "mode": "paper",
                "locale": "en",
                "groups": "Players",
            }
        )
        session_id = run(hosted_sessions.create, staff, data, errors)
        found[name] = {
            "organisation": organisation_id,
            "session": session_id,
            "code": run(hosted_sessions.session_by_id, session_id).code,
        }
    run(create_user, "planner.p", PASSWORD, Role.planner, city="Reykjavik")
    return found


def _signed_in(client, username: str) -> str:
    client.cookies.clear()
    assert sign_in(client, username).status_code == 303
    return csrf_token(client.get("/staff/sessions").text)


def test_a_polled_live_count_of_b_is_refused(client, world):
    _signed_in(client, "facilitator.a")
    poll = {"HX-Request": "true", "HX-Target": "live-count"}
    response = client.get(f"/staff/sessions/{world['b']['session']}/live", headers=poll)
    assert response.status_code in (403, 404)
    assert "live-number" not in response.text
    own = client.get(f"/staff/sessions/{world['a']['session']}/live", headers=poll)
    assert own.status_code == 200
    assert "live-number" in own.text
    client.cookies.clear()


def test_a_form_naming_organisation_b_is_refused(client, world, run):
    from consult.services import hosted_sessions

    token = _signed_in(client, "facilitator.a")
    form = {
        "_csrf_token": token,
        "consultation": str(world["survey"].consultation_id),
        "organisation": str(world["b"]["organisation"]),
        "title": "Moved to B",
        "date": "2026-03-15",
        "time": "10:00",
        "mode": "kiosk",
        "locale": "en",
    }
    new = client.post("/staff/sessions/new", data=form, follow_redirects=False)
    assert new.status_code == 422
    own = client.post(f"/staff/sessions/{world['a']['session']}", data=form, follow_redirects=False)
    assert own.status_code == 422
    theirs = client.post(
        f"/staff/sessions/{world['b']['session']}",
        data={**form, "organisation": str(world["a"]["organisation"])},
        follow_redirects=False,
    )
    assert theirs.status_code in (403, 404)
    session_a = run(hosted_sessions.session_by_id, world["a"]["session"])
    session_b = run(hosted_sessions.session_by_id, world["b"]["session"])
    assert session_a.organisation_id == world["a"]["organisation"]
    assert session_a.title == "Session of organisation A"
    assert session_b.title == "Session of organisation B"
    client.cookies.clear()


def test_the_list_shows_only_the_facilitators_organisation(client, world, run):
    from consult.services import hosted_sessions
    from surveys.tables import Response

    count_a = run(hosted_sessions.completed_count, world["a"]["session"])
    count_b = run(hosted_sessions.completed_count, world["b"]["session"])
    run(
        Response.insert(
            Response(
                survey=world["survey"].survey_id,
                submitted_at=datetime.now(UTC).replace(minute=0, second=0, microsecond=0),
                idempotency_key="isolation-b-1",
                hosted_session=world["b"]["session"],
            )
        ).run
    )
    _signed_in(client, "facilitator.a")
    listing = client.get("/staff/sessions").text
    assert "Session of organisation A" in listing
    assert "Session of organisation B" not in listing
    live_a = client.get(f"/staff/sessions/{world['a']['session']}/live").text
    assert f'id="live-number">{count_a}<' in live_a  # B's new response is not A's
    _signed_in(client, "planner.p")
    listing = client.get("/staff/sessions").text
    assert "Session of organisation A" in listing
    assert "Session of organisation B" in listing
    live_b = client.get(f"/staff/sessions/{world['b']['session']}/live").text
    assert f'id="live-number">{count_b + 1}<' in live_b
    client.cookies.clear()
