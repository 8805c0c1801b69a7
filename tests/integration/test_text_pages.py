"""The planner's text pages on a real database: what people wrote, themes by
group, suggested themes, the codebook, review by theme, safeguarding and the
admin's original text; who may see each; hostile input shown as text; small
groups hidden, and hidden cells not recoverable from the totals or from two views.

Answers go in through the survey's submit form, the text job analyses them, and
the codebook is imported through its page, as a planner would."""

from __future__ import annotations

import itertools
import json
import re

import pytest

from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
NIGHT = "The bus at night is scary and nobody helps."
SCHOOL = "Teach children in school what to do about hate."
ONLINE = "People write horrible things about us online."
ICELANDIC = "Strætó er hættulegur á kvöldin og enginn hjálpar."
FINNISH = "Nuoret tarvitsevat turvallisen paikan kaupungissa illalla."
THREAT = "A man in the street threatened to kill me because of my headscarf."
# (text, answer to "Do you feel safe?"): the night theme is big in two groups;
# the school theme has a group of two ("Not sure"), the online theme two answers.
ANSWERS = (
    [(NIGHT, "Yes")] * 6
    + [(NIGHT, "No")] * 6
    + [(SCHOOL, "Yes")] * 5
    + [(SCHOOL, "Not sure")] * 2
    + [(ONLINE, "No")] * 2
    + [(ICELANDIC, "Yes")] * 2
    + [(FINNISH, "No")] * 6
    + [(THREAT, "Yes")]
    + [(f"{HOSTILE} anna@example.is", "Yes")]
)
CODEBOOK = {
    "themes": [
        {"id": "night", "label": "Unsafe at night", "keywords": ["night", "bus"]},
        {"id": "school", "label": "Schools", "keywords": ["school"]},
        {"id": "online", "label": "Online hate", "keywords": ["online"]},
    ]
}
TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def _tables(page: str) -> dict[str, list[list[str]]]:
    """caption -> rows of cell texts (the first question's tables win)."""
    found: dict[str, list[list[str]]] = {}
    for body in TABLE.findall(page):
        caption = page_text(CAPTION.search(body).group(1))
        found.setdefault(
            caption, [[page_text(c) for c in CELL.findall(row)] for row in ROW.findall(body)]
        )
    return found


