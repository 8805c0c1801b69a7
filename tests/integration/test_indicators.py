"""Indicators on a real database: the share of those who answered a key question
who chose a counted option, its 95% interval, by group with small groups hidden,
and the indicators page a planner reads and edits.

Answers go in through the survey's submit form, as residents send them."""

from __future__ import annotations

import re

import pytest

from analysis.intervals import wilson_interval
from tests.fixtures import page_text, post_form, send_survey, signed_in_as

# (feel safe?, scale option index, where?) per respondent. By the scale: the
# second point has 2 people and the fourth 3 (small groups), the third 12.
PEOPLE = (
    [("Yes", 0, ("Online", "Street"))] * 5
    + [("No", 0, ("Online", "Street"))] * 3
    + [("No", 0, ("Online",))] * 2
    + [("Yes", 1, ("Online",))] * 2
    + [("Yes", 2, ("Street",))] * 3
    + [("No", 2, ("School",))] * 6
    + [("Not sure", 2, ())] * 3
    + [("Not sure", 3, ())] * 3
)
FEEL = ("Yes", "No", "Not sure")
WHERE = ("Online", "Street", "School", "Prefer not to say")
HOSTILE = '<script>alert("x")</script> hx-get="/x" javascript:alert(1)'


@pytest.fixture(scope="module")
def survey(client, make_survey, make_staff):
    survey = make_survey("indicators")
    ids, options = survey.question_ids, survey.option_ids
    feel = dict(zip(FEEL, options["single"], strict=True))
    where = dict(zip(WHERE, options["multiple"], strict=True))
    for answer, point, places in PEOPLE:
        form = {
            f"q{ids['single']}": [str(feel[answer])],
            f"q{ids['scale']}": [str(options["scale"][point])],
        }
        if places:
            form[f"q{ids['multiple']}"] = [str(where[place]) for place in places]
        assert send_survey(client, survey.submit_url, form).status_code == 303
    for name, role in (
        ("ind-planner", "planner"),
        ("ind-admin", "admin"),
        ("ind-facilitator", "facilitator"),
    ):
        make_staff(name, role)
    return survey


@pytest.fixture(scope="module")
def indicators(run, survey):
    """Felt unsafe (No), and seen anywhere online or in the street (two of four)."""
    from analysis.indicators import create_indicator
    from surveys.services import load_spec

    spec = run(load_spec, survey.survey_id)
    options = survey.option_ids
    unsafe = run(
        create_indicator, spec, survey.question_ids["single"], "Felt unsafe", [options["single"][1]]
    )
    seen = run(
        create_indicator,
        spec,
        survey.question_ids["multiple"],
        "Met it online or in the street",
        options["multiple"][:2],
    )
    return {"unsafe": unsafe, "seen": seen}


def _results(run, survey, segments=()):
    from analysis.indicators import indicator_results
    from surveys.services import load_spec

    spec = run(load_spec, survey.survey_id)
    return run(indicator_results, spec, 5, segments)


def test_the_share_and_interval_match_a_hand_count(run, survey, indicators):
    unsafe, _ = _results(run, survey)
    assert unsafe.indicator_id == indicators["unsafe"]
    assert unsafe.counted == ("No",)
    assert (unsafe.overall.n, unsafe.overall.count) == (27, 11)
    assert unsafe.overall.share == pytest.approx(11 / 27)
    assert (unsafe.overall.low, unsafe.overall.high) == pytest.approx(wilson_interval(11, 27))
    assert (unsafe.overall.low, unsafe.overall.high) == pytest.approx((0.2451, 0.5927), abs=1e-4)


def test_a_respondent_choosing_two_counted_options_counts_once(run, survey, indicators):
    seen = _results(run, survey)[1]
    assert seen.counted == ("Online", "Street")
    # 8 chose both, 4 online only, 3 the street only: 15 people, not 23 choices.
    assert (seen.overall.n, seen.overall.count) == (21, 15)


def test_by_group_small_groups_are_hidden(run, survey, indicators):
    from analysis.crosstabs import Segment, SegmentKind
    from surveys.services import load_spec

    spec = run(load_spec, survey.survey_id)
    scale = spec.question_by_id[survey.question_ids["scale"]]
    unsafe = _results(run, survey, [Segment(SegmentKind.question, scale)])[0]
    (breakdown,) = unsafe.breakdowns
    groups = {group.column: group.share for group in breakdown.groups}
    points = [str(option) for option in survey.option_ids["scale"]]
    assert groups[points[2]].n == 12
    assert groups[points[2]].count == 6, "6 of the 12 at the third point felt unsafe"
    assert groups[points[2]].share == pytest.approx(0.5)
    assert groups[points[1]].n is None, "a group of two"
    assert groups[points[3]].share is None, "a group of three"
    # The cross-tab of the same question hides both cells of the first point's
    # column, so its share (which would give one of them away) is hidden too.
    assert groups[points[0]].n == 10
    assert groups[points[0]].share is None
    assert groups[points[4]].n == 0


