"""The registry, invitations and the outreach view in Chromium, on the demo: axe
finds nothing on the registry list, an organisation's page with a fresh invitation
link, the invitation's acceptance page (also with its errors) and the outreach view
with the demo's under-reached groups."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import heading
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in
from tests.fixtures import run_in_fresh_loop

pytestmark = pytest.mark.browser

PLANNER = "organisation-browser-planner"


@pytest.fixture(scope="module")
def ids(demo_site: object) -> dict[str, int]:
    from consult.tables import Consultation, Organisation

    create_staff(PLANNER, "planner")

    async def read() -> dict[str, int]:
        consultation = await Consultation.select(Consultation.id).first()
        organisation = (
            await Organisation.select(Organisation.id)
            .where(Organisation.name == "Welcome Refugees Reykjavik")
            .first()
        )
        return {"consultation": consultation["id"], "organisation": organisation["id"]}

    return run_in_fresh_loop(read)


def _desk(new_context: NewContext) -> Page:
    context = new_context(
        javascript=True, viewport=DESKTOP, is_mobile=False, has_touch=False, reduced_motion="reduce"
    )
    page = context.new_page()
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    expect(heading(page)).to_have_text("Consultations")
    return page


def test_registry_invitation_and_outreach_pass_axe(new_context: NewContext, ids: dict[str, int]):
    desk = _desk(new_context)
    desk.goto("/staff/organisations")
    expect(heading(desk)).to_have_text("Organisations taking part")
    expect(desk.get_by_role("link", name="Welcome Refugees Reykjavik")).to_be_visible()
    assert_accessible(desk, "the registry")

    desk.goto(f"/staff/organisations/{ids['organisation']}")
    desk.get_by_role("button", name="Invite a facilitator").click()
    link = desk.get_by_label("Invitation link")
    expect(link).to_have_value(re.compile(r"/invite/[A-Za-z0-9_-]{40,}$"))
    assert_accessible(desk, "an organisation with a fresh invitation link")
    path = "/invite/" + link.input_value().rsplit("/invite/", 1)[1]

    desk.goto(f"/staff/consultations/{ids['consultation']}/outreach")
    expect(heading(desk)).to_have_text(re.compile(r"^Outreach"))
    expect(desk.get_by_text("Under-reached: Refugees")).to_be_visible()
    assert_accessible(desk, "the outreach view")

    guest = new_context(javascript=True).new_page()
    guest.goto(path)
    expect(heading(guest)).to_have_text("Join Welcome Refugees Reykjavik as a facilitator")
    assert_accessible(guest, "accepting an invitation")
    guest.get_by_label("Username").fill("amal.h")
    guest.get_by_label("Password", exact=True).fill("too short")
    guest.get_by_label("Password again").fill("too short")
    guest.get_by_role("button", name="Create my account").click()
    expect(guest.get_by_role("alert")).to_be_visible()
    expect(guest).to_have_title(re.compile(r"^Error:"))
    expect(guest.get_by_label("Username")).to_have_value("amal.h")
    assert_accessible(guest, "an invitation refusing a short password")
    guest.get_by_label("Password", exact=True).fill("a long enough password")
    guest.get_by_label("Password again").fill("a long enough password")
    guest.get_by_role("button", name="Create my account").click()
    expect(heading(guest)).to_have_text("Consultations")
    guest.goto(path)
    expect(heading(guest)).to_have_text("This invitation has already been used")
    assert_accessible(guest, "a used invitation")
