"""Findings on a real database: filed under the city's strategy areas, with
partners and evidence of every kind from the consultation's own surveys (another
consultation's objects refused), and the pages a planner writes them on."""

from __future__ import annotations

import html
import re

import pytest

from tests.fixtures import send_survey, sign_in

HOSTILE = '<script>alert("x")</script> <a hx-get="/staff" href="javascript:alert(1)">x</a>'
ANSWER = "The bus stop at night is scary and nobody helps."


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _as(client, username: str | None) -> None:
    client.cookies.clear()
    if username:
        assert sign_in(client, username).status_code == 303


def _objects(run, survey) -> dict[str, int]:
    """One object of each kind in the survey: an indicator, an accepted theme and an
    approved quote (from a submitted, analysed answer)."""
    from analysis import jobs, quotes
    from analysis.indicators import create_indicator
    from analysis.tables import TextAnswer, Theme, ThemeStatus
    from surveys.services import load_spec

    run(jobs.analyse_all_pending)
    spec = run(load_spec, survey.survey_id)
    indicator = run(
        create_indicator,
        spec,
        survey.question_ids["single"],
        "Felt unsafe",
        survey.option_ids["single"][1:2],
    )
    theme = run(
        Theme.insert(
            Theme(
                survey=survey.survey_id,
                key="night",
                label="Unsafe at night",
                status=ThemeStatus.accepted.value,
            )
        ).run
    )[0]["id"]
    answer = run(
        TextAnswer.select(TextAnswer.id)
        .where(TextAnswer.question == survey.question_ids["text"])
        .first()
        .run
    )
    quote = run(quotes.approve, answer["id"])
    return {"indicator": indicator, "theme": theme, "quote": quote, "text_answer": answer["id"]}


@pytest.fixture(scope="module")
def world(client, run, make_survey, make_staff):
    """Two consultations (the second's objects must never reach the first's
    findings), each with answers, an indicator, a theme and a quote."""
    from consult.tables import Organisation, OrganisationKind

    found = {}
    for slug in ("findings-one", "findings-two"):
        survey = make_survey(slug)
        ids, options = survey.question_ids, survey.option_ids
        for number in range(6):
            form = {
                f"q{ids['single']}": [str(options["single"][number % 2])],
                f"q{ids['scale']}": [str(options["scale"][0])],
                f"q{ids['text']}": [ANSWER],
            }
            assert send_survey(client, survey.submit_url, form).status_code == 303
        found[slug] = (survey, _objects(run, survey))
    organisations = {}
    for name, kind, city in (
        ("Breiðholt Youth Club", OrganisationKind.youth, "Reykjavik"),
        ("Valur Sports Club", OrganisationKind.sports, "Reykjavik"),
        ("Helsinki NGO", OrganisationKind.ngo, "Helsinki"),
    ):
        rows = run(Organisation.insert(Organisation(name=name, kind=kind.value, city=city)).run)
        organisations[name] = rows[0]["id"]
    for name, role in (
        ("find-planner", "planner"),
        ("find-admin", "admin"),
        ("find-facilitator", "facilitator"),
    ):
        make_staff(name, role)
    return {"one": found["findings-one"], "two": found["findings-two"], "orgs": organisations}


