"""Choosing a language: the switcher on every page, its cookie, and what wins.

The order is an explicit choice (`?lang=`, then the cookie the switcher sets),
then the browser's Accept-Language, then the consultation service's default.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from consult.i18n import available_locales
from consult.web import PREFERENCE_SECONDS
from tests.fixtures import signed_in_as

SWITCHER = re.compile(r'<details class="language-switcher">.*?</details>', re.S)
LINK = re.compile(
    r'<a href="(?P<href>[^"]+)" lang="(?P<lang>[^"]+)" hreflang="(?P<hreflang>[^"]+)" '
    r'dir="(?P<dir>[^"]+)"(?P<current> aria-current="true")?>(?P<name>[^<]+)</a>'
)
ISSUE_LANGUAGES = {"en", "is", "fi", "sv", "nb", "da", "ar", "fa", "so", "pl", "uk"}
NAMES = {
    "en": "English",
    "is": "Íslenska",
    "fi": "Suomi",
    "sv": "Svenska",
    "nb": "Norsk bokmål",
    "da": "Dansk",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
    "pl": "Polski",
    "uk": "Українська",
}


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("languages-place")


@pytest.fixture(autouse=True)
def no_choice_yet(client):
    client.cookies.clear()


def _html_tag(page: str) -> str:
    match = re.search(r"<html [^>]*>", page)
    assert match, "no <html> tag"
    return match.group(0)


def _links(page: str) -> list[re.Match[str]]:
    switcher = SWITCHER.search(page)
    assert switcher, "no language switcher on the page"
    return list(LINK.finditer(switcher.group(0)))


def test_the_switcher_names_every_language_in_itself(client, survey):
    links = _links(client.get(f"/c/{survey.slug}").text)
    assert set(available_locales()) == ISSUE_LANGUAGES
    assert {link["lang"]: link["name"] for link in links} == NAMES
    for link in links:
        assert link["hreflang"] == link["lang"]
        assert link["dir"] == ("rtl" if link["lang"] in ("ar", "fa") else "ltr")
    # The page is in English (no choice, no Accept-Language): English is marked current.
    assert [link["lang"] for link in links if link["current"]] == ["en"]


def test_following_a_link_sets_the_cookie_and_returns_to_the_page_in_that_language(client, survey):
    landing = f"/c/{survey.slug}"
    links = {link["lang"]: link["href"] for link in _links(client.get(landing).text)}
    href = links["is"].replace("&amp;", "&")
    assert parse_qs(urlsplit(href).query)["next"] == [landing]

    chosen = client.get(href, follow_redirects=False)
    assert chosen.status_code == 303
    assert chosen.headers["location"] == landing
    cookie = chosen.headers["set-cookie"]
    assert cookie.startswith("lang=is;")
    assert f"Max-Age={PREFERENCE_SECONDS}" in cookie
    assert "Path=/" in cookie
    assert "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "HttpOnly" not in cookie

    page = client.get(landing).text
    assert _html_tag(page) == '<html lang="is" dir="ltr">'
    assert [link["lang"] for link in _links(page) if link["current"]] == ["is"]

    client.get(links["ar"].replace("&amp;", "&"))
    assert _html_tag(client.get(landing).text) == '<html lang="ar" dir="rtl">'


def test_the_link_keeps_the_query_but_not_an_old_lang(client, make_staff):
    make_staff("switching-planner", "planner")
    signed_in_as(client, "switching-planner")
    page = client.get("/staff/sessions?done=created&lang=fi").text
    href = next(link["href"] for link in _links(page) if link["lang"] == "sv")
    assert parse_qs(urlsplit(href.replace("&amp;", "&")).query)["next"] == [
        "/staff/sessions?done=created"
    ]


def test_a_resident_page_carries_only_what_the_journey_reads(client, survey):
    # Question pages are rendered once per language and reused for everyone, the
    # switcher too: one visitor's query must not reach another's page.
    page = client.get(f"/c/{survey.slug}?ref=someone-s-own-link&return=check").text
    href = next(link["href"] for link in _links(page) if link["lang"] == "pl")
    assert parse_qs(urlsplit(href.replace("&amp;", "&")).query)["next"] == [
        f"/c/{survey.slug}?return=check"
    ]


@pytest.mark.parametrize(
    "unsafe",
    [
        "https://elsewhere.example/",
        "//elsewhere.example/",
        "/\\elsewhere.example/",
        "/\t/elsewhere.example/",
        "elsewhere",
        "",
    ],
)
def test_a_next_outside_this_site_goes_home(client, unsafe):
    chosen = client.get("/language/sv", params={"next": unsafe}, follow_redirects=False)
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/"
    assert chosen.cookies.get("lang") == "sv"


def test_no_next_goes_home(client):
    chosen = client.get("/language/da", follow_redirects=False)
    assert (chosen.status_code, chosen.headers["location"]) == (303, "/")


def test_an_unknown_language_is_not_found_and_sets_nothing(client):
    for code in ("xx", "de", "EN", "en-GB"):
        chosen = client.get(f"/language/{code}", params={"next": "/"}, follow_redirects=False)
        assert chosen.status_code == 404, code
        assert "lang" not in chosen.cookies


def test_the_cookie_beats_accept_language_and_the_query_beats_the_cookie(client):
    wants_finnish = {"Accept-Language": "fi-FI, fi;q=0.9, en;q=0.5"}
    assert 'lang="fi"' in _html_tag(client.get("/", headers=wants_finnish).text)
    client.get("/language/pl", params={"next": "/"})
    assert 'lang="pl"' in _html_tag(client.get("/", headers=wants_finnish).text)
    assert _html_tag(client.get("/?lang=fa", headers=wants_finnish).text) == (
        '<html lang="fa" dir="rtl">'
    )
    # An unknown query falls through to the cookie.
    assert 'lang="pl"' in _html_tag(client.get("/?lang=xx", headers=wants_finnish).text)


def test_staff_pages_have_the_switcher_and_follow_the_choice(client, make_staff):
    make_staff("language-planner", "planner")
    signed_in_as(client, "language-planner")
    links = {link["lang"]: link["href"] for link in _links(client.get("/staff").text)}
    client.get(links["uk"].replace("&amp;", "&"))
    page = client.get("/staff").text
    assert _html_tag(page) == '<html lang="uk" dir="ltr">'
    client.get("/language/ar", params={"next": "/staff"})
    assert _html_tag(client.get("/staff/sessions").text) == '<html lang="ar" dir="rtl">'


def test_the_language_page_lists_them_all_and_returns_to_where_it_was_opened(client, survey):
    page = client.get("/language", params={"next": f"/c/{survey.slug}"})
    assert page.status_code == 200
    listed = re.findall(r'<a href="/language/(\w+)\?next=([^"]+)" lang="\1"', page.text)
    assert {code for code, _ in listed} == ISSUE_LANGUAGES
    assert {back for _, back in listed} == {f"%2Fc%2F{survey.slug}"}


def test_error_pages_have_lang_and_dir(client):
    client.get("/language/fa", params={"next": "/"})
    missing = client.get("/no-such-page")
    assert missing.status_code == 404
    assert _html_tag(missing.text) == '<html lang="fa" dir="rtl">'
    assert _links(missing.text)
