"""Facilitators' sessions: planning one, changing it, its join code, the QR poster
in the session's language, and the live count of its completed responses."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import segno

from consult import join_codes
from tests.fixtures import PASSWORD, csrf_token, new_idempotency_key, sign_in


@pytest.fixture(scope="module")
def world(client, run, make_survey):
    """Two organisations, a facilitator of the first, a planner, an open and a
    closed consultation."""
    from consult.services.staff import create_user
    from consult.tables import ConsultationStatus, Organisation, OrganisationKind, Role

    def organisation(name: str) -> int:
        rows = run(
            Organisation.insert(
                Organisation(name=name, kind=OrganisationKind.youth.value, city="Reykjavik")
            ).run
        )
        return rows[0]["id"]

    home, other = organisation("Breiðholt Youth Centre"), organisation("Polish Saturday School")
    run(create_user, "fay.facilitator", PASSWORD, Role.facilitator, home)
    run(create_user, "pat.planner", PASSWORD, Role.planner, city="Reykjavik")
    open_survey = make_survey("sessions-open")
    closed_survey = make_survey("sessions-closed", ConsultationStatus.closed)
    return {
        "home": home,
        "other": other,
        "open": open_survey,
        "closed": closed_survey,
    }


@pytest.fixture
def as_facilitator(client, world):
    assert sign_in(client, "fay.facilitator").status_code == 303
    yield client
    client.cookies.clear()


@pytest.fixture
def as_planner(client, world):
    assert sign_in(client, "pat.planner").status_code == 303
    yield client
    client.cookies.clear()


def _form(world, **changes):
    values = {
        "consultation": str(world["open"].consultation_id),
        "title": "Evening session at the youth centre",
        "date": "2026-03-14",
        "time": "17:30",
        "place": "Main hall",
        "mode": "own_phones",
        "locale": "en",
        "groups": "Young people 13–17, Young people 18–25\nSomali speakers",
    }
    values.update(changes)
    return values


def _post(client, page: str, action: str, values: dict[str, str]):
    html = client.get(page).text
    return client.post(
        action, data={"_csrf_token": csrf_token(html), **values}, follow_redirects=False
    )


def _create(client, world, **changes) -> int:
    response = _post(client, "/staff/sessions/new", "/staff/sessions/new", _form(world, **changes))
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/staff/sessions/(\d+)\?done=created", response.headers["location"])
    assert match
    return int(match.group(1))


def _session(run, session_id: int):
    from consult.services import hosted_sessions

    return run(hosted_sessions.session_by_id, session_id)


def _store_response(run, survey_id: int, session_id: int | None, status: str = "complete"):
    from surveys.tables import Response

    run(
        Response.insert(
            Response(
                survey=survey_id,
                channel="web",
                locale="en",
                submitted_at=datetime.now(UTC).replace(minute=0, second=0, microsecond=0),
                idempotency_key=new_idempotency_key(),
                status=status,
                hosted_session=session_id,
            )
        ).run
    )


# Planning a session


def test_a_facilitator_plans_a_session_of_their_organisation(as_facilitator, world, run):
    form = as_facilitator.get("/staff/sessions/new")
    assert form.status_code == 200
    assert "Consultation sessions-open" in form.text
    assert "Consultation sessions-closed" not in form.text  # open consultations only
    assert 'name="organisation"' not in form.text  # their organisation is fixed
    assert "Breiðholt Youth Centre" in form.text

    session_id = _create(as_facilitator, world)
    session = _session(run, session_id)
    assert session.organisation_id == world["home"]
    assert session.consultation_id == world["open"].consultation_id
    assert session.survey_id == world["open"].survey_id
    assert session.groups == ("Young people 13–17", "Young people 18–25", "Somali speakers")
    assert session.starts_at.replace(tzinfo=UTC) == datetime(2026, 3, 14, 17, 30, tzinfo=UTC)
    assert len(session.code) == 10
    assert set(session.code) <= set(join_codes.ALPHABET)

    page = as_facilitator.get(f"/staff/sessions/{session_id}?done=created")
    assert page.status_code == 200
    assert "The session was created." in page.text
    assert join_codes.display(session.code) in page.text
    assert f"http://127.0.0.1:8000/j/{session.code}" in page.text
    for link in ("poster", "live", "paper-survey"):
        assert f'href="/staff/sessions/{session_id}/{link}"' in page.text
    # Own phones: no kiosk to start, no paper to enter.
    assert f"/staff/sessions/{session_id}/kiosk" not in page.text
    assert f'href="/staff/sessions/{session_id}/paper"' not in page.text

    listing = as_facilitator.get("/staff/sessions")
    assert listing.status_code == 200
    assert "Evening session at the youth centre" in listing.text
    assert join_codes.display(session.code) in listing.text


def test_a_form_with_mistakes_comes_back_with_every_value_kept(as_facilitator, world):
    response = _post(
        as_facilitator,
        "/staff/sessions/new",
        "/staff/sessions/new",
        _form(world, title="", date="14 March", time="25:00", place="Hall <b>B</b>", mode="x"),
    )
    assert response.status_code == 422
    assert "<title>Error:" in response.text
    assert "There is a problem" in response.text
    for message in (
        "Enter a title of 1 to 200 characters.",
        "Enter the date of the session, like 2026-03-14.",
        "Enter the time the session starts, like 17:30.",
        "Choose how people will answer.",
    ):
        assert message in response.text
    assert 'value="14 March"' in response.text
    assert 'value="25:00"' in response.text
    assert 'value="Hall &lt;b&gt;B&lt;/b&gt;"' in response.text
    assert "Somali speakers" in response.text
    assert 'href="#session-title"' in response.text


def test_a_facilitator_cannot_host_for_another_organisation(as_facilitator, world, run):
    from consult.tables import HostedSession

    before = run(HostedSession.count().run)
    response = _post(
        as_facilitator,
        "/staff/sessions/new",
        "/staff/sessions/new",
        _form(world, organisation=str(world["other"]), title="Not ours"),
    )
    assert response.status_code == 422
    assert "Choose the organisation hosting the session." in response.text
    assert run(HostedSession.count().run) == before


def test_a_closed_consultation_cannot_get_a_new_session(as_facilitator, world, run):
    response = _post(
        as_facilitator,
        "/staff/sessions/new",
        "/staff/sessions/new",
        _form(world, consultation=str(world["closed"].consultation_id)),
    )
    assert response.status_code == 422
    assert "Choose an open consultation." in response.text


def test_a_planner_chooses_the_organisation(as_planner, world, run):
    form = as_planner.get("/staff/sessions/new")
    assert 'name="organisation"' in form.text
    assert "Polish Saturday School" in form.text
    missing = _post(as_planner, "/staff/sessions/new", "/staff/sessions/new", _form(world))
    assert missing.status_code == 422
    assert "Choose the organisation hosting the session." in missing.text
    session_id = _create(as_planner, world, organisation=str(world["other"]), title="Parents")
    assert _session(run, session_id).organisation_id == world["other"]
    assert "Parents" in as_planner.get("/staff/sessions").text


def test_changing_a_session_keeps_its_code(as_facilitator, world, run):
    session_id = _create(as_facilitator, world, title="Before")
    code = _session(run, session_id).code
    page = f"/staff/sessions/{session_id}"
    refused = _post(as_facilitator, page, page, _form(world, title="x" * 201))
    assert refused.status_code == 422
    assert "x" * 201 in refused.text
    saved = _post(
        as_facilitator, page, page, _form(world, title="After", mode="kiosk", groups="Parents")
    )
    assert saved.status_code == 303
    assert saved.headers["location"] == f"{page}?done=saved"
    session = _session(run, session_id)
    assert (session.title, session.mode, session.groups, session.code) == (
        "After",
        "kiosk",
        ("Parents",),
        code,
    )
    page = as_facilitator.get(page).text
    assert f'action="/staff/sessions/{session_id}/kiosk"' in page
    assert f'href="/staff/sessions/{session_id}/kiosk"' in page
    paper = _post(
        as_facilitator,
        f"/staff/sessions/{session_id}",
        f"/staff/sessions/{session_id}",
        _form(world, title="After", mode="paper"),
    )
    assert paper.status_code == 303
    page = as_facilitator.get(f"/staff/sessions/{session_id}").text
    assert f'href="/staff/sessions/{session_id}/paper"' in page
    assert f"/staff/sessions/{session_id}/kiosk" not in page


def test_codes_are_unique_and_unambiguous(client, world, run):
    from consult.services import hosted_sessions
    from consult.services.staff import StaffMember
    from consult.tables import Role

    member = StaffMember(0, "fay.facilitator", Role.facilitator, world["home"])
    member = run(_member, "fay.facilitator") or member
    data, errors = hosted_sessions.parse_form(_form(world))
    ids = [run(hosted_sessions.create, member, data, errors) for _ in range(25)]
    codes = {_session(run, session_id).code for session_id in ids}
    assert len(codes) == 25
    assert all(set(code) <= set(join_codes.ALPHABET) for code in codes)


async def _member(username: str):
    from piccolo.apps.user.tables import BaseUser

    from consult.services import staff

    user = await BaseUser.objects().where(BaseUser.username == username).first()
    return await staff.member(user.id)


# Joining by code


def test_a_code_is_found_whatever_the_case_and_dashes(as_facilitator, world, run):
    from consult.services import hosted_sessions

    session_id = _create(as_facilitator, world, title="Joinable")
    code = _session(run, session_id).code
    typed = join_codes.display(code).lower().replace("-", " - ")
    found = run(hosted_sessions.session_by_code, typed)
    assert found is not None
    assert found.id == session_id
    assert run(hosted_sessions.session_by_code, "ACDEFGHJ0M") is None
    assert run(hosted_sessions.session_by_code, "nonsense!") is None


def test_an_ended_session_is_told_apart_from_a_wrong_code(as_facilitator, world, run):
    from consult.services import hosted_sessions
    from consult.services.hosted_sessions import JoinRefusal, SessionNotJoinable
    from consult.tables import HostedSession

    session_id = _create(as_facilitator, world, title="Ended")
    code = _session(run, session_id).code
    run(
        HostedSession.update({HostedSession.closes_at: datetime.now(UTC) - timedelta(minutes=1)})
        .where(HostedSession.id == session_id)
        .run
    )
    with pytest.raises(SessionNotJoinable) as ended:
        run(hosted_sessions.session_by_code, code)
    assert ended.value.reason == JoinRefusal.ended
    assert run(hosted_sessions.check_code, code).refusal == JoinRefusal.ended


def test_a_closed_consultations_session_has_ended(client, world, run):
    from consult.services import hosted_sessions
    from consult.services.hosted_sessions import JoinRefusal
    from consult.tables import HostedSession

    rows = run(
        HostedSession.insert(
            HostedSession(
                consultation=world["closed"].consultation_id,
                organisation=world["home"],
                title="Last year",
                code="ACDEFGHJKM",
                created_at=datetime.now(UTC),
            )
        ).run
    )
    assert rows
    assert run(hosted_sessions.check_code, "acd-efg-hjkm").refusal == JoinRefusal.ended


# The poster


def test_the_poster_has_the_code_and_a_qr_code_of_the_join_address(as_facilitator, world, run):
    session_id = _create(as_facilitator, world, title="Poster session", place="Library")
    code = _session(run, session_id).code
    poster = as_facilitator.get(f"/staff/sessions/{session_id}/poster")
    assert poster.status_code == 200
    html = poster.text
    assert join_codes.display(code) in html
    assert "Consultation sessions-open" in html
    assert "Poster session" in html
    assert "Library" in html
    assert "Or go to 127.0.0.1:8000/join and type this code:" in html
    assert " style=" not in html
    assert "<style" not in html
    assert 'role="img"' in html
    assert f'aria-label="QR code: opens http://127.0.0.1:8000/j/{code}"' in html
    assert "poster.css" in html
    # The drawing is the QR code of the join address: segno draws the same path.
    expected = segno.make(f"http://127.0.0.1:8000/j/{code}", error="m").svg_inline(
        scale=1, border=4, omitsize=True
    )
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert f' d="{path}"' in html
    assert html.count("<svg") == 1


def test_the_poster_speaks_the_sessions_language(as_facilitator, world, run, monkeypatch):
    import gettext

    from consult import i18n
    from consult.tables import HostedSession

    class Marked(gettext.NullTranslations):
        def gettext(self, message):
            return f"[is] {message}"

        def ngettext(self, singular, plural, n):
            return f"[is] {singular if n == 1 else plural}"

    real = i18n.translations
    monkeypatch.setattr(i18n, "available_locales", lambda: ("en", "is"))
    monkeypatch.setattr(
        i18n, "translations", lambda locale: Marked() if locale == "is" else real(locale)
    )
    session_id = _create(as_facilitator, world, title="Á íslensku")
    run(
        HostedSession.update({HostedSession.locale: "is"}).where(HostedSession.id == session_id).run
    )
    poster = as_facilitator.get(
        f"/staff/sessions/{session_id}/poster", headers={"Accept-Language": "en"}
    )
    assert poster.status_code == 200
    assert '<html lang="is"' in poster.text
    assert "[is] Have your say" in poster.text
    assert "[is] Scan the code with your phone’s camera." in poster.text
    # The viewer's own pages stay in their language.
    page = as_facilitator.get(f"/staff/sessions/{session_id}", headers={"Accept-Language": "en"})
    assert "[is]" not in page.text


# The live count


def test_the_live_count_is_this_sessions_completed_responses(as_facilitator, world, run):
    survey_id = world["open"].survey_id
    counted = _create(as_facilitator, world, title="Counted")
    other = _create(as_facilitator, world, title="Another")
    for _ in range(3):
        _store_response(run, survey_id, counted)
    _store_response(run, survey_id, counted, status="withdrawn")
    _store_response(run, survey_id, other)
    _store_response(run, survey_id, None)

    page = as_facilitator.get(f"/staff/sessions/{counted}/live")
    assert page.status_code == 200
    assert '<p class="live-number" id="live-number">3</p>' in page.text
    assert 'hx-trigger="every 10s"' in page.text
    assert f'href="/staff/sessions/{counted}/live">Refresh</a>' in page.text
    assert 'aria-live="polite"' in page.text
    assert "live.css" in page.text

    poll = {"HX-Request": "true", "HX-Target": "live-count"}
    same = as_facilitator.get(f"/staff/sessions/{counted}/live?heard=3", headers=poll)
    assert same.status_code == 200
    assert "<html" not in same.text
    assert 'id="live-number">3<' in same.text
    assert "hx-swap-oob" not in same.text  # nothing new to announce
    _store_response(run, survey_id, counted)
    changed = as_facilitator.get(f"/staff/sessions/{counted}/live?heard=3", headers=poll)
    assert 'id="live-number">4<' in changed.text
    assert "hx-swap-oob" in changed.text
    assert "4 completed responses" in changed.text

    listing = as_facilitator.get("/staff/sessions")
    assert re.search(r"Counted</a></th>.*?<td class=\"numeric\">4</td>", listing.text, re.S)


def test_polling_stops_when_the_session_has_ended(as_facilitator, world, run):
    from consult.tables import HostedSession

    session_id = _create(as_facilitator, world, title="Over")
    run(
        HostedSession.update({HostedSession.closes_at: datetime.now(UTC) - timedelta(minutes=1)})
        .where(HostedSession.id == session_id)
        .run
    )
    poll = {"HX-Request": "true", "HX-Target": "live-count"}
    response = as_facilitator.get(f"/staff/sessions/{session_id}/live", headers=poll)
    assert response.status_code == 286
    assert "This session has ended." in response.text
    page = as_facilitator.get(f"/staff/sessions/{session_id}/live")
    assert "hx-trigger" not in page.text


def test_session_pages_need_signing_in(client, world):
    client.cookies.clear()
    for path in ("/staff/sessions", "/staff/sessions/new", "/staff/sessions/1/live"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code in (302, 303, 401), path


def test_times_are_typed_and_read_on_the_citys_clock(as_facilitator, world, run, monkeypatch):
    """In Helsinki (UTC+2 in March) a session typed as 17:30 is stored as 15:30 UTC
    and shows 17:30 again, so it starts and ends when Helsinki's clock says."""
    from consult.settings import get_settings
    from consult.tables import HostedSession

    monkeypatch.setenv("CONSULT_TIMEZONE", "Europe/Helsinki")
    get_settings.cache_clear()
    try:
        session_id = _create(as_facilitator, world)
        stored = run(
            HostedSession.select(HostedSession.starts_at)
            .where(HostedSession.id == session_id)
            .first()
            .run
        )
        assert stored["starts_at"].astimezone(UTC) == datetime(2026, 3, 14, 15, 30, tzinfo=UTC)
        session = _session(run, session_id)
        assert session.starts_at.strftime("%H:%M") == "17:30"
        edit = as_facilitator.get(f"/staff/sessions/{session_id}").text
        assert 'value="17:30"' in edit
    finally:
        get_settings.cache_clear()
