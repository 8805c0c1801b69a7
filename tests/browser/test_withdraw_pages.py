"""Withdrawing a response in the browser: the thank-you page's "Take a withdrawal
code", the code page, and /withdraw (a wrong code refused clearly and kept, the
confirmation, the deletion); every page passes axe, with and without JavaScript.
And the admins' audit log, which records it, passes axe too."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONTINUE, begin, heading, press, response_count, send, walk
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in

pytestmark = pytest.mark.browser

CODE = re.compile(r"^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$")
TAKE = "Take a withdrawal code"


def _send_and_take_a_code(page: Page) -> str:
    begin(page)
    walk(page)
    send(page)
    expect(page.get_by_role("button", name=TAKE)).to_be_visible()
    assert_accessible(page, "the thank-you page offering a withdrawal code")
    assert press(page, TAKE).status == 200
    expect(heading(page)).to_have_text("Your withdrawal code")
    assert_accessible(page, "the page showing the withdrawal code")
    code = page.locator(".resume-code").inner_text().strip()
    assert CODE.match(code), code
    return code


def _withdraw_with(page: Page, code: str) -> None:
    page.goto("/withdraw")
    expect(heading(page)).to_have_text("Withdraw your answers")
    assert_accessible(page, "the withdrawal form")
    page.get_by_label("Your withdrawal code").fill("ACDE-FGHJ-KMNP-QRTU-VWXY")
    assert press(page, CONTINUE).status == 422
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("No response has this code.")
    expect(page.get_by_label("Your withdrawal code")).to_have_value("ACDE-FGHJ-KMNP-QRTU-VWXY")
    assert_accessible(page, "the withdrawal form refusing an unknown code")

    page.get_by_label("Your withdrawal code").fill(code.lower())
    assert press(page, CONTINUE).status == 200
    expect(heading(page)).to_have_text("Delete your answers?")
    assert_accessible(page, "the withdrawal's confirmation")
    before = response_count()
    press(page, "Delete my answers")
    expect(heading(page)).to_have_text("Your answers have been deleted")
    assert_accessible(page, "the page after withdrawing")
    assert response_count() == before - 1


def test_a_resident_takes_a_code_and_withdraws_with_it(phone: Page):
    _withdraw_with(phone, _send_and_take_a_code(phone))


def test_withdrawing_works_without_javascript(phone_without_javascript: Page):
    page = phone_without_javascript
    _withdraw_with(page, _send_and_take_a_code(page))


def test_the_audit_log_records_the_withdrawal_and_passes_axe(new_context: NewContext, phone: Page):
    _withdraw_with(phone, _send_and_take_a_code(phone))
    create_staff("withdraw-admin", "admin")
    desk = new_context(
        javascript=True, viewport=DESKTOP, is_mobile=False, has_touch=False
    ).new_page()
    desk.goto("/staff/login?next_=/staff/audit")
    fill_sign_in(desk, "withdraw-admin")
    expect(heading(desk)).to_have_text("Audit log")
    expect(desk.get_by_role("table")).to_contain_text("A response withdrawn with its code")
    assert_accessible(desk, "the audit log")
    desk.get_by_label("Show").select_option(label="Role given")
    desk.get_by_role("button", name="Filter").click()
    expect(desk).to_have_url(re.compile(r"action=set_role"))
    expect(desk.get_by_role("table")).to_contain_text("withdraw-admin: admin")
    assert_accessible(desk, "the audit log filtered by action")
