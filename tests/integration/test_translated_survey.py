"""A resident reads the survey in their language: the question, its answers and
help in Icelandic whichever way the language was chosen; a text not yet translated
in English, marked so and noted once; easy read by a link; a poster's session in
Arabic leads to an Arabic survey; the paper survey in the session's language. What
is stored is the option's id and the language the person answered in."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.fixtures import PASSWORD, csrf_token, page_text, sign_in
from tests.integration.journey import begin, check_form, post_page, send_checked, walk

NOTE = re.compile(r'<p class="inset translation-note">(.*?)</p>', re.S)
HTML_TAG = re.compile(r"<html[^>]*>")
ARABIC_CODE = "PQRTUVWXYZ"
ICELANDIC_PAPER_CODE = "QRTUVWXYZA"
ICELANDIC_KIOSK_CODE = "RTUVWXYZAC"
ENDED_CODE = "TUVWXYZACD"
HOST = "testserver.local"


def choose(client: Any, name: str, value: str) -> None:
    """A cookie as the site itself would have set it (replacing one it set)."""
    client.cookies.set(name, value, domain=HOST)


@dataclass(frozen=True)
class Site:
    slug: str
    consultation_id: int
    survey_id: int
    spec: Any  # the survey as written, in English

    @property
    def url(self) -> str:
        return f"/c/{self.slug}/surveys/{self.survey_id}"

    def question(self, key: int) -> Any:
        return self.spec.questions[key]


def _definition() -> Any:
    from surveys.definition import (
        SCHEMA_ID,
        OptionDefinition,
        QuestionDefinition,
        SurveyDefinition,
        check_definition,
    )

    return check_definition(
        SurveyDefinition(
            schema=SCHEMA_ID,
            title="Safety survey",
            intro="Tell us how safe you feel where you live.",
            consent_text="The city uses your answers to plan its work.",
            questions=[
                QuestionDefinition(
                    key="safe",
                    type="single_choice",
                    text="Do you feel safe in your area?",
                    help="Think of the last month.",
                    required=True,
                    options=[
                        OptionDefinition("Yes"),
                        OptionDefinition("No"),
                        OptionDefinition("Not sure"),
                    ],
                ),
                QuestionDefinition(
                    key="where",
                    type="multiple_choice",
                    text="Where have you seen hate speech?",
                    options=[OptionDefinition("Online"), OptionDefinition("Street")],
                ),
                QuestionDefinition(
                    key="times",
                    type="number",
                    text="How many times?",
                    unit="times",
                ),
            ],
        )
    )


def _icelandic(spec: Any, consultation_id: int) -> dict[str, str]:
    """Every text in Icelandic but the answer "Not sure", and the easy-read intro
    and help."""
    safe, where, times = spec.questions
    return {
        "consultation.title": "Öryggi í borginni",
        "consultation.purpose": "Af hverju við spyrjum.",
        "consultation.run_by": "Reykjavíkurborg",
        "consultation.data_use": "Skipuleggjendur lesa svörin.",
        f"survey.{spec.id}.title": "Öryggiskönnun",
        f"survey.{spec.id}.intro": "Segðu okkur hversu örugg þú ert þar sem þú býrð.",
        f"survey.{spec.id}.consent_text": "Borgin notar svörin til að skipuleggja starf sitt.",
        f"survey.{spec.id}.intro.easy": "Við spyrjum um öryggi. Það er auðvelt.",
        f"question.{safe.id}.text": "Finnst þér þú örugg í hverfinu þínu?",
        f"question.{safe.id}.help": "Hugsaðu um síðasta mánuð.",
        f"question.{safe.id}.help.easy": "Síðustu 30 daga.",
        f"option.{safe.options[0].id}.label": "Já",
        f"option.{safe.options[1].id}.label": "Nei",
        f"question.{where.id}.text": "Hvar hefur þú séð hatursorðræðu?",
        f"option.{where.options[0].id}.label": "Á netinu",
        f"option.{where.options[1].id}.label": "Á götunni",
        f"question.{times.id}.text": "Hversu oft?",
        f"question.{times.id}.unit": "sinnum",
    }


@pytest.fixture(scope="module")
def site(run: Callable[..., Any], client: Any) -> Site:
    """An open consultation written in English, translated into Icelandic (but for
    one answer) and partly into Arabic."""
    from consult.services import consultations
    from consult.services.consultations import ConsultationInput
    from consult.tables import Consultation, ConsultationStatus
    from surveys import builder, services
    from surveys.translations import save_texts

    consultation = run(
        consultations.create,
        ConsultationInput(
            slug="oryggi",
            title="Safety in the city",
            purpose="Why we ask.",
            city="Reykjavik",
            run_by="City of Reykjavik",
            data_use="Planners read the answers.",
            minutes_to_complete=5,
        ),
    )
    run(
        Consultation.update({Consultation.languages: "is,ar"})
        .where(Consultation.id == consultation.id)
        .run
    )
    survey_id = run(builder.import_definition, consultation.id, _definition())
    run(consultations.set_status, consultation, ConsultationStatus.open)
    spec = run(services.load_spec, survey_id)
    run(save_texts, consultation.id, "is", _icelandic(spec, consultation.id))
    run(
        save_texts,
        consultation.id,
        "ar",
        {
            f"survey.{spec.id}.title": "استبيان الأمان",
            f"question.{spec.questions[0].id}.text": "هل تشعر بالأمان في منطقتك؟",
        },
    )
    return Site("oryggi", consultation.id, survey_id, spec)


def _session(
    run: Callable[..., Any],
    site: Site,
    mode: str,
    code: str,
    locale: str,
    closes_at: datetime | None = None,
) -> int:
    """A hosted session of the site's consultation in `locale`."""
    from consult.tables import HostedSession, Organisation

    async def make() -> int:
        found = await Organisation.select(Organisation.id).where(Organisation.name == "Mosque")
        if found:
            organisation = found[0]["id"]
        else:
            made = await Organisation.insert(
                Organisation(name="Mosque", kind="religious", city="Reykjavik")
            )
            organisation = made[0]["id"]
        rows = await HostedSession.insert(
            HostedSession(
                consultation=site.consultation_id,
                organisation=organisation,
                title=f"Session {code}",
                code=code,
                mode=mode,
                locale=locale,
                closes_at=closes_at,
                created_at=datetime.now(UTC),
            )
        )
        return rows[0]["id"]

    return run(make)


