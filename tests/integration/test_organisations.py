"""The organisation registry on a real database: planners list, add and edit
organisations with the neighbourhoods and groups they reach (stored as tag rows,
trimmed and de-duplicated), refused input comes back with its values and a 422,
hostile names stay text, and facilitators and strangers are kept out."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import csrf_token, page_text, post_form, signed_in_as

HOSTILE = '<script>alert("x")</script> <a hx-get="/staff">x</a>'
NEW = "/staff/organisations/new"


@pytest.fixture(scope="module")
def staff(client, make_staff):
    for name, role in (
        ("org-planner", "planner"),
        ("org-admin", "admin"),
        ("org-facilitator", "facilitator"),
    ):
        make_staff(name, role)
    return client


def _form(**changes: str) -> dict[str, str]:
    return {
        "name": "Breiðholt Youth Club",
        "kind": "youth",
        "city": "Reykjavik",
        "contact": "Anna, 555 1234",
        "neighbourhoods": "Breiðholt,  Fell \n breiðholt",
        "groups": "young people\nPolish speakers, Young People ;",
        **changes,
    }


def _tags(run, organisation_id: int) -> list[tuple[str, str]]:
    from consult.tables import OrganisationTag

    rows = run(
        OrganisationTag.select(OrganisationTag.kind, OrganisationTag.name)
        .where(OrganisationTag.organisation == organisation_id)
        .order_by(OrganisationTag.id)
        .run
    )
    return [(row["kind"], row["name"]) for row in rows]


def test_a_planner_adds_an_organisation_with_tags_as_rows(staff, run):
    signed_in_as(staff, "org-planner")
    sent = post_form(staff, NEW, "/staff/organisations", _form())
    assert sent.status_code == 303
    location = sent.headers["location"]
    organisation_id = int(re.search(r"/staff/organisations/(\d+)", location).group(1))
    assert _tags(run, organisation_id) == [
        ("neighbourhood", "Breiðholt"),
        ("neighbourhood", "Fell"),
        ("group", "young people"),
        ("group", "Polish speakers"),
    ]
    page = page_text(staff.get(location).text)
    assert "Organisation added." in page
    assert "Youth organisation" in page
    listing = page_text(staff.get("/staff/organisations").text)
    assert "Breiðholt Youth Club" in listing
    assert "Polish speakers" in listing

    edited = post_form(
        staff,
        f"/staff/organisations/{organisation_id}/edit",
        f"/staff/organisations/{organisation_id}",
        _form(name="Breiðholt Youth Centre", groups="older residents", neighbourhoods=""),
    )
    assert edited.status_code == 303
    assert _tags(run, organisation_id) == [("group", "older residents")]
    assert "Breiðholt Youth Centre" in page_text(staff.get(edited.headers["location"]).text)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter the organisation's name"),
        ("name", "x" * 201, "Enter the organisation's name"),
        ("kind", "pirates", "Choose what kind of organisation it is."),
        ("city", "", "Enter the city"),
        ("contact", "x" * 201, "Enter a contact"),
        ("groups", "x" * 101, "Enter up to 30 groups"),
        ("neighbourhoods", ",".join(f"n{i}" for i in range(31)), "Enter up to 30 neighbourhoods"),
    ],
)
def test_refused_input_comes_back_with_its_values(staff, field, value, message):
    signed_in_as(staff, "org-planner")
    sent = post_form(
        staff, NEW, "/staff/organisations", _form(**{"name": "Kept name", field: value})
    )
    assert sent.status_code == 422
    page = page_text(sent.text)
    assert page.startswith("Error:") or "There is a problem" in page
    assert message in page
    kept = value if field == "name" else "Kept name"
    assert f'value="{kept}"' in sent.text
    assert 'value="Anna, 555 1234"' in sent.text or field == "contact"
    assert "Polish speakers, Young People ;" in page or field == "groups"


def test_hostile_names_stay_text(staff):
    signed_in_as(staff, "org-admin")
    sent = post_form(staff, NEW, "/staff/organisations", _form(name=HOSTILE, groups=HOSTILE))
    assert sent.status_code == 303
    for url in (sent.headers["location"], "/staff/organisations"):
        body = staff.get(url).text
        assert "<script>alert" not in body
        assert '<a hx-get="/staff">' not in body
        assert "&lt;script&gt;" in body


def test_facilitators_and_strangers_are_kept_out(staff, run):
    from consult.tables import Organisation

    organisation_id = run(Organisation.select(Organisation.id).first().run)["id"]
    pages = [
        "/staff/organisations",
        NEW,
        f"/staff/organisations/{organisation_id}",
        f"/staff/organisations/{organisation_id}/edit",
    ]
    signed_in_as(staff, "org-facilitator")
    for url in pages:
        assert staff.get(url, follow_redirects=False).status_code == 403, url
    token = csrf_token(staff.get("/staff").text)
    for url in (
        "/staff/organisations",
        f"/staff/organisations/{organisation_id}",
        f"/staff/organisations/{organisation_id}/invites",
    ):
        sent = staff.post(url, data={"_csrf_token": token, **_form()}, follow_redirects=False)
        assert sent.status_code == 403, url
    signed_in_as(staff, None)
    for url in pages:
        sent = staff.get(url, follow_redirects=False)
        assert sent.status_code == 303
        assert sent.headers["location"].startswith("/staff/login")


def test_an_unknown_organisation_is_not_found(staff):
    signed_in_as(staff, "org-planner")
    assert staff.get("/staff/organisations/999999").status_code == 404
    assert staff.get("/staff/organisations/99999999999").status_code in (400, 404)
