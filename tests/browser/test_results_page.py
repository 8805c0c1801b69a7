"""The planner's results page in Chromium: charts and tables pass axe, a breakdown
works with and without JavaScript, and the live refresh leaves focus alone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONSULTATION_TITLE, heading
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in

pytestmark = pytest.mark.browser

PLANNER = "results-planner"


@pytest.fixture(scope="module")
def planner(demo_site: object) -> str:
    return create_staff(PLANNER, "planner")


def _open_results(page: Page) -> None:
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER)
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    page.get_by_role("link", name="Results").first.click()
    expect(heading(page)).to_contain_text("Results")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_results_and_a_breakdown_pass_axe(new_context: NewContext, planner: str, javascript):
    page = new_context(javascript=javascript, viewport=DESKTOP).new_page()
    _open_results(page)
    expect(page.locator("svg.bar-chart").first).to_be_attached()
    expect(page.get_by_role("table").first).to_contain_text("Very unsafe")
    assert_accessible(page, f"results ({'JS' if javascript else 'no JS'})")
    page.get_by_label("Break down by").select_option(label="Language")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"\?by=language$"))
    crosstab = page.locator("table.crosstab").first
    expect(crosstab.get_by_role("columnheader", name="íslenska")).to_be_visible()
    assert_accessible(page, f"results by language ({'JS' if javascript else 'no JS'})")


def test_the_live_refresh_leaves_focus_where_it_was(new_context: NewContext, planner: str):
    page = new_context(viewport=DESKTOP).new_page()
    _open_results(page)
    chooser = page.get_by_label("Break down by")
    chooser.focus()
    before = page.locator("#response-count").inner_text()
    # What the 30-second poll does, now: the same request to the same target.
    page.evaluate(
        """() => new Promise((done) => {
            document.body.addEventListener("htmx:afterSettle", () => done(), { once: true });
            const body = document.getElementById("results-body");
            htmx.ajax("GET", body.getAttribute("hx-get"), { target: "#results-body" });
        })"""
    )
    expect(page.locator("#response-count")).to_have_text(before)
    expect(chooser).to_be_focused()
    assert page.locator("#results-body svg.bar-chart").count() > 0
