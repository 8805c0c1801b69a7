"""The printable summary report and the API token page in Chromium: axe finds
nothing on screen, and printed (print media emulated) the report drops the
navigation, the buttons and the note on printing while keeping every section."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from consult.demo_languages import REPORTING_LOCALE
from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONSULTATION_TITLE
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in
from tests.browser.words import words_in

pytestmark = pytest.mark.browser

PLANNER = "report-planner"
ADMIN = "tokens-admin"


@pytest.fixture(scope="module")
def staff(demo_site: object) -> None:
    create_staff(PLANNER, "planner")
    create_staff(ADMIN, "admin")


def _open_report(page: Page) -> None:
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name="Printable summary").first.click()
    # The report is written for the council: its texts in the reporting language.
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text(words_in(REPORTING_LOCALE).consultation_title)
    expect(title).to_have_attribute("lang", REPORTING_LOCALE)


def test_the_report_passes_axe_and_prints_without_navigation(new_context: NewContext, staff):
    page = new_context(viewport=DESKTOP).new_page()
    _open_report(page)
    for section in ("Indicators", "Results per question", "Findings and proposed actions"):
        expect(page.get_by_role("heading", name=section, level=2)).to_be_visible()
    expect(page.locator("svg.interval-chart").first).to_be_attached()
    expect(page.locator("svg.bar-chart").first).to_be_attached()
    expect(page.locator("blockquote.report-quote").first).to_be_visible()
    assert_accessible(page, "summary report")

    page.emulate_media(media="print")
    for hidden in (".site-header", ".staff-nav", ".site-footer", ".no-print"):
        expect(page.locator(hidden).first).to_be_hidden()
    for button in page.locator("button, .button").all():
        expect(button).to_be_hidden()
    expect(page.get_by_role("heading", name="Indicators", level=2)).to_be_visible()
    expect(page.locator("svg.bar-chart").first).to_be_visible()
    breaks = page.locator("section.report-section").first.evaluate(
        "(node) => getComputedStyle(node).breakBefore"
    )
    assert breaks == "page"
    page.emulate_media(media="screen")
    expect(page.locator(".staff-nav")).to_be_visible()


def test_the_report_passes_axe_without_javascript(new_context: NewContext, staff):
    page = new_context(javascript=False, viewport=DESKTOP).new_page()
    _open_report(page)
    assert_accessible(page, "summary report (no JS)")


def test_the_token_page_passes_axe_with_a_new_secret_and_a_refusal(new_context: NewContext, staff):
    page = new_context(viewport=DESKTOP).new_page()
    page.goto("/staff/login")
    fill_sign_in(page, ADMIN)
    page.goto("/staff/api-tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    assert_accessible(page, "token page (empty)")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a name")
    assert_accessible(page, "token page (refused)")
    page.get_by_label("Name").fill("Power BI")
    page.get_by_role("button", name="Make token").click()
    expect(page.locator("#api-secret")).to_contain_text("consult_")
    assert_accessible(page, "token page (secret shown)")
    page.get_by_role("button", name=re.compile(r"^Revoke\W+Power BI$")).click()
    expect(page.get_by_role("status").first).to_contain_text("revoked")
    assert_accessible(page, "token page (revoked)")