def _consented(client: Any, site: Site, **request: Any) -> str:
    """A fresh visitor who agreed to the consent text: the first page's HTML."""
    first = begin(client, site.url)
    return client.get(first, **request).text


def _label(html: str, text: str) -> str:
    """The opening tag of the choice label that reads `text`."""
    found = re.search(r'<label class="choice-label"[^>]*>' + re.escape(text) + "</label>", html)
    assert found, f"no answer labelled {text!r}"
    return found.group(0)


@pytest.mark.parametrize(
    "how",
    [
        {"params": {"lang": "is"}},
        {"cookies": {"lang": "is"}},
        {"headers": {"Accept-Language": "is-IS,is;q=0.9,en;q=0.5"}},
    ],
    ids=["query", "cookie", "accept-language"],
)
def test_each_way_of_choosing_icelandic_shows_the_question_in_icelandic(client, site, how):
    client.cookies.clear()
    for name, value in how.get("cookies", {}).items():
        choose(client, name, value)
    page = _consented(client, site, **{k: v for k, v in how.items() if k != "cookies"})
    assert 'lang="is"' in HTML_TAG.search(page).group(0)
    text = page_text(page)
    assert "Finnst þér þú örugg í hverfinu þínu?" in text
    assert "Hugsaðu um síðasta mánuð." in text
    assert "Já" in text
    assert "Nei" in text
    assert "Do you feel safe" not in text
    assert "Think of the last month." not in text


