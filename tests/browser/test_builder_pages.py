"""A planner builds a survey, and every builder page passes axe on the way.

Signed in as a planner of the demo city, on an office desktop: the consultation
list, the survey builder (the demo's answered, locked survey and a new one from a
template), a question's edit form and its error, the preview as a respondent,
the add-question form's error and an import of a bad definition file.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import NewContext
from tests.browser.journey import CONSULTATION_TITLE, heading
from tests.browser.staff import DESKTOP, create_staff, fill_sign_in
from tests.fixtures import PASSWORD

pytestmark = pytest.mark.browser

PLANNER = "browser-planner"
TEMPLATE = "Safety, hate and support: resident needs assessment"


@pytest.fixture(scope="module")
def planner(demo_site: object) -> str:
    """A planner of the demo's database (the demo's own password stays in var/)."""
    return create_staff(PLANNER, "planner")


@pytest.fixture
def desk(new_context: NewContext, planner: str) -> Page:
    """A planner's office desktop (closed with new_context's contexts)."""
    return new_context(viewport=DESKTOP, is_mobile=False, has_touch=False).new_page()


def _open_demo_builder(page: Page) -> None:
    page.goto("/staff/login")
    fill_sign_in(page, PLANNER, PASSWORD)
    expect(heading(page)).to_have_text("Consultations")
    page.get_by_role("link", name=CONSULTATION_TITLE).click()
    expect(heading(page)).to_have_text(CONSULTATION_TITLE)


def test_signing_in_and_the_consultation_list(desk: Page):
    desk.goto("/staff/login")
    expect(heading(desk)).to_have_text("Sign in")
    assert_accessible(desk, "the sign-in page")
    fill_sign_in(desk, PLANNER, "not the password")
    expect(desk).to_have_title(re.compile(r"^Error: "))
    expect(desk.get_by_role("alert")).to_be_visible()
    expect(desk.get_by_label("Username")).to_have_value(PLANNER)
    assert_accessible(desk, "the sign-in page refusing a wrong password")
    fill_sign_in(desk, PLANNER, PASSWORD)
    expect(heading(desk)).to_have_text("Consultations")
    expect(desk.get_by_role("link", name=CONSULTATION_TITLE)).to_be_visible()
    assert_accessible(desk, "the consultation list")


def test_the_builder_of_an_answered_survey_and_its_preview(desk: Page):
    _open_demo_builder(desk)
    # People have answered the demo: it is shown locked, with its questions.
    expect(desk.get_by_text("Make reporting easier").first).to_be_attached()
    assert_accessible(desk, "the builder of an answered survey")

    desk.get_by_role("link", name=re.compile(r"^Preview")).first.click()
    expect(
        desk.get_by_text("How safe do you feel in your neighbourhood after dark?").first
    ).to_be_visible()
    assert_accessible(desk, "the preview of the demo survey")
    desk.go_back()
    # Locked: nothing offers to edit, move or delete a question.
    expect(desk.get_by_role("link", name=re.compile(r"^Edit"))).to_have_count(0)


def test_a_new_survey_from_a_template_is_built_and_its_errors_are_accessible(desk: Page):
    _open_demo_builder(desk)
    section = desk.locator("#new-survey")
    section.get_by_label(re.compile(rf"^{re.escape(TEMPLATE)}")).check()
    section.get_by_role("button", name="Create survey from template").click()
    expect(desk.get_by_role("heading", name=re.compile(re.escape(TEMPLATE))).first).to_be_visible()
    assert_accessible(desk, "the builder with a new survey from a template")

    # Add a question with no text: refused, explained, the details left open.
    summary = desk.get_by_text("Add a question").last
    summary.click()
    add = summary.locator("xpath=..")
    add.get_by_role("button", name="Add question").click()
    expect(desk).to_have_title(re.compile(r"^Error: "))
    expect(desk.get_by_role("alert")).to_be_focused()
    assert_accessible(desk, "the builder refusing a question without text")

    # The new survey is unanswered, so its questions can be edited.
    desk.get_by_role("link", name=re.compile(r"^Edit")).last.click()
    expect(heading(desk)).to_have_text(re.compile(r"^Edit question \d+$"))
    expect(desk.get_by_text("can no longer change")).to_have_count(0)
    assert_accessible(desk, "a question's edit form")
    desk.get_by_label("Question", exact=True).fill("")
    desk.get_by_role("button", name="Save question", exact=True).last.click()
    expect(desk).to_have_title(re.compile(r"^Error: "))
    expect(desk.get_by_role("alert")).to_be_focused()
    assert_accessible(desk, "a question's edit form refusing an empty question")


def test_importing_a_bad_definition_names_the_problem_accessibly(desk: Page, tmp_path):
    _open_demo_builder(desk)
    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps({"title": "No questions here", "questions": "none"}))
    desk.get_by_text("Import a survey definition (JSON)").click()
    expect(desk.get_by_label("Definition file")).to_be_visible()
    assert_accessible(desk, "the import form")
    desk.get_by_label("Definition file").set_input_files(str(bad))
    desk.get_by_role("button", name=re.compile("Import")).click()
    expect(desk).to_have_title(re.compile(r"^Error: "))
    problem = desk.locator("#import-definition-error")
    expect(problem).to_be_visible()
    expect(problem).to_contain_text("questions")
    assert_accessible(desk, "the import form with the file's problems")
