"""The outreach view on a real database: responses by target group, district,
organisation, session and channel equal a hand count of the seeded responses;
counts below k are "not shown" with enough others hidden that the totals give
nothing away; under-reached groups are marked in words with the organisations to
invite next; targets are replaced by the form; planners only; hostile names escaped."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import pytest

from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as

HOSTILE = '<script>alert(1)</script><b hx-get="/staff">Muslims</b>'


def _table(page: str, caption: str) -> dict[str, str]:
    """A breakdown table of the page as {row heading: count text}."""
    match = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", page, re.S)
    assert match, caption
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td>", match.group(1), re.S)
    return {page_text(head): page_text(cell) for head, cell in rows}


@pytest.fixture(scope="module")
def world(client, run, make_survey, make_staff):
    """Public answers (6, all "Yes" to the district question), a youth club's session
    for "Young People" (7 on their phones) and a mosque's for "Muslims" (2 on a
    tablet), and registry organisations in and outside the city."""
    from consult.tables import HostedSession, Organisation, OrganisationTag, SessionGroup
    from surveys.tables import Question, Response

    make_staff("outreach-planner", "planner")
    make_staff("outreach-facilitator", "facilitator")
    survey = make_survey("outreach-one")
    district = survey.question_ids["single"]
    run(Question.update({Question.key: "district"}).where(Question.id == district).run)
    for _ in range(6):
        form = {
            f"q{district}": [str(survey.option_ids["single"][0])],
            f"q{survey.question_ids['scale']}": [str(survey.option_ids["scale"][0])],
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303

    def organisation(name: str, kind: str, city: str, groups: tuple[str, ...]) -> int:
        found = run(Organisation.insert(Organisation(name=name, kind=kind, city=city)).run)[0]["id"]
        for group in groups:
            run(
                OrganisationTag.insert(
                    OrganisationTag(organisation=found, kind="group", name=group)
                ).run
            )
        return found

    ids = {
        "youth": organisation(
            "Fell Youth Club", "youth", "Reykjavik", ("young people", "Refugees")
        ),
        "mosque": organisation("Mosque", "religious", "Reykjavik", ("muslims",)),
        "ngo": organisation("Welcome NGO", "ngo", "Reykjavik", ("REFUGEES",)),
        "away": organisation("Helsinki Refugee Help", "ngo", "Helsinki", ("refugees",)),
        "hostile": organisation(HOSTILE, "other", "Reykjavik", ("Muslims",)),
    }
    now = datetime.now(UTC)
    for number, (owner, title, groups, channel, count) in enumerate(
        (
            ("youth", "Evening at the club", ("Young People", "young  people"), "web", 7),
            ("mosque", "Open day", ("Muslims",), "kiosk", 2),
        )
    ):
        session = run(
            HostedSession.insert(
                HostedSession(
                    consultation=survey.consultation_id,
                    organisation=ids[owner],
                    title=title,
                    code=f"OUTREACH{number}",
                    created_at=now,
                )
            ).run
        )[0]["id"]
        for group in groups:
            run(SessionGroup.insert(SessionGroup(session=session, name=group)).run)
        for index in range(count):
            run(
                Response.insert(
                    Response(
                        survey=survey.survey_id,
                        channel=channel,
                        submitted_at=now,
                        idempotency_key=f"outreach-{number}-{index}",
                        hosted_session=session,
                    )
                ).run
            )
    # A withdrawn response counts nowhere.
    run(
        Response.insert(
            Response(
                survey=survey.survey_id,
                channel="web",
                submitted_at=now,
                idempotency_key="outreach-withdrawn",
                status="withdrawn",
                hosted_session=session,
            )
        ).run
    )
    return {
        "survey": survey,
        "orgs": ids,
        "url": f"/staff/consultations/{survey.consultation_id}/outreach",
    }


def _save_targets(client, url: str, rows: list[tuple[str, str]]):
    return post_form(
        client,
        url,
        f"{url}/targets",
        {"group": [g for g, _ in rows], "target": [t for _, t in rows]},
    )


def test_the_numbers_equal_a_hand_count(client, world):
    signed_in_as(client, "outreach-planner")
    page = client.get(world["url"])
    assert page.status_code == 200
    assert "Complete responses so far: 15." in page_text(page.text)
    # Public 6, youth club 7, mosque 2 (below 5: not shown, and so the public
    # link's 6 too, or 15 - 7 - 6 would give it away).
    assert _table(page.text, "By organisation") == {
        "Fell Youth Club": "7",
        "Mosque": "not shown",
        "Public link, no session": "not shown",
    }
    assert _table(page.text, "By session") == {"Evening at the club": "7", "Open day": "not shown"}
    # Own device 13, tablet 2: both hidden, or 15 - 13 would give the tablet away.
    assert _table(page.text, "By channel") == {
        "Own device": "not shown",
        "Shared tablet": "not shown",
    }
    assert _table(page.text, "By district") == {
        "Yes": "6",
        "No": "0",
        "Not sure": "0",
        "No answer": "9",
    }


def test_targets_mark_under_reached_groups_and_who_to_invite(client, world):
    signed_in_as(client, "outreach-planner")
    saved = _save_targets(
        client,
        world["url"],
        [("young people", "5"), ("Muslims", "10"), ("Refugees", "8"), ("", "")],
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"])
    text = page_text(page.text)
    assert "Targets saved." in text
    groups = re.search(r'id="groups-caption".*?</table>', page.text, re.S).group(0)
    rows = {
        page_text(head): page_text(rest)
        for head, rest in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', groups, re.S)
    }
    assert rows["young people"] == "7 5 Target met"
    assert rows["Muslims"] == "not shown 10 Under-reached"
    assert rows["Refugees"] == "0 8 Under-reached"
    invite = page_text(re.search(r'id="invite-heading".*?</section>', page.text, re.S).group(0))
    assert "Under-reached: Muslims" in invite
    assert "Mosque (Religious community) – already hosts a session" in invite
    assert "Under-reached: Refugees" in invite
    assert "Welcome NGO (NGO) – no session yet" in invite
    assert "Fell Youth Club (Youth organisation) – already hosts a session" in invite
    assert "Helsinki Refugee Help" not in invite, "only the consultation's city"
    assert "<script>alert(1)" not in page.text
    assert "&lt;script&gt;" in page.text
    assert '<b hx-get="/staff">' not in page.text


def test_the_targets_form_refuses_bad_rows_and_keeps_them(client, run, world):
    from analysis.outreach import targets

    signed_in_as(client, "outreach-planner")
    before = run(targets, world["survey"].consultation_id)
    for rows, message in (
        ([("Older residents", "lots")], "Enter a target as a whole number"),
        ([("Older residents", "0")], "Enter a target as a whole number"),
        ([("x" * 101, "5")], "Enter a group name of up to 100 characters."),
        ([("Muslims", "5"), ("muslims ", "6")], "Name each group once."),
    ):
        sent = _save_targets(client, world["url"], rows)
        assert sent.status_code == 422, rows
        assert page_text(sent.text).startswith("Error:")
        assert message in page_text(sent.text)
        assert f'value="{html.escape(rows[-1][1])}"' in sent.text
    assert run(targets, world["survey"].consultation_id) == before
    cleared = _save_targets(client, world["url"], [("", "")])
    assert cleared.status_code == 303
    assert run(targets, world["survey"].consultation_id) == ()
    assert _save_targets(client, world["url"], [("Refugees", "8")]).status_code == 303
    assert run(targets, world["survey"].consultation_id) == (("Refugees", 8),)


def test_planners_only(client, world):
    signed_in_as(client, "outreach-facilitator")
    assert client.get(world["url"], follow_redirects=False).status_code == 403
    token = csrf_token(client.get("/staff").text)
    sent = client.post(
        f"{world['url']}/targets", data={"_csrf_token": token, "group": "x", "target": "3"}
    )
    assert sent.status_code == 403
    signed_in_as(client, None)
    away = client.get(world["url"], follow_redirects=False)
    assert away.status_code == 303
    assert away.headers["location"].startswith("/staff/login")
    signed_in_as(client, "outreach-planner")
    assert client.get("/staff/consultations/999999/outreach").status_code == 404


def test_protect_leaves_no_sum_with_one_hidden_count():
    from analysis.outreach import protect

    values = {"total": 20, "a": 3, "b": 8, "c": 9, "s1": 3, "s2": 0}
    shown = protect(values, [("total", ["a", "b", "c"]), ("a", ["s1", "s2"])], 5)
    assert shown["a"] is None
    assert shown["s1"] is None
    assert shown["b"] is None, "the smallest other part goes too"
    assert shown["c"] == 9
    assert shown["total"] == 20
    assert shown["s2"] == 0