def test_an_answer_not_yet_translated_shows_in_english_marked_and_noted(client, site):
    client.cookies.clear()
    choose(client, "lang", "is")
    page = _consented(client, site)
    assert 'lang="en"' in _label(page, "Not sure")
    assert "lang=" not in _label(page, "Já")
    notes = NOTE.findall(page)
    assert len(notes) == 1, "one note per page"
    # It names both languages (each in itself), the main one marked as English.
    assert "íslenska" in page_text(notes[0]).lower()
    assert '<span lang="en">English</span>' in notes[0]
    # The next page is wholly translated: no note there.
    safe = site.question(0)
    sent = post_page(client, begin(client, site.url), {safe.field_name: str(safe.options[0].id)})
    assert sent.status_code == 303
    following = client.get(sent.headers["location"]).text
    assert "Á netinu" in page_text(following)
    assert not NOTE.search(following)


def test_an_error_names_the_question_in_the_readers_language(client, site):
    client.cookies.clear()
    choose(client, "lang", "is")
    refused = post_page(client, begin(client, site.url), {})
    assert refused.status_code == 422
    summary = re.search(r'<div class="error-summary".*?</div>', refused.text, re.S)
    assert summary
    assert "Finnst þér þú örugg í hverfinu þínu?" in page_text(summary.group(0))


def test_the_response_stores_icelandic_and_the_option_id(client, run, site):
    from surveys.tables import Answer, Response

    client.cookies.clear()
    choose(client, "lang", "is")
    safe, where, times = site.spec.questions
    check = walk(
        client,
        site.url,
        {
            safe.field_name: str(safe.options[2].id),  # "Not sure", shown in English
            where.field_name: str(where.options[0].id),
            times.field_name: "3",
        },
    )
    summary = client.get(check).text
    text = page_text(summary)
    assert "Finnst þér þú örugg í hverfinu þínu?" in text
    assert "Á netinu" in text
    assert "3 sinnum" in text
    # The answer still in English is marked so on "Check your answers" too.
    assert '<span lang="en">Not sure</span>' in summary
    # What goes back is the option's id, never its label in any language.
    assert check_form(summary)[safe.field_name] == [str(safe.options[2].id)]
    sent = send_checked(client, check)
    assert sent.status_code == 303, sent.text
    response = run(
        Response.select(Response.id, Response.locale)
        .where(Response.survey == site.survey_id)
        .order_by(Response.id, ascending=False)
        .first()
        .run
    )
    assert response["locale"] == "is"
    options = run(
        Answer.select(Answer.option)
        .where((Answer.response == response["id"]) & (Answer.question == safe.id))
        .run
    )
    assert [row["option"] for row in options] == [safe.options[2].id]


def test_easy_read_is_a_link_that_switches_the_intro_and_the_help(client, site):
    client.cookies.clear()
    choose(client, "lang", "is")
    start = client.get(site.url).text
    switch = re.search(r'href="(/easy-read\?on=1&amp;next=[^"]+)"', start)
    assert switch, "the start page offers easy read"
    assert "Segðu okkur hversu örugg þú ert" in page_text(start)
    turned_on = client.get(switch.group(1).replace("&amp;", "&"), follow_redirects=False)
    assert turned_on.status_code == 303
    assert turned_on.headers["location"] == site.url
    cookie = turned_on.headers["set-cookie"]
    assert cookie.startswith("easy=1;")
    assert "samesite=lax" in cookie.lower()
    assert "path=/" in cookie.lower()

    easy_start = client.get(site.url).text
    assert "Við spyrjum um öryggi. Það er auðvelt." in page_text(easy_start)
    # The consent text has no easy-read version: the standard one shows.
    assert "Borgin notar svörin til að skipuleggja starf sitt." in page_text(easy_start)
    assert "/easy-read?on=0&amp;next=" in easy_start
    first = client.get(begin(client, site.url)).text
    assert "Síðustu 30 daga." in page_text(first)
    assert "/easy-read?on=0&amp;next=" in first

    off = client.get(f"/easy-read?on=0&next={site.url}", follow_redirects=False)
    assert off.status_code == 303
    assert client.cookies.get("easy") is None
    assert "Segðu okkur hversu örugg þú ert" in page_text(client.get(site.url).text)


