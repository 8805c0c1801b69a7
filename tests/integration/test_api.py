"""The JSON API on a real database: a bearer token or 401, GET only, drafts absent,
no cookies, no-store; results, cross-tabs, themes, indicators and findings equal to
what the planner's pages show, suppressed cells null; the OpenAPI schema describes
the API alone and pulls nothing from a CDN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from tests.fixtures import page_text, send_survey, sign_in

NIGHT = "The bus at night is scary and nobody helps."
SCHOOL = "Teach children in school what to do about hate."
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# (answer to "Do you feel safe?", text): "Not sure" is a group of two; the school
# theme has three answers, so neither is shown.
ANSWERS = (
    [("Yes", NIGHT)] * 10 + [("No", NIGHT)] * 4 + [("No", SCHOOL)] * 3 + [("Not sure", "")] * 2
)
TABLE = re.compile(r"<table[^>]*>(.*?)</table>", re.S)
CAPTION = re.compile(r"<caption[^>]*>(.*?)</caption>", re.S)
ROW = re.compile(r"<tr[^>]*>(.*?)</tr>", re.S)
CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def page_tables(page: str) -> dict[str, list[list[str]]]:
    """caption (without its note) -> rows of cell texts, for every captioned table."""
    found: dict[str, list[list[str]]] = {}
    for body in TABLE.findall(page):
        caption = CAPTION.search(body)
        if caption is None:
            continue
        title = page_text(re.sub(r'<span class="caption-note">.*?</span>', "", caption.group(1)))
        found.setdefault(
            title, [[page_text(c) for c in CELL.findall(row)] for row in ROW.findall(body)]
        )
    return found


def as_number(cell: str) -> int | None:
    return None if cell == "not shown" else int(cell)


@dataclass(frozen=True)
class World:
    survey: Any  # tests.fixtures.DemoSurvey
    draft: Any
    planner: str
    admin: str
    indicator_id: int
    theme_ids: dict[str, int]
    quote_id: int
    finding_id: int


def build_world(client, run, make_survey, make_staff, prefix: str) -> World:
    """An open consultation with answers (small groups in it), accepted themes coded,
    an approved quote, an indicator and a finding with a partner and evidence; a
    draft consultation beside it; a planner and an admin."""
    from analysis import coding, findings, jobs, quotes
    from analysis.findings import EvidenceInput, FindingInput
    from analysis.indicators import create_indicator
    from analysis.tables import TextAnswer, Theme, ThemeStatus
    from consult.tables import ConsultationStatus, Organisation, OrganisationKind
    from surveys.services import load_spec

    survey = make_survey(f"{prefix}-open")
    draft = make_survey(f"{prefix}-draft", status=ConsultationStatus.draft)
    ids, options = survey.question_ids, survey.option_ids
    feel = dict(zip(["Yes", "No", "Not sure"], options["single"], strict=True))
    for answer, text in ANSWERS:
        form = {
            f"q{ids['single']}": [str(feel[answer])],
            f"q{ids['scale']}": [str(options["scale"][0 if answer == "Yes" else 1])],
            **({f"q{ids['text']}": [text]} if text else {}),
        }
        assert send_survey(client, survey.submit_url, form).status_code == 303
    run(jobs.analyse_all_pending)
    themes = {}
    for key, label, words in (
        ("night", "Unsafe at night", ["night", "bus"]),
        ("school", "Schools", ["school"]),
    ):
        themes[key] = run(
            Theme.insert(
                Theme(
                    survey=survey.survey_id,
                    key=key,
                    label=label,
                    keywords=words,
                    status=ThemeStatus.accepted.value,
                )
            ).run
        )[0]["id"]
    run(coding.recode_survey, survey.survey_id)
    night_answer = run(
        TextAnswer.select(TextAnswer.id).where(TextAnswer.redacted == NIGHT).first().run
    )
    quote_id = run(quotes.approve, night_answer["id"], f"Night bus {HOSTILE}")
    school_answer = run(
        TextAnswer.select(TextAnswer.id).where(TextAnswer.redacted == SCHOOL).first().run
    )
    run(quotes.approve, school_answer["id"], "A school quote nobody may see by its theme")
    spec = run(load_spec, survey.survey_id)
    indicator_id = run(create_indicator, spec, ids["single"], "Feel safe", [options["single"][0]])
    partner = run(
        Organisation.insert(
            Organisation(
                name="Breiðholt Youth Club", kind=OrganisationKind.youth.value, city="Reykjavik"
            )
        ).run
    )[0]["id"]
    finding_id = run(
        findings.create_finding,
        survey.consultation_id,
        FindingInput(
            title=f"Night buses {HOSTILE}",
            statement=f"People fear the night bus. {HOSTILE}",
            strategy_area="Prevention and early intervention",
            priority="high",
            proposed_action=f"Safer night buses {HOSTILE}",
            owner="Strætó and the youth services",
            timeline="Autumn 2027",
            partner_ids=(partner,),
        ),
    )
    for data in (
        EvidenceInput("question", question_id=ids["single"]),
        EvidenceInput("theme", theme_id=themes["night"]),
        EvidenceInput("quote", quote_id=quote_id),
        EvidenceInput("indicator", indicator_id=indicator_id),
    ):
        assert run(findings.add_evidence, finding_id, data)
    planner, admin = f"{prefix}-planner", f"{prefix}-admin"
    make_staff(planner, "planner")
    make_staff(admin, "admin")
    return World(survey, draft, planner, admin, indicator_id, themes, quote_id, finding_id)


@pytest.fixture(scope="module")
def world(client, run, make_survey, make_staff) -> World:
    return build_world(client, run, make_survey, make_staff, "api")


@pytest.fixture(scope="module")
def token(run, world) -> str:
    from consult.services import api_tokens

    return run(api_tokens.create_token, "BI dashboard", None)


@pytest.fixture
def api(client, token):
    """GET an API path with the token, and no cookie of any kind."""
    client.cookies.clear()

    def get(path: str, **headers: str) -> Any:
        return client.get(path, headers={"Authorization": f"Bearer {token}", **headers})

    return get


def _planner_page(client, world: World, path: str) -> str:
    client.cookies.clear()
    assert sign_in(client, world.planner).status_code == 303
    page = client.get(path)
    client.cookies.clear()
    assert page.status_code == 200
    return page.text


ENDPOINTS = (
    "/api/v1/consultations",
    "/api/v1/consultations/{c}",
    "/api/v1/consultations/{c}/findings",
    "/api/v1/surveys/{s}/results",
    "/api/v1/surveys/{s}/results?by=channel",
    "/api/v1/surveys/{s}/themes",
    "/api/v1/surveys/{s}/indicators",
)


def _paths(world: World) -> list[str]:
    c, s = world.survey.consultation_id, world.survey.survey_id
    return [path.format(c=c, s=s) for path in ENDPOINTS]


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "",
        "Bearer",
        "Bearer consult_not-a-token",
        "Basic dXNlcjpwYXNz",
        "Bearer consult_" + "x" * 300,
    ],
    ids=["none", "empty", "no-token", "unknown", "basic", "overlong"],
)
def test_without_a_live_token_every_endpoint_is_401_json(client, world, authorization):
    client.cookies.clear()
    headers = {"Authorization": authorization} if authorization is not None else {}
    for path in _paths(world):
        response = client.get(path, headers=headers)
        assert response.status_code == 401, path
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert response.headers["cache-control"] == "no-store"
        assert set(response.json()) == {"detail"}
        assert "set-cookie" not in response.headers


def test_a_planner_session_is_not_a_token(client, world):
    client.cookies.clear()
    assert sign_in(client, world.planner).status_code == 303
    response = client.get("/api/v1/consultations")
    client.cookies.clear()
    assert response.status_code == 401


def test_a_revoked_token_stops_at_once(client, run, world):
    from consult.services import api_tokens

    secret = run(api_tokens.create_token, "Soon revoked", None)
    headers = {"Authorization": f"Bearer {secret}"}
    client.cookies.clear()
    assert client.get("/api/v1/consultations", headers=headers).status_code == 200
    token_id = run(api_tokens.token_for_secret, secret)
    assert run(api_tokens.revoke, token_id, None)
    response = client.get("/api/v1/consultations", headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"]


def test_the_scheme_name_is_case_insensitive(client, token, world):
    client.cookies.clear()
    assert (
        client.get(
            "/api/v1/consultations", headers={"Authorization": f"bearer {token}"}
        ).status_code
        == 200
    )


def test_every_endpoint_answers_json_no_store_and_sets_no_cookie(api, world):
    for path in _paths(world):
        response = api(path)
        assert response.status_code == 200, (path, response.text)
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["cache-control"] == "no-store"
        assert "set-cookie" not in response.headers, path


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_the_api_is_read_only(client, token, world, method):
    client.cookies.clear()
    for path in _paths(world):
        response = client.request(
            method, path.split("?")[0], headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 405, (method, path)
        # A program reading the API gets JSON and the methods it may use.
        assert response.headers["content-type"].startswith("application/json")
        assert "GET" in response.headers["allow"]


def test_an_unknown_api_path_is_404_json(api, world):
    response = api("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_consultations_list_no_drafts(api, world):
    body = api("/api/v1/consultations").json()
    listed = {c["id"]: c for c in body["consultations"]}
    assert world.draft.consultation_id not in listed
    mine = listed[world.survey.consultation_id]
    assert mine["slug"] == "api-open"
    assert mine["status"] == "open"
    assert mine["city"] == "Reykjavik"
    assert mine["k"] == 5
    assert mine["surveys"] == [
        {
            "id": world.survey.survey_id,
            "title": "Safety survey",
            "version": 1,
            "retired": False,
            "responses": len(ANSWERS),
        }
    ]
    assert api(f"/api/v1/consultations/{world.survey.consultation_id}").json() == mine


def test_drafts_and_unknown_objects_are_404_json(api, world):
    c, s = world.draft.consultation_id, world.draft.survey_id
    for path in (
        f"/api/v1/consultations/{c}",
        f"/api/v1/consultations/{c}/findings",
        f"/api/v1/surveys/{s}/results",
        f"/api/v1/surveys/{s}/themes",
        f"/api/v1/surveys/{s}/indicators",
        "/api/v1/consultations/999999",
        "/api/v1/surveys/999999/results",
    ):
        response = api(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found"}


def test_an_unknown_segment_is_400_json(api, world):
    response = api(f"/api/v1/surveys/{world.survey.survey_id}/results?by=q999999")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_results_equal_the_results_page_with_small_cells_null(client, api, world):
    body = api(f"/api/v1/surveys/{world.survey.survey_id}/results").json()
    page = page_tables(
        _planner_page(client, world, f"/staff/surveys/{world.survey.survey_id}/results")
    )
    assert body["responses"] == len(ANSWERS)
    nulls = 0
    compared = 0
    for question in body["questions"]:
        if not question["options"]:
            continue
        rows = page[f"{question['position']}. {question['text']}"][1:]
        assert [row[0] for row in rows] == [o["label"] for o in question["options"]]
        for row, option in zip(rows, question["options"], strict=True):
            assert as_number(row[1]) == option["count"]
            compared += 1
            if option["count"] is None:
                nulls += 1
                assert option["percent"] is None
    assert compared >= 8
    single = next(q for q in body["questions"] if q["id"] == world.survey.question_ids["single"])
    by_label = {o["label"]: o for o in single["options"]}
    assert by_label["Yes"]["count"] == 10
    assert by_label["Not sure"]["count"] is None  # two people
    assert nulls >= 2  # and its complement, so it cannot be worked out
    assert single["answered"] == len(ANSWERS)
    assert single["k"] == 5


def test_cross_tabs_equal_the_page_breakdown(client, api, world):
    sid = world.survey.survey_id
    segment = f"q{world.survey.question_ids['single']}"
    body = api(f"/api/v1/surveys/{sid}/results?by={segment}").json()
    assert body["by"] == segment
    assert segment in {s["value"] for s in body["segments"]}
    page = page_tables(_planner_page(client, world, f"/staff/surveys/{sid}/results?by={segment}"))
    assert body["cross_tabs"]
    for table in body["cross_tabs"]:
        rows = page[f"{table['position']}. {table['text']}"]
        assert rows[0][1:] == [c["label"] for c in table["columns"]]
        for row, line in zip(rows[1:], table["rows"], strict=True):
            assert row[0] == line["label"]
            assert [as_number(cell) for cell in row[1:]] == line["cells"]
    assert any(None in line["cells"] for t in body["cross_tabs"] for line in t["rows"])


def test_themes_hide_small_ones_and_give_only_approved_quotes(api, world):
    body = api(f"/api/v1/surveys/{world.survey.survey_id}/themes").json()
    (question,) = body["questions"]
    themes = {t["label"]: t for t in question["themes"]}
    night, school = themes["Unsafe at night"], themes["Schools"]
    assert night["count"] == 14
    assert [q["id"] for q in night["quotes"]] == [world.quote_id]
    assert night["quotes"][0]["text"].startswith("Night bus")
    assert school["count"] is None
    assert school["quotes"] == []
    raw = api(f"/api/v1/surveys/{world.survey.survey_id}/themes").text
    # No answer's own words but the approved quote's.
    assert NIGHT not in raw
    assert SCHOOL not in raw
    assert "A school quote" not in raw


def test_indicators_and_findings(api, world):
    body = api(f"/api/v1/surveys/{world.survey.survey_id}/indicators").json()
    (indicator,) = body["indicators"]
    assert indicator["id"] == world.indicator_id
    assert indicator["counted"] == ["Yes"]
    overall = indicator["overall"]
    assert overall["n"] == len(ANSWERS)
    assert overall["count"] == 10
    assert overall["share"] == pytest.approx(10 / len(ANSWERS))
    assert overall["low"] < overall["share"] < overall["high"]
    found = api(f"/api/v1/consultations/{world.survey.consultation_id}/findings").json()
    (finding,) = found["findings"]
    assert finding["id"] == world.finding_id
    assert finding["priority"] == "high"
    assert finding["timeline"] == "Autumn 2027"
    assert [p["name"] for p in finding["partners"]] == ["Breiðholt Youth Club"]
    assert [e["kind"] for e in finding["evidence"]] == ["question", "theme", "quote", "indicator"]
    assert finding["evidence"][2]["quote"].startswith("Night bus")


def test_the_csrf_middleware_leaves_the_api_alone(client, token, world):
    client.cookies.clear()
    response = client.get("/api/v1/consultations", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert "consult_csrf" not in response.headers.get("set-cookie", "")
    assert not client.cookies


def _schema(client, path: str = "/schema/openapi.json") -> Any:
    client.cookies.clear()
    response = client.get(path)
    assert response.status_code == 200
    return response


def test_the_schema_lists_only_the_api(client, world):
    schema = _schema(client).json()
    paths = set(schema["paths"])
    assert paths == {
        "/api/v1/consultations",
        "/api/v1/consultations/{consultation_id}",
        "/api/v1/consultations/{consultation_id}/findings",
        "/api/v1/surveys/{survey_id}/results",
        "/api/v1/surveys/{survey_id}/themes",
        "/api/v1/surveys/{survey_id}/indicators",
    }
    assert all(set(item) <= {"get", "parameters"} for item in schema["paths"].values())
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token (consult_...), made by an admin.",
    }
    assert schema["security"] == [{"bearer": []}]
    names = set(schema["components"]["schemas"])
    assert {"SurveyResults", "ConsultationList", "ErrorBody", "Share"} <= names
    # Every reference resolves, and nothing of the pages is described.
    for ref in re.findall(r'"\$ref":\s*"#/components/schemas/([^"]+)"', _schema(client).text):
        assert ref in names
    results = schema["paths"]["/api/v1/surveys/{survey_id}/results"]["get"]
    assert {"200", "400", "401", "404"} <= set(results["responses"])
    assert "by" in {p["name"] for p in results["parameters"]}


def test_the_schema_has_no_viewer_and_nothing_from_a_cdn(client, world):
    for path in ("/schema", "/schema/openapi.json", "/schema/openapi.yaml"):
        response = _schema(client, path)
        lowered = response.text.lower()
        for origin in ("cdn", "unpkg", "jsdelivr", "<script", "http://", "https://"):
            assert origin not in lowered, (path, origin)
        assert "set-cookie" not in response.headers
    assert "/api/v1/consultations" in _schema(client, "/schema/openapi.yaml").text
    for viewer in ("swagger", "redoc", "elements", "rapidoc", "scalar", "oauth2-redirect.html"):
        client.cookies.clear()
        response = client.get(f"/schema/{viewer}")
        assert response.status_code == 404, viewer
        assert "script" not in response.text.lower()