@pytest.fixture(scope="module")
def survey(client, run, make_survey, make_staff):
    from analysis import jobs

    survey = make_survey("text-pages")
    ids, options = survey.question_ids, survey.option_ids
    safe = dict(zip(["Yes", "No", "Not sure"], options["single"], strict=True))
    for text, feel in ANSWERS:
        form = {
            f"q{ids['single']}": [str(safe[feel])],
            f"q{ids['scale']}": [str(options["scale"][0])],
            f"q{ids['text']}": [text],
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    run(jobs.analyse_all_pending)
    for name, role in (
        ("text-planner", "planner"),
        ("text-admin", "admin"),
        ("text-facilitator", "facilitator"),
    ):
        make_staff(name, role)
    signed_in_as(client, "text-planner")
    base = f"/staff/surveys/{survey.survey_id}/text"
    page = client.get(f"{base}/codebook").text
    imported = client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("codebook.json", json.dumps(CODEBOOK).encode(), "application/json")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert post_form(client, f"{base}/codebook", f"{base}/codebook/recode", {}).status_code == 303
    return survey


@pytest.fixture
def base(client, survey) -> str:
    signed_in_as(client, "text-planner")
    return f"/staff/surveys/{survey.survey_id}/text"


def _theme_id(run, survey, key: str) -> int:
    from analysis.tables import Theme

    row = run(
        Theme.select(Theme.id)
        .where((Theme.survey == survey.survey_id) & (Theme.key == key))
        .first()
        .run
    )
    return row["id"]


def _add_suggestion(run, survey, key: str, label: str) -> int:
    from analysis.tables import Theme, ThemeStatus

    rows = run(
        Theme.insert(
            Theme(
                survey=survey.survey_id,
                key=key,
                label=label,
                keywords=["night", "dark"],
                examples=[NIGHT, f"{HOSTILE} example"],
                status=ThemeStatus.suggested.value,
                size=12,
            )
        ).run
    )
    return rows[0]["id"]


def test_the_overview_counts_languages_sentiment_and_themes(client, base):
    page = client.get(base)
    assert page.status_code == 200
    text = page_text(page.text)
    tables = _tables(page.text)
    languages = {row[0]: row[1:] for row in tables["Languages"][1:]}
    assert languages["English"][0] not in ("not shown", "")
    assert languages["íslenska"][0] == "not shown", "two answers in Icelandic"
    assert languages["suomi"][1] == "not shown: sentiment is only measured for English"
    assert re.match(r"^[+-]\d\.\d\d$", languages["English"][1])
    themes = {row[0]: row[1:] for row in tables["Themes of the codebook"][1:]}
    assert themes["Unsafe at night"][0] == "12"
    assert themes["Schools"][0] == "7"
    assert themes["Online hate"][0] == "not shown", "two answers"
    assert themes["Online hate"][1] == "not shown: fewer than 5 answers in English"
    assert re.match(r"^[+-]\d\.\d\d$", themes["Unsafe at night"][1])
    # Quotes only for a theme of at least k answers, redacted, once each.
    assert text.count(NIGHT) == 1
    assert ONLINE not in text
    assert "No quotes: shown only for a theme of at least 5 answers." in text
    assert "1 answer flagged for safeguarding" in text or "answers flagged" in text


def test_themes_by_group_hide_the_small_group(client, base, survey):
    page = client.get(f"{base}?by=q{survey.question_ids['single']}")
    assert page.status_code == 200
    header, *rows = _tables(page.text)["Themes by group"]
    assert header == ["Theme", "Yes", "No", "Not sure"]
    by_theme = {row[0]: row[1:] for row in rows}
    assert by_theme["Schools"][2] == "not shown", "the two who were not sure"
    assert by_theme["Schools"].count("not shown") == 2, "and one more, or 7 - 5 gives it away"
    assert "not shown" in by_theme["Online hate"]
    # Quotes are the whole question's, the same with a breakdown as without.
    assert page_text(page.text).count(SCHOOL) == page_text(client.get(base).text).count(SCHOOL) == 1
    # One group only (every answer came from the web): the big theme shows.
    channel = _tables(client.get(f"{base}?by=channel").text)["Themes by group"]
    assert channel[0] == ["Theme", "Own device"]
    by_channel = {row[0]: row[1:] for row in channel[1:]}
    assert by_channel["Unsafe at night"] == ["12"]
    assert by_channel["Online hate"] == ["not shown"]


def _number(cell: str) -> int | None:
    return int(cell) if cell.isdigit() else None


def test_two_views_and_the_totals_reveal_no_hidden_cell(client, base, survey):
    """The differencing attack: row totals from the overview, or from any view
    that shows a whole row, then each view solved row by row."""
    one_way = _tables(client.get(base).text)["Themes of the codebook"][1:]
    totals = {row[0]: _number(row[1]) for row in one_way}
    views = []
    for by in (f"q{survey.question_ids['single']}", "language", "channel"):
        rows = _tables(client.get(f"{base}?by={by}").text)["Themes by group"][1:]
        views.append({row[0]: [_number(cell) for cell in row[1:]] for row in rows})
    for view in views:
        for theme, cells in view.items():
            if None not in cells:
                totals[theme] = totals.get(theme) or sum(cells)
    assert totals["Online hate"] is None, "no view gives away the small theme's total"
    for view in views:
        for theme, cells in view.items():
            hidden = [cell for cell in cells if cell is None]
            if hidden and totals.get(theme) is not None:
                assert len(hidden) >= 2, f"{theme}: one hidden cell follows from the total"


def test_suggested_themes_accept_rename_merge_and_discard(client, base, run, survey):
    accept = _add_suggestion(run, survey, "dark", "Dark streets")
    rename = _add_suggestion(run, survey, "rename-me", "Old label")
    merge = _add_suggestion(run, survey, "merge-me", "Night buses")
    discard = _add_suggestion(run, survey, "drop-me", "Noise")
    page = client.get(f"{base}/themes")
    assert page.status_code == 200
    assert "Dark streets" in page.text
    assert "12 answers" in page.text
    themes = f"{base}/themes"

    done = post_form(client, themes, f"{themes}/{accept}/accept", {})
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "“Dark streets” is now in the codebook." in page_text(shown)
    assert "Dark streets" in page_text(client.get(f"{base}/codebook").text)

    done = post_form(client, themes, f"{themes}/{rename}/rename", {"label": "Lighting"})
    assert "Renamed to “Lighting”." in page_text(client.get(done.headers["location"]).text)

    night = _theme_id(run, survey, "night")
    done = post_form(client, themes, f"{themes}/{merge}/merge", {"into": str(night)})
    assert done.status_code == 303
    after = client.get(done.headers["location"]).text
    assert "Merged into “Unsafe at night”." in page_text(after)
    assert "Night buses" not in page_text(after)
    codebook = page_text(client.get(f"{base}/codebook").text)
    assert "dark" in codebook, "the suggestion's keywords joined the theme"

    done = post_form(client, themes, f"{themes}/{discard}/discard", {})
    assert "“Noise” was discarded." in page_text(client.get(done.headers["location"]).text)
    # An htmx request gets the theme's block alone, with the outcome to focus.
    other = _add_suggestion(run, survey, "htmx-one", "Parks")
    html_page = client.get(themes).text
    block = client.post(
        f"{themes}/{other}/accept",
        data={"_csrf_token": csrf_token(html_page)},
        headers={"HX-Request": "true"},
    )
    assert block.status_code == 200
    assert block.text.lstrip().startswith(f'<li class="theme-card" id="theme-{other}"')
    assert f'id="accept-{other}"' in block.text
    assert "<html" not in block.text


def test_rename_refuses_an_empty_label_and_keeps_the_page(client, base, run, survey):
    theme = _add_suggestion(run, survey, "empty-label", "Keep me")
    response = post_form(client, f"{base}/themes", f"{base}/themes/{theme}/rename", {"label": ""})
    assert response.status_code == 422
    assert "Enter a label of 1 to 120 characters." in page_text(response.text)
    assert "There is a problem" in response.text


def test_suggest_again_finds_themes(client, base):
    done = post_form(client, f"{base}/themes", f"{base}/themes/suggest", {})
    assert done.status_code == 303
    page = page_text(client.get(done.headers["location"]).text)
    assert re.search(r"\d+ themes? suggested\.", page)


def test_hostile_input_is_shown_as_text(client, base, run, survey):
    theme = _add_suggestion(run, survey, "hostile", "Hostile")
    post_form(client, f"{base}/themes", f"{base}/themes/{theme}/rename", {"label": HOSTILE})
    themes_page = client.get(f"{base}/themes").text
    night = _theme_id(run, survey, "night")
    post_form(
        client,
        f"{base}/codebook",
        f"{base}/codebook/{night}",
        {"label": "Unsafe at night", "description": HOSTILE, "keywords": f"night\nbus\n{HOSTILE}"},
    )
    codebook_page = client.get(f"{base}/codebook").text
    review_page = client.get(f"{base}/themes/{night}/review").text
    for page in (themes_page, codebook_page, client.get(base).text, review_page):
        assert "<script>alert" not in page
        assert "<img src=x" not in page
    assert "&lt;script&gt;" in themes_page
    assert "&lt;script&gt;" in codebook_page
    # An imported codebook's label, and an answer's own text, are text too.
    hostile_book = {"themes": [{"id": "hostile-import", "label": HOSTILE, "keywords": ["x"]}]}
    page = client.get(f"{base}/codebook").text
    client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("c.json", json.dumps(hostile_book).encode(), "application/json")},
    )
    after = client.get(f"{base}/codebook").text
    assert "<script>alert" not in after
    assert "&lt;script&gt;" in after
    flags = client.get(f"{base}/safeguarding").text
    assert "<script>alert" not in flags


