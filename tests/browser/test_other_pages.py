"""Every other page a visitor or planner can reach passes axe at 360 px too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from consult.demo import DEMO_PLANNER, DEMO_SLUG
from tests.browser.axe import assert_accessible
from tests.browser.demo_answers import (
    CONSULTATION_TITLE,
    close_demo_consultation,
    open_demo_survey,
)

pytestmark = pytest.mark.browser


def _demo_planner_password() -> str:
    # `consult demo` keeps it in the var directory the live server shares with us.
    return (Path(os.environ["CONSULT_VAR_DIR"]) / "demo_planner_password").read_text().strip()


def test_a_missing_page_says_so_accessibly(phone: Page):
    response = phone.goto("/c/no-such-consultation")
    assert response is not None
    assert response.status == 404
    expect(phone.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(phone, "the page-not-found page")


def test_the_sign_in_page_and_its_error_state_are_accessible(phone: Page):
    phone.goto("/staff/login")
    assert_accessible(phone, "the sign-in page")
    phone.get_by_label("Username").fill(DEMO_PLANNER)
    phone.get_by_label("Password").fill("not the password")
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("alert")).to_contain_text("There is a problem")
    expect(phone.get_by_label("Username")).to_have_value(DEMO_PLANNER)
    assert_accessible(phone, "the sign-in error state")


def test_a_planner_s_pages_are_accessible(phone: Page):
    phone.goto("/staff/login")
    phone.get_by_label("Username").fill(DEMO_PLANNER)
    phone.get_by_label("Password").fill(_demo_planner_password())
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("link", name=CONSULTATION_TITLE)).to_be_visible()
    assert_accessible(phone, "the staff dashboard")

    phone.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(phone.get_by_role("heading", level=1)).to_have_text(CONSULTATION_TITLE)
    assert_accessible(phone, "a consultation's builder page")

    phone.get_by_role("link", name="Results").first.click()
    expect(phone.get_by_role("table").first).to_be_visible()
    assert_accessible(phone, "the results page")


def test_a_closed_consultation_says_it_takes_no_answers(phone: Page):
    open_demo_survey(phone)
    survey_url = phone.url
    close_demo_consultation()
    phone.goto(f"/c/{DEMO_SLUG}")
    expect(phone.get_by_text("This consultation is not taking answers now.")).to_be_visible()
    expect(phone.get_by_role("link", name="Start now")).to_have_count(0)
    assert_accessible(phone, "a closed consultation's landing page")

    # A resident who kept the survey open in a tab, or follows an old poster.
    phone.goto(survey_url)
    expect(phone.get_by_role("heading", level=1)).to_have_text("This consultation is closed")
    expect(phone.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert_accessible(phone, "a closed survey")
