"""The strategy pages in Chromium, on the demo: axe finds nothing on the findings
list, a finding's edit page (also with its errors shown), the indicators with a
breakdown, and the approved quotes; and a finding is written by keyboard alone."""

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

PLANNER = "strategy-browser-planner"


@pytest.fixture(scope="module")
def ids(demo_site: object) -> dict[str, int]:
    """The demo's consultation and survey, and a staff planner to sign in as."""
    from consult.tables import Consultation
    from surveys.tables import Survey

    create_staff(PLANNER, "planner")

    async def read() -> dict[str, int]:
        consultation = await Consultation.select(Consultation.id).first()
        survey = await Survey.select(Survey.id).first()
        return {"consultation": consultation["id"], "survey": survey["id"]}

    return run_in_fresh_loop(read)


def _desk(new_context: NewContext, *, javascript: bool = True) -> Page:
    context = new_context(
        javascript=javascript,
        viewport=DESKTOP,
        is_mobile=False,
        has_touch=False,
        reduced_motion="reduce",
    )
    page = context.new_page()
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    expect(heading(page)).to_have_text("Consultations")
    return page


def test_every_strategy_page_passes_axe(new_context: NewContext, ids: dict[str, int]):
    desk = _desk(new_context)
    desk.goto(f"/staff/consultations/{ids['consultation']}/findings")
    expect(heading(desk)).to_have_text("Findings")
    expect(desk.get_by_text("Many feel unsafe after dark").first).to_be_visible()
    assert_accessible(desk, "the findings by strategy area")

    desk.get_by_role("link", name=re.compile(r"^Edit, or add evidence")).first.click()
    expect(heading(desk)).to_have_text(re.compile(r"^Finding: "))
    assert_accessible(desk, "a finding's edit page")
    title = desk.get_by_label("Title")
    title.fill("")
    desk.get_by_label("Timeline (optional)").fill("x" * 130)
    desk.get_by_role("button", name="Save finding").click()
    expect(desk.get_by_role("alert")).to_be_visible()
    expect(desk).to_have_title(re.compile(r"^Error:"))
    assert_accessible(desk, "a finding refusing an empty title")

    desk.goto(f"/staff/consultations/{ids['consultation']}/strategy-areas")
    expect(heading(desk)).to_have_text(re.compile(r"^Strategy areas"))
    assert_accessible(desk, "the strategy areas")

    desk.goto(f"/staff/surveys/{ids['survey']}/indicators")
    expect(heading(desk)).to_have_text(re.compile(r"^Indicators"))
    desk.get_by_label("Break down by").select_option(label="How they answered")
    desk.get_by_role("button", name="Show").click()
    expect(desk.get_by_role("table").first).to_be_visible()
    assert_accessible(desk, "the indicators by channel")

    desk.goto(f"/staff/surveys/{ids['survey']}/text/quotes")
    expect(heading(desk)).to_have_text(re.compile(r"^Approved quotes"))
    desk.get_by_text("Shorten or edit").first.click()
    assert_accessible(desk, "the approved quotes, one open to edit")


def test_a_finding_written_by_keyboard_alone(new_context: NewContext, ids: dict[str, int]):
    desk = _desk(new_context)
    desk.goto(f"/staff/consultations/{ids['consultation']}/findings/new")
    expect(heading(desk)).to_have_text("New finding")
    # From the top of the page, Tab until the title field has focus.
    for _ in range(30):
        desk.keyboard.press("Tab")
        if desk.evaluate("() => document.activeElement.id") == "finding-title":
            break
    expect(desk.get_by_label("Title")).to_be_focused()
    desk.keyboard.type("Bus stops need light, typed by keyboard")
    desk.keyboard.press("Tab")  # the statement
    desk.keyboard.type("Many wrote about dark bus stops.")
    desk.keyboard.press("Tab")  # the strategy area
    expect(desk.get_by_label("Strategy area")).to_be_focused()
    desk.keyboard.press("ArrowDown")
    desk.keyboard.press("ArrowDown")
    desk.keyboard.press("Tab")  # the priority
    desk.keyboard.press("ArrowUp")
    for _ in range(40):
        desk.keyboard.press("Tab")
        if desk.evaluate("() => document.activeElement.id").startswith("finding-partner-"):
            break
    desk.keyboard.press("Space")
    expect(desk.locator(":focus")).to_be_checked()
    for _ in range(20):
        desk.keyboard.press("Tab")
        if desk.evaluate("() => document.activeElement.textContent.trim()") == "Save finding":
            break
    desk.keyboard.press("Enter")
    expect(heading(desk)).to_have_text("Finding: Bus stops need light, typed by keyboard")
    expect(desk.locator(".notice")).to_contain_text("Finding saved.")
    desk.goto(f"/staff/consultations/{ids['consultation']}/findings")
    card = desk.locator(".card", has_text="Bus stops need light, typed by keyboard")
    expect(card).to_contain_text("High")
    section = desk.locator("section", has=card)
    expect(section.get_by_role("heading", level=2)).to_have_text(
        "Prevention and early intervention"
    )
