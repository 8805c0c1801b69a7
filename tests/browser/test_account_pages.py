"""The second factor in Chromium, on the demo: axe finds nothing on the account
page, the set-up page with its QR code (also with an error), or the sign-in code
step (also with an error); a planner turns it on with the key shown and then signs
in with password and code."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import heading
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in

pytestmark = pytest.mark.browser

PLANNER = "account-browser-planner"


def _code(key: str, seconds_from_now: int = 0) -> str:
    from consult.services import totp

    secret = key.replace(" ", "")
    return totp.code_at(totp._secret_bytes(secret), totp.step_at(time.time() + seconds_from_now))


def _desk(new_context: NewContext) -> Page:
    context = new_context(
        javascript=True, viewport=DESKTOP, is_mobile=False, has_touch=False, reduced_motion="reduce"
    )
    return context.new_page()


def test_turning_on_the_second_factor_and_signing_in_with_it_pass_axe(
    new_context: NewContext, demo_site: object
):
    create_staff(PLANNER, "planner")
    desk = _desk(new_context)
    desk.goto("/staff/login")
    fill_sign_in(desk, PLANNER)
    expect(heading(desk)).to_have_text("Consultations")

    desk.get_by_role("link", name="Your account and its second factor").click()
    expect(heading(desk)).to_have_text("Your account")
    assert_accessible(desk, "the account page")

    desk.get_by_role("link", name="Turn a second factor on").click()
    expect(heading(desk)).to_have_text("Turn a second factor on")
    expect(desk.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(desk, "the set-up page")
    key = desk.locator("code").inner_text()

    desk.get_by_label("Code from your authenticator app").fill("000000")
    desk.get_by_role("button", name="Turn it on").click()
    expect(desk.get_by_role("alert")).to_contain_text("Enter the 6-digit code")
    assert_accessible(desk, "the set-up page with an error")

    desk.get_by_label("Code from your authenticator app").fill(_code(key))
    desk.get_by_role("button", name="Turn it on").click()
    expect(desk.get_by_text("A second factor is on")).to_be_visible()

    desk.get_by_role("button", name="Sign out").click()
    desk.goto("/staff/login")
    fill_sign_in(desk, PLANNER)
    expect(heading(desk)).to_have_text("Enter your code")
    assert_accessible(desk, "the code step")
    desk.get_by_label("Code").fill("00000")
    desk.get_by_role("button", name="Sign in").click()
    expect(desk.get_by_role("alert")).to_contain_text("Enter the 6-digit code")
    assert_accessible(desk, "the code step with an error")

    # The code of the next 30 seconds: the current one was used to turn it on.
    desk.get_by_label("Code").fill(_code(key, 30))
    desk.get_by_role("button", name="Sign in").click()
    expect(heading(desk)).to_have_text("Consultations")