def test_options_must_be_the_question_s_own(run, survey, indicators):
    from analysis.indicators import IndicatorError, create_indicator
    from surveys.services import load_spec

    spec = run(load_spec, survey.survey_id)
    options = survey.option_ids
    with pytest.raises(IndicatorError) as refused:
        run(create_indicator, spec, survey.question_ids["scale"], "Trust", options["single"][:1])
    assert refused.value.field == "options"
    with pytest.raises(IndicatorError) as refused:
        run(create_indicator, spec, survey.question_ids["text"], "Text", [])
    assert refused.value.field == "question"
    with pytest.raises(IndicatorError) as refused:
        run(create_indicator, spec, survey.question_ids["single"], "Again", options["single"][:1])
    assert refused.value.field == "question", "one indicator per question"


# The page ----------------------------------------------------------------------


def _section(page: str, indicator_id: int) -> str:
    return page.split(f'id="indicator-{indicator_id}"')[1].split("</section>")[0]


def test_the_page_shows_n_share_and_interval(client, survey, indicators):
    signed_in_as(client, "ind-planner")
    page = client.get(f"/staff/surveys/{survey.survey_id}/indicators")
    assert page.status_code == 200
    unsafe = page_text(_section(page.text, indicators["unsafe"]))
    low, high = wilson_interval(11, 27)
    assert f"Answered 27 Share (95% interval) 41% ({round(low * 100)}–{round(high * 100)}%)" in (
        unsafe
    )
    assert "41% (25–59%)" in unsafe
    assert "41% of the 27 people who answered chose one of the counted answers." in unsafe
    assert "between 25% and 59%" in unsafe
    seen = page_text(_section(page.text, indicators["seen"]))
    assert "Answered 21" in seen
    assert "71% (50–86%)" in seen, "15 of 21"
    assert "“Online”, “Street”" in seen


def test_a_breakdown_hides_small_groups(client, survey, indicators):
    signed_in_as(client, "ind-planner")
    by = f"q{survey.question_ids['scale']}"
    page = client.get(f"/staff/surveys/{survey.survey_id}/indicators?by={by}")
    assert page.status_code == 200
    unsafe = _section(page.text, indicators["unsafe"])
    rows = {
        page_text(cells[0]): [page_text(cell) for cell in cells[1:]]
        for cells in (
            re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            for row in re.findall(r"<tr>(.*?)</tr>", unsafe, re.S)
        )
    }
    assert rows["Some"] == ["12", "50% (25–75%)"]
    assert rows["Little"] == ["not shown", "not shown"], "two people"
    assert rows["Much"] == ["not shown", "not shown"], "three people"
    assert rows["None"] == ["10", "not shown"]
    assert rows["Complete"] == ["0", "nobody answered"]


def test_adding_an_indicator_step_by_step(client, run, survey, indicators):
    signed_in_as(client, "ind-planner")
    base = f"/staff/surveys/{survey.survey_id}/indicators"
    scale = survey.question_ids["scale"]
    first = client.get(base).text
    assert f'<option value="{scale}">' in first
    step = client.get(f"{base}?question={scale}")
    assert step.status_code == 200
    options = survey.option_ids["scale"]
    assert f'id="indicator-option-{options[0]}"' in step.text
    refused = post_form(
        client,
        f"{base}?question={scale}",
        base,
        {
            "question": str(scale),
            "label": "Trust the police",
            "options": [str(survey.option_ids["single"][0])],
        },
    )
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert "Choose the answers that count: at least one, and not all of them." in page_text(
        refused.text
    )
    assert 'value="Trust the police"' in refused.text
    empty = post_form(
        client, base, base, {"question": str(scale), "label": "", "options": [str(options[3])]}
    )
    assert empty.status_code == 422
    assert '<a href="#indicator-label">' in empty.text
    added = post_form(
        client,
        base,
        base,
        {
            "question": str(scale),
            "label": f"Trust the police {HOSTILE}",
            "options": [str(options[3]), str(options[4])],
        },
    )
    assert added.status_code == 303
    page = client.get(added.headers["location"]).text
    assert "Indicator added." in page_text(page)
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
    new_id = int(re.findall(r'action="/staff/indicators/(\d+)/delete"', page)[-1])
    assert "Answered 27" in page_text(_section(page, new_id))
    deleted = post_form(client, base, f"/staff/indicators/{new_id}/delete", {})
    assert deleted.status_code == 303
    assert "Indicator deleted." in page_text(client.get(deleted.headers["location"]).text)
    assert post_form(client, base, f"/staff/indicators/{new_id}/delete", {}).status_code == 404
