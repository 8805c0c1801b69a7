"""Findings on a real database: filed under the city's strategy areas, with
partners and evidence of every kind from the consultation's own surveys (another
consultation's objects refused), and the pages a planner writes them on."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as

HOSTILE = '<script>alert("x")</script> <a hx-get="/staff" href="javascript:alert(1)">x</a>'
ANSWER = "The bus stop at night is scary and nobody helps."


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


# The pages -----------------------------------------------------------------------


def _finding_form(**values) -> dict:
    return {
        "title": "",
        "statement": "",
        "strategy_area": "",
        "priority": "medium",
        "status": "proposed",
        "proposed_action": "",
        "owner": "",
        "timeline": "",
        **values,
    }


def test_a_planner_writes_a_finding_and_sees_it_under_its_area(client, run, world):
    survey, objects = world["one"]
    signed_in_as(client, "find-planner")
    base = f"/staff/consultations/{survey.consultation_id}/findings"
    page = client.get(base)
    assert page.status_code == 200
    assert "Alliances and partnerships" in page.text
    created = post_form(
        client,
        base,
        f"{base}/new",
        _finding_form(
            title="Hate is met online more than anywhere",
            strategy_area="Alliances and partnerships",
            priority="high",
            status="in_progress",
            owner="Human Rights Office",
            timeline="Autumn 2027",
            partners=[str(world["orgs"]["Valur Sports Club"])],
        ),
    )
    assert created.status_code == 303
    edit_url = created.headers["location"].split("?")[0]
    edit = client.get(created.headers["location"])
    assert edit.status_code == 200
    assert "Finding saved. Now add the evidence it rests on." in page_text(edit.text)
    for data in (
        {"kind": "question", "question": str(survey.question_ids["single"])},
        {
            "kind": "cross_tab",
            "question": str(survey.question_ids["single"]),
            "segment": f"q{survey.question_ids['scale']}",
        },
        {"kind": "theme", "theme": str(objects["theme"])},
        {"kind": "quote", "quote": str(objects["quote"])},
        {"kind": "indicator", "indicator": str(objects["indicator"])},
    ):
        added = post_form(client, edit_url, f"{edit_url}/evidence", data)
        assert added.status_code == 303, data
    listing = client.get(base).text
    section = listing.split('id="area-4"')[1].split("</section>")[0]
    text = page_text(section)
    assert "Hate is met online more than anywhere" in text
    assert "High" in text
    assert "In progress" in text
    assert "Human Rights Office" in text
    assert "Autumn 2027" in text
    assert "Valur Sports Club (Sports club)" in text
    assert "Results of Do you feel safe?" in text
    assert "Do you feel safe? by 3. How much do you trust the police?" in text
    assert "The theme Unsafe at night" in text
    assert ANSWER in text
    assert "The indicator Felt unsafe" in text
    assert f'href="/staff/surveys/{survey.survey_id}/indicators#indicator-' in section
    assert f'href="/staff/surveys/{survey.survey_id}/results?by=q' in section
    # Removing a piece of evidence.
    evidence = re.findall(rf'action="{re.escape(edit_url)}/evidence/(\d+)/delete"', edit.text)
    page = client.get(edit_url).text
    evidence = re.findall(rf'action="{re.escape(edit_url)}/evidence/(\d+)/delete"', page)
    assert len(evidence) == 5
    removed = post_form(client, edit_url, f"{edit_url}/evidence/{evidence[0]}/delete", {})
    assert removed.status_code == 303
    assert "Evidence removed." in page_text(client.get(removed.headers["location"]).text)
    assert "Results of Do you feel safe?" not in page_text(client.get(edit_url).text)


def test_a_bad_finding_comes_back_with_its_values_and_errors(client, world):
    survey, _ = world["one"]
    signed_in_as(client, "find-planner")
    base = f"/staff/consultations/{survey.consultation_id}/findings"
    refused = post_form(
        client,
        f"{base}/new",
        f"{base}/new",
        _finding_form(title="", owner="Youth services", timeline="x" * 121, priority="urgent"),
    )
    assert refused.status_code == 422
    text = page_text(refused.text)
    assert "There is a problem" in text
    assert "Enter a title of 1 to 200 characters." in text
    assert "Enter a timeline of up to 120 characters." in text
    assert "Choose a priority." in text
    assert 'value="Youth services"' in refused.text
    assert '<a href="#finding-title">' in refused.text
    assert refused.text.count("<title>Error:") == 1
    # From the list page's own form, the list comes back.
    listed = post_form(client, base, f"{base}/new", _finding_form(title="", **{"from": "list"}))
    assert listed.status_code == 422
    assert "No findings in this area yet." in listed.text or "Findings" in listed.text


def test_editing_and_deleting_a_finding(client, run, world):
    from analysis import findings
    from analysis.findings import FindingInput

    survey, _ = world["one"]
    signed_in_as(client, "find-planner")
    finding_id = run(findings.create_finding, survey.consultation_id, FindingInput(title="Edit me"))
    url = f"/staff/findings/{finding_id}"
    saved = post_form(
        client,
        url,
        url,
        _finding_form(title="Edited", strategy_area="Inclusion and social cohesion"),
    )
    assert saved.status_code == 303
    assert "Finding saved." in page_text(client.get(saved.headers["location"]).text)
    refused = post_form(client, url, url, _finding_form(title="x" * 201))
    assert refused.status_code == 422
    assert "x" * 201 in refused.text, "the value typed is kept"
    deleted = post_form(client, url, f"{url}/delete", {})
    assert deleted.status_code == 303
    assert deleted.headers["location"].startswith(
        f"/staff/consultations/{survey.consultation_id}/findings"
    )
    assert "The finding was deleted." in page_text(client.get(deleted.headers["location"]).text)
    assert client.get(url).status_code == 404


def test_forged_evidence_ids_are_refused_on_the_page(client, run, world):
    from analysis import findings
    from analysis.findings import FindingInput

    survey, _ = world["one"]
    other, theirs = world["two"]
    signed_in_as(client, "find-planner")
    finding_id = run(findings.create_finding, survey.consultation_id, FindingInput(title="Mine"))
    url = f"/staff/findings/{finding_id}"
    for data, target in (
        ({"kind": "quote", "quote": str(theirs["quote"])}, "evidence-quote"),
        ({"kind": "theme", "theme": str(theirs["theme"])}, "evidence-theme"),
        ({"kind": "indicator", "indicator": str(theirs["indicator"])}, "evidence-indicator"),
        ({"kind": "question", "question": str(other.question_ids["single"])}, "evidence-question"),
        ({"kind": "indicator", "indicator": "abc"}, "evidence-indicator"),
    ):
        refused = post_form(client, url, f"{url}/evidence", data)
        assert refused.status_code == 422, data
        assert "There is a problem" in refused.text
        assert f'href="#{target}"' in refused.text, data
    assert "No evidence linked yet." in client.get(url).text
    # Another finding's evidence cannot be removed through this one.
    mine = run(findings.create_finding, other.consultation_id, FindingInput(title="Theirs"))
    evidence = run(
        findings.add_evidence,
        mine,
        findings.EvidenceInput("quote", quote_id=theirs["quote"]),
    )
    assert post_form(client, url, f"{url}/evidence/{evidence}/delete", {}).status_code == 404


def test_hostile_text_in_a_finding_is_shown_as_text(client, run, world):
    survey, _ = world["one"]
    signed_in_as(client, "find-planner")
    base = f"/staff/consultations/{survey.consultation_id}/findings"
    created = post_form(
        client,
        base,
        f"{base}/new",
        _finding_form(
            title=HOSTILE[:200], statement=HOSTILE, owner=HOSTILE[:200], proposed_action=HOSTILE
        ),
    )
    assert created.status_code == 303
    for page in (client.get(base).text, client.get(created.headers["location"]).text):
        assert "<script>alert" not in page
        assert 'hx-get="/staff"' not in page
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;" in page


def test_strategy_areas_are_the_city_s_own_or_the_defaults(client, world):
    survey, _ = world["one"]
    signed_in_as(client, "find-planner")
    url = f"/staff/consultations/{survey.consultation_id}/strategy-areas"
    page = client.get(url)
    assert page.status_code == 200
    assert "these are the defaults" in page_text(page.text)
    saved = post_form(client, url, url, {"areas": "Safety at night\nSchools\n\nsafety at night"})
    assert saved.status_code == 303
    assert "Strategy areas saved." in page_text(client.get(saved.headers["location"]).text)
    listing = page_text(client.get(f"/staff/consultations/{survey.consultation_id}/findings").text)
    assert "Safety at night" in listing
    assert "Schools" in listing
    # Findings filed under an area the city removed are still listed.
    assert "Other findings" in listing
    refused = post_form(client, url, url, {"areas": "x" * 121})
    assert refused.status_code == 422
    assert "There is a problem" in refused.text
    assert "x" * 121 in refused.text
    assert post_form(client, url, url, {"areas": ""}).status_code == 303
    assert "these are the defaults" in page_text(client.get(url).text)


def _routes(world) -> tuple[list[str], list[tuple[str, dict]]]:
    survey, objects = world["one"]
    cid, sid = survey.consultation_id, survey.survey_id
    pages = [
        f"/staff/consultations/{cid}/findings",
        f"/staff/consultations/{cid}/findings/new",
        f"/staff/consultations/{cid}/strategy-areas",
        "/staff/findings/1",
        f"/staff/surveys/{sid}/indicators",
        f"/staff/surveys/{sid}/indicators?by=language",
        f"/staff/surveys/{sid}/text/quotes",
    ]
    actions = [
        (f"/staff/consultations/{cid}/findings/new", _finding_form(title="Forged")),
        (f"/staff/consultations/{cid}/strategy-areas", {"areas": "Forged"}),
        ("/staff/findings/1", _finding_form(title="Forged")),
        ("/staff/findings/1/delete", {}),
        ("/staff/findings/1/evidence", {"kind": "quote", "quote": str(objects["quote"])}),
        ("/staff/findings/1/evidence/1/delete", {}),
        (f"/staff/surveys/{sid}/indicators", {"question": "1", "label": "x", "options": "1"}),
        (f"/staff/indicators/{objects['indicator']}/delete", {}),
        (f"/staff/text-answers/{objects['text_answer']}/quote", {}),
        (f"/staff/quotes/{objects['quote']}", {"text": "Forged"}),
        (f"/staff/quotes/{objects['quote']}/delete", {}),
    ]
    return pages, actions


def test_who_may_use_the_strategy_pages(client, run, world):
    from analysis import findings
    from analysis.findings import FindingInput

    survey, _ = world["one"]
    run(findings.create_finding, survey.consultation_id, FindingInput(title="Guarded"))
    pages, actions = _routes(world)
    signed_in_as(client, None)
    for page in pages:
        response = client.get(page, follow_redirects=False)
        assert response.status_code == 303, page
        assert "/staff/login" in response.headers["location"]
    token = csrf_token(client.get("/staff/login").text)
    for action, data in actions:
        response = client.post(action, data={"_csrf_token": token, **data})
        assert response.status_code == 401, action
        assert "Sign in to do this." in response.text
    signed_in_as(client, "find-facilitator")
    for page in pages:
        assert client.get(page).status_code == 403, page
    token = csrf_token(client.get("/staff").text)
    for action, data in actions:
        assert client.post(action, data={"_csrf_token": token, **data}).status_code == 403, action
    signed_in_as(client, "find-admin")
    for page in pages:
        assert client.get(page).status_code in (200, 404), page
    assert client.get(pages[0]).status_code == 200
    signed_in_as(client, "find-planner")
    assert client.get("/staff/consultations/999999/findings").status_code == 404
    assert client.get("/staff/findings/999999").status_code == 404
    assert client.get("/staff/surveys/999999/indicators").status_code == 404


def test_a_form_without_its_csrf_token_is_refused(client, run, world):
    from analysis.tables import Quote
    from consult.tables import Finding

    signed_in_as(client, "find-planner")
    before = run(Finding.count().run)
    quotes_before = run(Quote.count().run)
    _, actions = _routes(world)
    for action, data in actions:
        assert client.post(action, data=data).status_code == 403, action
    assert run(Finding.count().run) == before
    assert run(Quote.count().run) == quotes_before