def test_a_bad_codebook_file_says_where_and_stores_nothing(client, base, run, survey):
    from analysis.tables import Theme

    before = run(Theme.count().where(Theme.survey == survey.survey_id).run)
    bad = {
        "themes": [{"id": "fine", "label": "Fine"}, {"id": "bad", "label": "Bad", "keywords": [3]}]
    }
    page = client.get(f"{base}/codebook").text
    response = client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("bad.json", json.dumps(bad).encode(), "application/json")},
    )
    assert response.status_code == 422
    assert "There is a problem" in response.text
    assert "themes[1].keywords[0]" in page_text(response.text)
    assert '<a href="#import-codebook">' in response.text
    assert run(Theme.count().where(Theme.survey == survey.survey_id).run) == before
    empty = client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("none.json", b"", "application/json")},
    )
    assert empty.status_code == 422
    assert "Choose a codebook file (.json)." in empty.text


def test_the_codebook_exports_as_an_audited_download(client, base, run, survey):
    from consult.tables import AuditEvent

    response = client.get(f"{base}/codebook/export.json")
    assert response.status_code == 200
    assert response.headers["content-disposition"].startswith("attachment;")
    ids = [theme["id"] for theme in json.loads(response.text)["themes"]]
    assert {"night", "school", "online"} <= set(ids)
    events = run(
        AuditEvent.select()
        .where((AuditEvent.action == "export_codebook") & (AuditEvent.is_export == True))  # noqa: E712
        .run
    )
    assert events
    assert events[-1]["object_id"] == survey.survey_id