def test_a_finding_with_partners_and_every_kind_of_evidence(run, world):
    from analysis import findings
    from analysis.findings import EvidenceInput, FindingInput

    survey, objects = world["one"]
    consultation = survey.consultation_id
    finding_id = run(
        findings.create_finding,
        consultation,
        FindingInput(
            title="Young people feel unsafe at night",
            statement="Four in ten say so.",
            strategy_area="Prevention and early intervention",
            priority="high",
            status="agreed",
            owner="Youth services",
            timeline="2027",
            partner_ids=(world["orgs"]["Breiðholt Youth Club"],),
        ),
    )
    single = survey.question_ids["single"]
    for data in (
        EvidenceInput("question", question_id=single),
        EvidenceInput("cross_tab", question_id=single, segment="language"),
        EvidenceInput("theme", theme_id=objects["theme"]),
        EvidenceInput("quote", quote_id=objects["quote"]),
        EvidenceInput("indicator", indicator_id=objects["indicator"]),
    ):
        assert run(findings.add_evidence, finding_id, data)
    (view,) = run(findings.findings_of, consultation)
    assert view.title == "Young people feel unsafe at night"
    assert [p.name for p in view.partners] == ["Breiðholt Youth Club"]
    assert [e.kind for e in view.evidence] == [
        "question",
        "cross_tab",
        "theme",
        "quote",
        "indicator",
    ]
    assert view.evidence[0].question_text == "Do you feel safe?"
    assert view.evidence[1].segment == "language"
    assert view.evidence[2].theme_label == "Unsafe at night"
    assert view.evidence[3].quote_text == ANSWER
    assert view.evidence[4].indicator_label == "Felt unsafe"
    assert {e.survey_id for e in view.evidence} == {survey.survey_id}
    groups = findings.by_area((view,), run(findings.strategy_areas, "Reykjavik"))
    assert [g.area for g in groups if g.findings] == ["Prevention and early intervention"]


def test_evidence_of_another_consultation_is_refused(run, world):
    from analysis import findings
    from analysis.findings import EvidenceInput, EvidenceRefused, FindingInput

    survey, _ = world["one"]
    other, theirs = world["two"]
    finding_id = run(findings.create_finding, survey.consultation_id, FindingInput(title="Mine"))
    for data, field in (
        (EvidenceInput("question", question_id=other.question_ids["single"]), "question"),
        (
            EvidenceInput("cross_tab", question_id=other.question_ids["single"], segment="channel"),
            "question",
        ),
        (EvidenceInput("theme", theme_id=theirs["theme"]), "theme"),
        (EvidenceInput("quote", quote_id=theirs["quote"]), "quote"),
        (EvidenceInput("indicator", indicator_id=theirs["indicator"]), "indicator"),
        (EvidenceInput("indicator", indicator_id=999999), "indicator"),
        (EvidenceInput("rumour"), "kind"),
        (
            EvidenceInput("cross_tab", question_id=survey.question_ids["single"], segment="q0"),
            "segment",
        ),
        (EvidenceInput("question", question_id=survey.question_ids["text"]), "question"),
    ):
        with pytest.raises(EvidenceRefused) as refused:
            run(findings.add_evidence, finding_id, data)
        assert refused.value.field == field, data
    (view,) = [f for f in run(findings.findings_of, survey.consultation_id) if f.id == finding_id]
    assert view.evidence == ()


def test_fields_are_checked(run, world):
    from analysis import findings
    from analysis.findings import FindingInput, FindingInvalid

    survey, _ = world["one"]
    with pytest.raises(FindingInvalid) as refused:
        run(
            findings.create_finding,
            survey.consultation_id,
            FindingInput(
                title="",
                owner="x" * 201,
                priority="urgent",
                status="maybe",
                strategy_area="Not an area",
                partner_ids=(world["orgs"]["Helsinki NGO"],),
            ),
        )
    assert set(refused.value.errors) == {
        "title",
        "owner",
        "priority",
        "status",
        "strategy_area",
        "partners",
    }


def test_a_city_sets_its_own_strategy_areas(run, world):
    from analysis import findings
    from consult.tables import DEFAULT_STRATEGY_AREAS

    assert run(findings.strategy_areas, "Oslo") == DEFAULT_STRATEGY_AREAS
    saved = run(findings.set_strategy_areas, "Oslo", ["Hate crime", " hate  crime", "", "Support"])
    assert saved == ("Hate crime", "Support")
    assert run(findings.strategy_areas, "Oslo") == ("Hate crime", "Support")
    assert run(findings.strategy_areas, "Reykjavik") == DEFAULT_STRATEGY_AREAS
    assert run(findings.set_strategy_areas, "Oslo", []) == DEFAULT_STRATEGY_AREAS
    assert run(findings.strategy_areas, "Oslo") == DEFAULT_STRATEGY_AREAS