def test_a_page_without_an_easy_read_version_offers_no_switch(client, site):
    client.cookies.clear()
    choose(client, "lang", "ar")
    assert "/easy-read" not in client.get(site.url).text


@pytest.mark.parametrize(
    "target",
    ["//evil.example", "https://evil.example/c/x", "/\\evil.example", "/\t/evil.example", ""],
)
def test_easy_read_goes_back_only_to_a_page_of_this_site(client, target):
    sent = client.get("/easy-read", params={"on": "1", "next": target}, follow_redirects=False)
    assert sent.status_code == 303
    assert sent.headers["location"] == "/"


def test_joining_an_arabic_session_makes_the_survey_arabic_and_right_to_left(client, run, site):
    _session(run, site, "own_phones", ARABIC_CODE, "ar")
    client.cookies.clear()
    joined = client.get(f"/j/{ARABIC_CODE}", follow_redirects=False)
    assert joined.status_code == 303
    assert "lang=ar;" in joined.headers["set-cookie"]
    start = client.get(joined.headers["location"]).text
    assert HTML_TAG.search(start).group(0) == '<html lang="ar" dir="rtl">'
    assert "استبيان الأمان" in page_text(start)
    # Texts not yet in Arabic are in English, marked left to right.
    assert '<p class="lead" lang="en" dir="ltr">' in start
    assert len(NOTE.findall(start)) == 1
    first = client.get(begin(client, site.url)).text
    assert "هل تشعر بالأمان في منطقتك؟" in page_text(first)


def test_joining_keeps_a_language_the_person_chose(client, run, site):
    client.cookies.clear()
    choose(client, "lang", "is")
    joined = client.get(f"/j/{ARABIC_CODE}", follow_redirects=False)
    assert joined.status_code == 303
    assert "lang=" not in joined.headers.get("set-cookie", "")
    start = client.get(joined.headers["location"]).text
    assert 'lang="is"' in HTML_TAG.search(start).group(0)


def test_an_ended_sessions_way_in_names_the_consultation_in_the_readers_language(client, run, site):
    _session(run, site, "own_phones", ENDED_CODE, "ar", datetime.now(UTC) - timedelta(hours=1))
    client.cookies.clear()
    choose(client, "lang", "is")
    ended = client.get(f"/j/{ENDED_CODE}", follow_redirects=False)
    assert ended.status_code == 410
    assert f'href="/c/{site.slug}"' in ended.text
    assert "Öryggi í borginni" in page_text(ended.text)
    # An ended session sets no language.
    assert "lang=" not in ended.headers.get("set-cookie", "")


def test_the_consultation_page_and_the_list_are_in_icelandic(client, site):
    client.cookies.clear()
    choose(client, "lang", "is")
    landing = page_text(client.get(f"/c/{site.slug}").text)
    assert "Öryggi í borginni" in landing
    assert "Af hverju við spyrjum." in landing
    assert "Skipuleggjendur lesa svörin." in landing
    assert "Öryggi í borginni" in page_text(client.get("/").text)


