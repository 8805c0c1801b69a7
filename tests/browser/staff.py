"""Staff in the browser tests: users of the demo's database, and signing in."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.fixtures import PASSWORD, SURVEY_CITY, run_in_fresh_loop

# A planner's office desktop.
DESKTOP = {"width": 1280, "height": 900}


def create_staff(username: str, role: str, city: str = SURVEY_CITY) -> str:
    """A staff user with PASSWORD (the demo's own password stays in var/); a planner
    is on `city`'s team (the demo's and make_survey's city unless given)."""
    from consult.services.staff import create_user
    from consult.tables import Role

    team = city if role == Role.planner.value else ""
    run_in_fresh_loop(lambda: create_user(username, PASSWORD, Role(role), city=team))
    return username


def fill_sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    """Fill in and send the sign-in form the page shows."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
