"""The demo's strategy inputs, loaded by `consult demo` as `make run` does: partner
organisations, hosted sessions with their target groups and responses (each on the
channel of its mode), indicators, approved quotes and findings with evidence of
every kind; loading twice changes nothing, and the planner's pages show them."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import consult_cli, page_text, run_in_fresh_loop, sign_in

TABLES = (
    "organisation",
    "hosted_session",
    "session_group",
    "indicator",
    "indicator_option",
    "quote",
    "finding",
    "finding_partner",
    "finding_evidence",
    "response",
)


def _demo() -> str:
    done = consult_cli("demo")
    assert done.returncode == 0, done.stderr
    return done.stdout


def _query(sql: str) -> list[dict]:
    from piccolo.engine import engine_finder

    engine = engine_finder()
    return run_in_fresh_loop(lambda: engine._run_in_new_connection(sql))


def _counts() -> dict[str, int]:
    return {table: _query(f"SELECT COUNT(*) AS n FROM {table}")[0]["n"] for table in TABLES}  # noqa: S608


@pytest.fixture(scope="module")
def loaded(database) -> dict[str, int]:
    _demo()
    first = _counts()
    _demo()
    assert _counts() == first, "loading the demo again changes nothing"
    return first


@pytest.fixture(scope="module")
def planner(loaded, client, make_staff):
    make_staff("demo-strategy-planner", "planner")
    assert sign_in(client, "demo-strategy-planner").status_code == 303
    return client


def test_the_demo_holds_every_strategy_input(loaded):
    assert 5 <= loaded["organisation"] <= 7
    kinds = {row["kind"] for row in _query("SELECT kind FROM organisation")}
    assert {"youth", "sports", "religious", "school", "business", "ngo"} <= kinds
    assert loaded["hosted_session"] == 4
    assert loaded["session_group"] >= 4
    assert loaded["indicator"] == 4
    assert 3 <= loaded["quote"] <= 4
    assert 4 <= loaded["finding"] <= 5
    kinds = {row["kind"] for row in _query("SELECT DISTINCT kind FROM finding_evidence")}
    assert kinds == {"question", "cross_tab", "theme", "quote", "indicator"}
    assert loaded["finding_partner"] >= 4
    areas = {row["strategy_area"] for row in _query("SELECT strategy_area FROM finding")}
    assert len(areas) >= 4


def test_sessions_have_codes_groups_and_responses_on_their_channel(loaded):
    sessions = _query("SELECT id, code, mode FROM hosted_session")
    assert {s["mode"] for s in sessions} == {"own_phones", "kiosk", "assisted", "paper"}
    assert len({s["code"] for s in sessions}) == 4
    for session in sessions:
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", session["code"]), session["code"]
    rows = _query(
        "SELECT h.mode AS mode, r.channel AS channel, COUNT(*) AS n FROM response r"
        " JOIN hosted_session h ON h.id = r.hosted_session GROUP BY h.mode, r.channel"
    )
    expected = {"own_phones": "web", "kiosk": "kiosk", "assisted": "assisted", "paper": "paper"}
    assert {row["mode"]: row["channel"] for row in rows} == expected
    assert all(row["n"] >= 5 for row in rows)
    attributed = sum(row["n"] for row in rows)
    assert 0 < attributed < loaded["response"], "a share, not all, came through sessions"


def test_the_tally_still_counts_every_response(loaded):
    tally = _query(
        "SELECT responses FROM tally WHERE question = 0 AND option = 0 AND statement = 0"
    )
    complete = _query("SELECT COUNT(*) AS n FROM response WHERE status = 'complete'")
    assert tally[0]["responses"] == complete[0]["n"] == 300
    # And three held for review (consult.demo.DEMO_HELD), counted nowhere.
    assert loaded["response"] == 303


def test_the_planner_sees_the_demo_s_findings_indicators_and_quotes(planner):
    consultation = _query("SELECT id FROM consultation")[0]["id"]
    survey = _query("SELECT id FROM survey")[0]["id"]
    findings = planner.get(f"/staff/consultations/{consultation}/findings")
    assert findings.status_code == 200
    text = page_text(findings.text)
    assert "Many feel unsafe after dark, most of all at bus stops" in text
    assert "Breiðholt Youth Centre (Youth organisation)" in text
    assert "The indicator Feel unsafe after dark" in text
    indicators = planner.get(f"/staff/surveys/{survey}/indicators")
    assert indicators.status_code == 200
    assert len(re.findall(r"\d+% \(\d+–\d+%\)", page_text(indicators.text))) == 4
    by_channel = page_text(planner.get(f"/staff/surveys/{survey}/indicators?by=channel").text)
    assert "With a helper" in by_channel
    assert "Paper" in by_channel
    quotes = planner.get(f"/staff/surveys/{survey}/text/quotes")
    assert quotes.status_code == 200
    assert "More youth workers in the evenings, especially in Breiðholt." in page_text(quotes.text)


def test_the_code_the_demo_prints_joins_its_session(loaded, client):
    """A newcomer can try joining at once: `make run` prints a session's code."""
    printed = re.search(r"/join with the code ([A-Z0-9-]+)", _demo())
    assert printed, "the demo says which code to try"
    client.cookies.clear()
    joined = client.get(f"/j/{printed.group(1).lower()}", follow_redirects=False)
    assert joined.status_code == 303
    assert re.fullmatch(r"/c/reykjavik-needs-assessment/surveys/\d+", joined.headers["location"])


def test_the_demo_is_translated_into_every_shipped_language(loaded, run):
    """Every text a resident reads has a translation in each of the ten other
    languages, and an easy-read introduction, consent and help in all eleven."""
    from consult.i18n import available_locales
    from consult.tables import Consultation
    from surveys import translations
    from surveys.services import load_spec

    # On the app's own loop (`run`): its connection pool belongs to that loop.
    consultation = run(lambda: Consultation.objects().first().run())
    survey_id = _query("SELECT id FROM survey")[0]["id"]
    spec = run(load_spec, survey_id)
    texts = translations.source_texts(consultation, [spec])
    easy_slots = {text.field for text in translations.easy_read_texts(texts)}
    assert len(easy_slots) >= 9  # intro, consent and seven help texts
    assert consultation.reporting_locale == "is"
    others = set(consultation.languages.split(","))
    assert others == set(available_locales()) - {consultation.default_locale}
    for locale in available_locales():
        stored = run(translations.texts_of, consultation.id, locale)
        assert easy_slots <= set(stored), f"easy read missing in {locale}"
        if locale != consultation.default_locale:
            assert translations.missing(texts, stored) == [], f"untranslated in {locale}"
            assert (
                stored["question." + str(spec.questions[0].id) + ".text"] != spec.questions[0].text
            )