def test_editing_a_theme_checks_its_fields(client, base, run, survey):
    school = _theme_id(run, survey, "school")
    response = post_form(
        client,
        f"{base}/codebook",
        f"{base}/codebook/{school}",
        {"label": "", "description": "", "keywords": "school"},
    )
    assert response.status_code == 422
    assert "Enter a label of 1 to 120 characters." in page_text(response.text)
    saved = post_form(
        client,
        f"{base}/codebook",
        f"{base}/codebook/{school}",
        {"label": "Schools and teaching", "description": "", "keywords": "school, teach*"},
    )
    assert saved.status_code == 303
    assert "“Schools and teaching” saved." in page_text(client.get(saved.headers["location"]).text)


def test_reviewing_a_theme_answer_by_answer(client, base, run, survey):
    from analysis.tables import CodeSource, Coding

    night = _theme_id(run, survey, "night")
    review = f"{base}/themes/{night}/review"
    page = client.get(review)
    assert page.status_code == 200
    assert "Why this suggestion" in page.text
    assert "keyword" in page_text(page.text), "the coder's reasons are shown"
    codes = re.findall(rf'action="{re.escape(review)}/(\d+)"', page.text)
    assert len(codes) >= 2
    first, second = int(codes[0]), int(codes[1])
    done = post_form(client, review, f"{review}/{first}", {"decision": "yes"})
    assert done.status_code == 303
    after = client.get(done.headers["location"]).text
    assert "Saved: this theme." in page_text(after)
    assert f'id="answer-{first}"' not in after, "a reviewed answer leaves the list"
    # With htmx, the row alone comes back, the "No" button pressed.
    row = client.post(
        f"{review}/{second}",
        data={"_csrf_token": csrf_token(after), "decision": "no"},
        headers={"HX-Request": "true"},
    )
    assert row.status_code == 200
    assert "<html" not in row.text
    assert re.search(rf'id="no-{second}" aria-pressed="true"', row.text)
    sources = {
        r["id"]: (r["source"], r["reviewed_by"])
        for r in run(Coding.select().where(Coding.id.is_in([first, second])).run)
    }
    assert sources[first][0] == CodeSource.confirmed.value
    assert sources[second][0] == CodeSource.rejected.value
    assert sources[first][1] is not None
    assert (
        client.post(
            f"{review}/{second}", data={"_csrf_token": csrf_token(after), "decision": "maybe"}
        ).status_code
        == 404
    )


def test_review_pages_go_on_by_keyset(client, base, run, survey):
    from analysis.text_insights import review_page

    night = _theme_id(run, survey, "night")
    first, after = run(review_page, night, None, 3)
    assert len(first) == 3
    assert after == first[-1].coding_id
    second, _ = run(review_page, night, after, 3)
    assert not {row.coding_id for row in first} & {row.coding_id for row in second}
    assert all(a.score >= b.score for a, b in itertools.pairwise(first))
    page = client.get(f"{base}/themes/{night}/review?after={after}")
    assert page.status_code == 200