def test_the_paper_survey_prints_in_the_sessions_language(client, run, site, make_staff):
    session_id = _session(run, site, "paper", ICELANDIC_PAPER_CODE, "is")
    make_staff("paper-planner", "planner")
    client.cookies.clear()
    assert sign_in(client, "paper-planner").status_code == 303
    printed = client.get(f"/staff/sessions/{session_id}/paper-survey")
    assert printed.status_code == 200
    assert 'lang="is"' in HTML_TAG.search(printed.text).group(0)
    text = page_text(printed.text)
    assert "Öryggiskönnun" in text
    assert "Finnst þér þú örugg í hverfinu þínu?" in text
    assert "Hugsaðu um síðasta mánuð." in text
    assert re.search(r'<span class="paper-option-label" lang="en">Not sure</span>', printed.text)
    assert len(NOTE.findall(printed.text)) == 1
    # ?lang= prints it in another language.
    english = client.get(f"/staff/sessions/{session_id}/paper-survey", params={"lang": "en"})
    assert "Do you feel safe in your area?" in page_text(english.text)
    assert not NOTE.search(english.text)
    # The entry screen speaks its reader's language; the planner's paper too.
    entry = client.get(f"/staff/sessions/{session_id}/paper", params={"lang": "is"})
    assert "Finnst þér þú örugg í hverfinu þínu?" in page_text(entry.text)
    planner_paper = client.get(f"/staff/surveys/{site.survey_id}/paper", params={"lang": "is"})
    assert "Öryggiskönnun" in page_text(planner_paper.text)


def test_finish_and_clear_on_a_kiosk_brings_back_the_sessions_language(client, run, site):
    from consult.services.staff import create_user
    from consult.tables import Organisation, Role

    session_id = _session(run, site, "kiosk", ICELANDIC_KIOSK_CODE, "is")
    organisation = run(
        Organisation.select(Organisation.id).where(Organisation.name == "Mosque").first().run
    )
    run(create_user, "kiosk-host", PASSWORD, Role.facilitator, organisation["id"])
    client.cookies.clear()
    assert sign_in(client, "kiosk-host").status_code == 303
    form = client.get(f"/staff/sessions/{session_id}/kiosk").text
    started = client.post(
        f"/staff/sessions/{session_id}/kiosk",
        data={"_csrf_token": csrf_token(form)},
        follow_redirects=False,
    )
    assert started.status_code == 303
    assert "lang=is;" in started.headers["set-cookie"]
    assert 'lang="is"' in HTML_TAG.search(client.get(site.url).text).group(0)
    # The first person chooses Polish and easy read, then finishes.
    choose(client, "lang", "pl")
    choose(client, "easy", "1")
    page = client.get(site.url).text
    assert 'lang="pl"' in HTML_TAG.search(page).group(0)
    cleared = client.post(
        "/kiosk/clear", data={"_csrf_token": csrf_token(page)}, follow_redirects=False
    )
    assert cleared.status_code == 303
    assert client.cookies.get("lang") == "is"
    assert client.cookies.get("easy") is None
    nxt = client.get(cleared.headers["location"]).text
    assert 'lang="is"' in HTML_TAG.search(nxt).group(0)
    assert "Segðu okkur hversu örugg þú ert" in page_text(nxt)


def test_rendered_pages_are_kept_apart_by_language_and_easy_read(client, site, monkeypatch):
    from surveys import pages

    pages.forget_blank_pages()
    monkeypatch.setattr(pages, "_max_age", lambda: 60.0)
    try:
        client.cookies.clear()
        first = begin(client, site.url)
        english = client.get(first).text
        choose(client, "lang", "is")
        icelandic = client.get(first).text
        choose(client, "easy", "1")
        easy = client.get(first).text
        client.cookies.delete("lang")
        english_again = client.get(first).text
    finally:
        pages.forget_blank_pages()
    assert "Think of the last month." in page_text(english)
    assert "Hugsaðu um síðasta mánuð." in page_text(icelandic)
    assert "Síðustu 30 daga." in page_text(easy)
    # English has no easy-read help: the standard text, without a switch.
    assert "Think of the last month." in page_text(english_again)
    assert "/easy-read" not in english_again
