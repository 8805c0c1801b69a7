"""Results broken down by a segment, and the differencing attack played against
the running app: a planner (or anyone who sees the pages) who knows the one-way
counts and reads a breakdown must not be able to work out any hidden cell."""

from __future__ import annotations

import html
import re

import pytest

from tests.fixtures import send_survey, sign_in

# (answer to "Do you feel safe?", answer to the trust scale), repeated: the
# "Not sure" group has two people, the kind of group that would single them out.
ANSWERS = (
    [("Yes", "Much")] * 9
    + [("Yes", "Some")] * 6
    + [("Yes", "None")] * 6
    + [("No", "None")] * 7
    + [("No", "Some")] * 5
    + [("No", "Much")] * 6
    + [("Not sure", "Much"), ("Not sure", "None")]
)
TABLE = re.compile(r'<table class="table results-table( crosstab)?">(.*?)</table>', re.S)
CAPTION = re.compile(r"<caption[^>]*>\s*([^<]+)")
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


@pytest.fixture(scope="module")
def survey(client, make_survey, make_staff):
    survey = make_survey("cross-tabs")
    ids, options = survey.question_ids, survey.option_ids
    safe = dict(zip(["Yes", "No", "Not sure"], options["single"], strict=True))
    trust = dict(zip(["None", "Little", "Some", "Much", "Complete"], options["scale"], strict=True))
    for feel, trusts in ANSWERS:
        form = {f"q{ids['single']}": [str(safe[feel])], f"q{ids['scale']}": [str(trust[trusts])]}
        assert send_survey(client, survey.submit_url, form).status_code == 303
    make_staff("crosstab-planner", "planner")
    sign_in(client, "crosstab-planner")
    return survey


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def _tables(page: str, crosstab: bool) -> dict[str, list[list[str]]]:
    """caption -> rows of cell texts, of the one-way tables or of the cross-tabs."""
    found = {}
    for kind, body in TABLE.findall(page):
        if bool(kind) == crosstab:
            caption = _text(CAPTION.search(body).group(1))
            found[caption] = [[_text(c) for c in CELL.findall(row)] for row in ROW.findall(body)]
    return found


def _number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


def test_a_breakdown_shows_each_group_and_hides_the_small_one(client, survey):
    page = client.get(
        f"/staff/surveys/{survey.survey_id}/results?by=q{survey.question_ids['single']}"
    )
    assert page.status_code == 200
    tables = _tables(page.text, crosstab=True)
    trust = next(rows for caption, rows in tables.items() if "trust the police" in caption)
    header, *rows = trust
    assert header == ["Answer", "Yes", "No", "Not sure"]
    by_label = {row[0]: row[1:] for row in rows}
    assert by_label["Much"][0] == "9"
    assert by_label["None"][1] == "7"
    assert by_label["Much"][2] == "not shown", "one person of the 'Not sure' group"
    assert by_label["None"][2] == "not shown"
    # With the row's total known, one more cell of each such row must go.
    assert by_label["Much"].count("not shown") >= 2
    assert by_label["Little"] == ["0", "0", "0"], "an empty row gives nobody away"
    # The question used as the segment is not broken down by itself.
    assert not any("feel safe" in caption for caption in tables)


def _solve(totals: dict[str, int], rows: dict[str, list[int | None]]) -> set[tuple[str, int]]:
    """Every hidden cell an attacker can work out from row totals (the one-way
    counts) and column totals (the segment question's one-way counts)."""
    known = {(row, col): value for row, cells in rows.items() for col, value in enumerate(cells)}
    columns = len(next(iter(rows.values())))
    recovered: set[tuple[str, int]] = set()
    progress = True
    while progress:
        progress = False
        lines = [([(row, col) for col in range(columns)], totals.get(row)) for row in rows]
        lines += [
            ([(row, col) for row in rows], totals.get(f"column {col}")) for col in range(columns)
        ]
        for cells, total in lines:
            unknown = [cell for cell in cells if known[cell] is None]
            if total is not None and len(unknown) == 1:
                known[unknown[0]] = total - sum(known[c] or 0 for c in cells if c != unknown[0])
                recovered.add(unknown[0])
                progress = True
    return recovered


def test_the_differencing_attack_recovers_nothing(client, survey):
    base = f"/staff/surveys/{survey.survey_id}/results"
    one_way = _tables(client.get(base).text, crosstab=False)
    trust_counts = next(rows for caption, rows in one_way.items() if "trust the police" in caption)
    safe_counts = next(rows for caption, rows in one_way.items() if "feel safe" in caption)
    totals = {row[0]: n for row in trust_counts[1:] if (n := _number(row[1])) is not None}
    # The attacker also knows each group's size, the segment question's own counts
    # (and, being generous to them, the size of the smallest group too).
    for col, row in enumerate(safe_counts[1:]):
        totals[f"column {col}"] = _number(row[1]) if _number(row[1]) is not None else 2
    page = client.get(f"{base}?by=q{survey.question_ids['single']}").text
    trust = next(
        rows for caption, rows in _tables(page, crosstab=True).items() if "trust" in caption
    )
    rows = {row[0]: [_number(cell) for cell in row[1:]] for row in trust[1:]}
    hidden = {(row, col) for row, cells in rows.items() for col, v in enumerate(cells) if v is None}
    assert hidden, "the small group must have hidden cells to protect"
    assert not _solve(totals, rows) & hidden


def test_language_and_channel_are_segments_too(client, survey):
    base = f"/staff/surveys/{survey.survey_id}/results"
    by_language = _tables(client.get(f"{base}?by=language").text, crosstab=True)
    header = next(iter(by_language.values()))[0]
    assert header == ["Answer", "English"]
    by_channel = _tables(client.get(f"{base}?by=channel").text, crosstab=True)
    assert next(iter(by_channel.values()))[0] == ["Answer", "Own device"]


def test_an_unknown_segment_shows_the_plain_results(client, survey):
    page = client.get(f"/staff/surveys/{survey.survey_id}/results?by=q99999'--")
    assert page.status_code == 200
    assert not _tables(page.text, crosstab=True)
    assert _tables(page.text, crosstab=False)


def test_the_live_refresh_gets_only_the_figures(client, survey):
    base = f"/staff/surveys/{survey.survey_id}/results"
    full = client.get(base).text
    assert 'hx-trigger="every 30s"' in full, "an open consultation refreshes its figures"
    polled = client.get(base, headers={"HX-Request": "true", "HX-Target": "results-body"})
    assert polled.status_code == 200
    assert "<html" not in polled.text
    assert f"{len(ANSWERS)} responses" in polled.text
    assert "<svg" in polled.text, "the bar charts refresh with their tables"


def test_a_multiple_choice_question_is_a_segment_too(client, make_survey):
    """Someone who ticked two places is counted in both columns, once in each."""
    survey = make_survey("cross-tabs-multiple")
    ids, options = survey.question_ids, survey.option_ids
    yes = str(options["single"][0])
    online, street = (str(option) for option in options["multiple"][:2])
    for places in [[online, street]] * 6 + [[online]] * 5:
        form = {
            f"q{ids['single']}": [yes],
            f"q{ids['multiple']}": places,
            f"q{ids['scale']}": [str(options["scale"][0])],
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    page = client.get(f"/staff/surveys/{survey.survey_id}/results?by=q{ids['multiple']}")
    safe = next(
        rows
        for caption, rows in _tables(page.text, crosstab=True).items()
        if "feel safe" in caption
    )
    header, yes_row, *_ = safe
    assert header[:3] == ["Answer", "Online", "Street"]
    assert yes_row[:3] == ["Yes", "11", "6"]