def test_safeguarding_flags_are_followed_up_and_audited(client, base, run):
    from analysis.tables import SafeguardingFlag
    from consult.tables import AuditEvent

    page = client.get(f"{base}/safeguarding")
    assert page.status_code == 200
    assert "threatened to kill me" in page.text
    flag_id = int(re.search(r'safeguarding/(\d+)"', page.text).group(1))
    refused = post_form(
        client, f"{base}/safeguarding", f"{base}/safeguarding/{flag_id}", {"note": ""}
    )
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    done = post_form(
        client,
        f"{base}/safeguarding",
        f"{base}/safeguarding/{flag_id}",
        {"note": f"Passed to the police liaison. {HOSTILE}"},
    )
    assert done.status_code == 303
    assert "Marked as followed up." in page_text(client.get(done.headers["location"]).text)
    every = client.get(f"{base}/safeguarding?all=1").text
    assert "Passed to the police liaison." in page_text(every)
    assert "<script>alert" not in every
    flag = run(SafeguardingFlag.select().where(SafeguardingFlag.id == flag_id).first().run)
    assert flag["reviewed"]
    assert flag["reviewed_by"]
    assert flag["reviewed_at"]
    assert run(SafeguardingFlag.count().run) >= 1, "nothing is deleted"
    assert run(
        AuditEvent.count()
        .where((AuditEvent.action == "safeguarding_follow_up") & (AuditEvent.object_id == flag_id))
        .run
    )


def test_pages_show_redacted_text_and_only_admins_the_original(client, base, run, survey):
    from analysis.tables import TextAnswer
    from consult.tables import AuditEvent

    row = run(
        TextAnswer.select(TextAnswer.id, TextAnswer.redacted)
        .where(TextAnswer.answer.text.like("%anna@example.is%"))
        .first()
        .run
    )
    assert "anna@example.is" not in row["redacted"]
    original = f"/staff/text-answers/{row['id']}/original"
    for page in ("", "/themes", "/codebook", "/safeguarding"):
        assert "anna@example.is" not in client.get(f"{base}{page}").text
    assert post_form(client, base, original, {}).status_code == 403, (
        "a planner does not see originals"
    )
    signed_in_as(client, "text-admin")
    before = run(AuditEvent.count().where(AuditEvent.action == "view_original_text").run)
    assert client.get(original).status_code == 405, "a GET writes nothing, so shows nothing"
    page = post_form(client, base, original, {})
    assert page.status_code == 200
    assert "anna@example.is" in page.text
    assert "<script>alert" not in page.text
    assert (
        run(AuditEvent.count().where(AuditEvent.action == "view_original_text").run) == before + 1
    )
    assert '/original" class="body">' in client.get(f"{base}/safeguarding?all=1").text, (
        "the safeguarding page offers the original as a form"
    )
    missing = "/staff/text-answers/999999/original"
    assert post_form(client, base, missing, {}).status_code == 404


ROUTES = ("", "/themes", "/codebook", "/safeguarding", "?by=language")


def test_who_may_see_the_text_pages(client, survey, run):
    base = f"/staff/surveys/{survey.survey_id}/text"
    night = _theme_id(run, survey, "night")
    pages = [f"{base}{route}" for route in ROUTES] + [f"{base}/themes/{night}/review"]
    original = "/staff/text-answers/1/original"
    signed_in_as(client, None)
    for page in pages:
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303
        assert "/staff/login" in response.headers["location"]
    assert post_form(client, "/staff/login", original, {}).status_code == 401
    signed_in_as(client, "text-facilitator")
    for page in pages:
        assert client.get(page).status_code == 403, page
    assert post_form(client, "/staff", original, {}).status_code == 403
    assert post_form(client, "/staff", f"{base}/codebook/recode", {}).status_code == 403, (
        "nor may a facilitator act"
    )
    signed_in_as(client, "text-admin")
    for page in pages:
        assert client.get(page).status_code == 200, page
    signed_in_as(client, "text-planner")
    assert client.get("/staff/surveys/999999/text").status_code == 404
    other = _theme_id(run, survey, "night")
    assert client.get(f"/staff/surveys/999999/text/themes/{other}/review").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(client, base, run, survey):
    theme = _add_suggestion(run, survey, "csrf", "Forged")
    for action, data in (
        (f"{base}/themes/{theme}/accept", {}),
        (f"{base}/codebook/recode", {}),
        (f"{base}/safeguarding/1", {"note": "x"}),
    ):
        assert client.post(action, data=data).status_code == 403, action
    assert "Forged" in client.get(f"{base}/themes").text, "nothing was accepted"


def test_links_lead_to_the_text_pages(client, base, survey):
    consultation = client.get(f"/staff/consultations/{survey.consultation_id}").text
    assert f'href="{base}"' in consultation
    assert f'href="{base}/safeguarding"' in consultation
    results = client.get(f"/staff/surveys/{survey.survey_id}/results").text
    assert f'href="{base}"' in results
