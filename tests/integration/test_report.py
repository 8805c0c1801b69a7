"""The printable summary report on a real database: cover, indicators with their
interval, each choice question's chart, themes with approved quotes, findings by
strategy area; small groups "not shown" exactly as on the results page; hostile
text escaped; planners only; print styles linked, no inline style or script."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import page_text, signed_in_as
from tests.integration.test_api import (
    HOSTILE,
    NIGHT,
    SCHOOL,
    World,
    build_world,
    page_tables,
)


@pytest.fixture(scope="module")
def world(client, run, make_survey, make_staff) -> World:
    from consult.tables import Consultation

    built = build_world(client, run, make_survey, make_staff, "report")
    run(
        Consultation.update({Consultation.title: f"Reykjavik {HOSTILE}"})
        .where(Consultation.id == built.survey.consultation_id)
        .run
    )
    return built


@pytest.fixture(scope="module")
def report(client, world) -> str:
    signed_in_as(client, world.planner)
    page = client.get(f"/staff/surveys/{world.survey.survey_id}/report")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    return page.text


def test_the_cover_says_what_where_how_many_and_the_rule(report):
    text = page_text(report)
    assert "Summary report" in text
    assert "Reykjavik" in text
    assert "Safety survey" in text
    assert "Responses 19" in text
    assert "Own device: 19" in text
    assert "counts below 5 are not shown (below 10 for questions on special categories" in text


def test_indicators_show_n_share_and_interval(report):
    tables = page_tables(report)
    (row,) = tables["Indicators"][1:]
    assert row[0].startswith("Feel safe")
    assert row[1] == "19"
    assert re.fullmatch(r"53% \(\d+–\d+%\)", row[2])
    assert 'class="interval-chart"' in report


def test_each_choice_question_is_drawn_as_on_the_results_page(client, report, world):
    signed_in_as(client, world.planner)
    results = page_tables(client.get(f"/staff/surveys/{world.survey.survey_id}/results").text)
    mine = page_tables(report)
    for caption in ("1. Do you feel safe?", "2. Where?", "3. How much do you trust the police?"):
        assert mine[caption] == results[caption]
    assert mine["1. Do you feel safe?"][3] == ["Not sure", "not shown", "–"]
    assert report.count('class="bar-chart report-chart"') == 3
    assert 'class="bar-hidden"' in report


def test_themes_with_counts_and_only_shown_themes_quotes(report):
    tables = page_tables(report)
    rows = tables["Themes: 4. What should the city do?"][1:]
    assert rows == [["Unsafe at night", "14"], ["Schools", "not shown"]]
    assert "Night bus" in report
    assert "A school quote" not in report  # its theme has three answers
    assert NIGHT not in report  # answers themselves are not quoted
    assert SCHOOL not in report


def test_findings_by_strategy_area_with_action_owner_timeline_partners(report):
    text = page_text(report)
    assert "Prevention and early intervention" in text
    assert "Proposed action: Safer night buses" in text
    assert "Owner Strætó and the youth services" in text
    assert "Timeline Autumn 2027" in text
    assert "Breiðholt Youth Club" in text
    assert "Priority High" in text


def test_hostile_text_is_escaped_everywhere(report):
    assert HOSTILE not in report
    assert "<script>alert" not in report
    assert "<img src=x" not in report
    # Title, finding, action and quote: each shown as text.
    assert report.count("&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") >= 4


def test_print_styles_are_linked_and_nothing_is_inline(report):
    head = report.split("</head>", 1)[0]
    assert re.search(r'<link rel="stylesheet" href="/static/print.css\?v=[0-9a-f]{12}">', head)
    assert " style=" not in report
    assert "<style" not in report
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", report, re.S)
    assert all(not body.strip() for body in scripts)
    assert "Print command" in report


def test_print_css_is_served_and_drops_navigation(client):
    client.cookies.clear()
    css = client.get("/static/print.css")
    assert css.status_code == 200
    assert "@page" in css.text
    assert ".staff-nav" in css.text
    assert "break-before: page" in css.text


@pytest.mark.parametrize("username", [None, "report-facilitator"])
def test_only_planners_see_the_report(client, world, make_staff, username):
    if username:
        make_staff(username, "facilitator")
    signed_in_as(client, username)
    page = client.get(f"/staff/surveys/{world.survey.survey_id}/report", follow_redirects=False)
    assert page.status_code == (303 if username is None else 403)
    client.cookies.clear()


def test_an_admin_sees_it_and_an_unknown_survey_is_404(client, world):
    signed_in_as(client, world.admin)
    assert client.get(f"/staff/surveys/{world.survey.survey_id}/report").status_code == 200
    assert client.get("/staff/surveys/999999/report").status_code == 404
    # Past PostgreSQL's integer: refused, not an overflow in the query.
    assert client.get("/staff/surveys/9223372036854775808/report").status_code in (400, 404)
    client.cookies.clear()


def test_an_empty_survey_still_makes_a_report(client, world):
    signed_in_as(client, world.planner)
    page = client.get(f"/staff/surveys/{world.draft.survey_id}/report")
    assert page.status_code == 200
    text = page_text(page.text)
    assert "No indicators have been set for this survey." in text
    assert "No findings yet." in text
    assert "No responses yet" in text
    client.cookies.clear()
