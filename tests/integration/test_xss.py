"""Stored cross-site scripting: every payload of tests/data/xss_payloads, typed
into every text field a person can fill, is text on every page that shows it.

Everything goes in through the real forms, as a person would send them: the page
is fetched, its form read (tests/integration/xss_pages.form_to), every text box
and text area of it filled with payloads, the other fields left as the page
offers them (or set as `overrides` say), and the form posted with its CSRF token.
A field gets as many payloads as its limit holds (joined by spaces; one a line
where the field takes lines), each field starting at another place in the
corpus, and ROUNDS rounds each build a whole consultation again, so every
payload is saved many times over in fields of every kind.

Where it is entered (form, its text fields)          where it shows
---------------------------------------------------  ----------------------------------
consultation: title, city, run by, purpose,          dashboard, consultation, builder,
  data use                                           respondent start/pages/thanks,
                                                     results, report, API
survey: title, intro, consent (new and settings);    builder, preview, start page,
  an imported definition file (title, intro,         paper survey, kiosk, results
  question texts and hints)
question: text, hint, answers, statements; on its    builder, question page, preview,
  own page: text, hint, answer labels, unit          respondent pages, check page,
                                                     results, report, paper survey,
                                                     indicators, API, workbook
organisation: name, city, contact, neighbourhoods,   organisations, organisation, its
  groups                                             edit form, session pages, findings
session: title, place, groups                        sessions, session, poster, live
                                                     count, paper entry, kiosk, outreach
resident answers: short and long text, "other"       text analysis, review, quotes,
  text (choice and multiple choice)                  original, check page, workbook
codebook theme (imported file, then its form):       codebook, themes, review, findings,
  label, description, keywords; suggested theme:     API
  label (rename)
quote: text                                          quotes, finding evidence
strategy areas; finding: title, statement,           findings, finding, report, API
  proposed action, owner, timeline
indicator: label                                     indicators, finding, API
outreach targets: group names                        outreach
API token: name                                      API tokens
safeguarding note                                    safeguarding

Then every page is read: as an admin, every staff page reachable by a link from
/staff (so every object of every round), and a kiosk session's tablet; as a
resident, every page of the journey, the 422 pages that echo what was typed
included, and every page linked from a consultation's and a session's address;
the JSON API with a token; the workbook and the CSV export. A page fails when a
payload's marker is live markup there (an element or attribute it names, an
event handler, htmx attribute, style, id or `javascript:` address carrying it, a
script or style body or a comment holding it), or when a template engine
evaluated a template-injection payload. Proven to fail: with autoescaping off
for the organisation templates alone, exactly those pages are reported.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from openpyxl import load_workbook

from tests.data.xss_payloads import PAYLOADS, Payload
from tests.fixtures import csrf_token, page_text, signed_in_as
from tests.integration.journey import check_form
from tests.integration.xss_pages import MARKER, Reading, form_to, forms_of, read_page

ROUNDS = 3
ADMIN = "xss.admin"
FACILITATOR = "xss.facilitator"
CITY = "Reykjavik"
RESIDENTS = 5  # enough for a group to be shown (k = 5)
API_TOKEN = re.compile(r'id="api-secret">([^<]+)<')
# Pages a crawl must not open: signing out, the API's schema viewers (tested
# elsewhere), files; and the quick exit, which ends the session (staff's too).
NOT_CRAWLED = ("/staff/logout", "/schema", "/static/")
QUICK_EXIT = re.compile(r"/c/[^/]+/exit$")
MOST_PAGES = 3000
FIRST = object()  # Site.fill: tick the first of these boxes
KEEP = object()  # Site.fill: leave the field as the page has it
# A question's fields left as they are on its own page: its variable name, its
# limits, and "Add answers" (new ones could repeat a label, which is refused).
KEPT = ("key", "min_choices", "max_choices", "min_number", "max_number", "options")
THREAT = "A man in the street threatened to kill me because of my headscarf."


@dataclass
class Corpus:
    """Hands out payloads to fields: each field key goes on through the corpus
    from its own starting point, round after round, and what went where is kept."""

    payloads: tuple[Payload, ...] = PAYLOADS
    cursors: dict[str, int] = field(default_factory=dict)
    saved: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def take(self, key: str, limit: int, lines: int = 0) -> str:
        """Payloads for field `key`: joined by spaces up to `limit` characters, or
        (lines > 0) up to `lines` lines of at most `limit` characters each. A
        payload longer than the field can hold is passed over."""
        count = len(self.payloads)
        at = self.cursors.setdefault(key, (len(self.cursors) * 17) % count)
        chosen: list[Payload] = []
        used = 0
        for _ in range(count):
            payload = self.payloads[at % count]
            size = len(payload.text) + (1 if chosen else 0)
            if len(payload.text) > limit and not chosen:
                at += 1
                continue
            if (lines and (len(chosen) == lines or len(payload.text) > limit)) or (
                not lines and used + size > limit
            ):
                break
            chosen.append(payload)
            used += size
            at += 1
        self.cursors[key] = at
        for payload in chosen:
            self.saved[payload.marker].add(key)
        return ("\n" if lines else " ").join(payload.text for payload in chosen)


# (field name -> (limit, lines)) of the text fields the forms offer; a field not
# named here takes one line of 100 characters.
LIMITS: dict[str, tuple[int, int]] = {
    "title": (200, 0),
    "city": (100, 0),
    "run_by": (200, 0),
    "purpose": (5000, 0),
    "data_use": (5000, 0),
    "intro": (5000, 0),
    "consent_text": (5000, 0),
    "text": (1000, 0),
    "help": (1000, 0),
    "options": (300, 6),
    "statements": (300, 4),
    "unit": (30, 0),
    "name": (120, 0),
    "contact": (200, 0),
    "neighbourhoods": (100, 4),
    "groups": (100, 4),
    "place": (200, 0),
    "statement": (5000, 0),
    "proposed_action": (5000, 0),
    "owner": (200, 0),
    "timeline": (120, 0),
    "areas": (120, 4),
    "label": (120, 0),
    "description": (2000, 0),
    "keywords": (80, 4),
    "group": (100, 0),
    "note": (2000, 0),
}


def _key(action: str, name: str) -> str:
    """A field's key for the corpus: the form's address without ids, and the name."""
    return re.sub(r"/\d+", "/N", action.split("?", 1)[0]) + ":" + re.sub(r"\d+", "N", name)


@dataclass
class Site:
    """The client, the corpus and every page read so far (address -> body)."""

    client: Any
    corpus: Corpus
    pages: dict[str, Any] = field(default_factory=dict)  # address -> response
    reader: str = ""  # who reads, when not the admin: a prefix of the addresses kept

    def get(self, url: str, **headers: str) -> Any:
        response = self.client.get(url, headers=headers)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        self.pages[self.reader + url] = response
        return response

    def keep(self, what: str, response: Any) -> None:
        """Keep the answer to a POST (a 422 page echoes what was typed)."""
        self.pages[f"POST {what} ({len(self.pages)})"] = response

    def fill(
        self,
        page: str,
        action: str,
        overrides: dict[str, Any] | None = None,
        *,
        expect: int | tuple[int, ...] = 303,
        files: dict[str, Any] | None = None,
        where: dict[str, str] | None = None,
    ) -> Any:
        """GET `page`, fill its form to `action` (the one `where` picks) as a
        person would and POST it; an override of FIRST ticks the first box offered."""
        body = self.get(page).text
        form = form_to(body, action, where)
        overrides = overrides or {}
        data: dict[str, list[str]] = defaultdict(list)
        radios: set[str] = set()
        for kind, name, value, checked in form.fields:
            if overrides.get(name) is FIRST:
                data[name] = data.get(name) or [value]
                continue
            if overrides.get(name) is KEEP:
                data[name].append(value)
                continue
            if name in overrides:
                if name not in data:
                    given = overrides[name]
                    data[name] = list(given) if isinstance(given, list | tuple) else [given]
                continue
            if kind in ("text", "textarea") and not name.startswith("_"):
                limit, lines = LIMITS.get(name, (100, 0))
                data[name].append(self.corpus.take(_key(action, name), limit, lines))
            elif kind in ("hidden", "select") or (kind == "checkbox" and checked) or kind == "keep":
                data[name].append(value)
            elif kind == "radio" and name not in radios and (checked or name not in data):
                data[name] = [value]
                radios.add(name) if checked else None
        data["_csrf_token"] = [csrf_token(body)]
        sent = self.client.post(action, data=dict(data), files=files, follow_redirects=False)
        self.keep(action, sent)
        expected = expect if isinstance(expect, tuple) else (expect,)
        assert sent.status_code in expected, f"{action}: {sent.status_code} {_problems(sent.text)}"
        return sent


def _problems(page: str) -> str:
    """What a refusing page says is wrong, the way a person reads it (the end of
    each line: the start may be a payload)."""
    summary = re.search(r'class="error-summary-list">(.*?)</ul>', page, re.S)
    if summary is None:
        return page_text(page)[-1500:]
    return " | ".join(
        page_text(item)[-200:] for item in re.findall(r"<li>(.*?)</li>", summary[1], re.S)
    )


def _id_in(location: str, after: str) -> int:
    match = re.search(re.escape(after) + r"/(\d+)", location)
    assert match, location
    return int(match.group(1))


def _build_round(site: Site, run: Any, number: int) -> dict[str, Any]:
    """One consultation with everything a planner, a facilitator and residents fill
    in, through the forms; the ids made."""
    from analysis import jobs
    from consult.tables import Consultation
    from surveys.services import load_spec
    from surveys.tables import Survey

    slug = f"xss-{number}"
    # The first round's consultation and organisation are in a real city, so that
    # outreach finds the organisation for the consultation; later ones, payloads.
    city = {"city": CITY} if number == 0 else {}
    site.fill(
        "/staff/consultations/new",
        "/staff/consultations",
        {"slug": slug, "minutes": "5", **city},
    )
    consultation_id = run(
        Consultation.select(Consultation.id).where(Consultation.slug == slug).first().run
    )["id"]
    builder = f"/staff/consultations/{consultation_id}"
    site.fill(builder, f"{builder}/surveys")
    survey_id = run(
        Survey.select(Survey.id).where(Survey.consultation == consultation_id).first().run
    )["id"]
    survey = f"{builder}/surveys/{survey_id}"
    site.fill(builder, f"{survey}/settings")
    for type_key, extra in (
        ("single_choice", {"other": "1", "prefer_not_to_say": "1"}),
        ("multiple_choice", {"other": "1"}),
        ("scale", {"dont_know": "1"}),
        ("matrix", {}),
        ("ranking", {}),
        ("long_text", {}),
        ("short_text", {}),
        ("number", {}),
    ):
        blank = dict.fromkeys(("key", "min_choices", "max_choices"), "")
        blank |= {"min_number": "", "max_number": ""}
        site.fill(builder, f"{survey}/questions", {"type": type_key, **blank, **extra})
    # Each question's own page: its texts, answer labels and unit edited again.
    for question in dict.fromkeys(
        re.findall(rf'href="({survey}/questions/\d+)"', site.get(builder).text)
    ):
        site.fill(question, question, dict.fromkeys(KEPT, KEEP))
    # A quick exit to a javascript: address is refused, and the page says so.
    refused = site.fill(
        builder,
        f"{builder}/safety",
        {"sensitive": "1", "exit_url": "javascript:xss999()"},
        expect=422,
    )
    assert "javascript:xss999()" not in re.findall(r'href="([^"]*)"', refused.text)
    site.fill(builder, f"{builder}/safety", {"sensitive": "1", "exit_url": "https://example.org/"})
    _import_survey(site, builder, survey)
    site.fill(builder, f"{builder}/status", {"status": "open"})

    site.fill("/staff/organisations/new", "/staff/organisations", city)
    organisations = site.get("/staff/organisations").text
    organisation_id = max(int(i) for i in re.findall(r'/staff/organisations/(\d+)"', organisations))
    site.fill(
        f"/staff/organisations/{organisation_id}/edit",
        f"/staff/organisations/{organisation_id}",
        city,
    )
    modes = ("paper", "kiosk", "assisted", "own_phones")
    sent = site.fill(
        "/staff/sessions/new",
        "/staff/sessions/new",
        {
            "consultation": str(consultation_id),
            "organisation": str(organisation_id),
            "mode": modes[number % len(modes)],
            "date": date.today().isoformat(),
            "time": "00:05",
        },
    )
    session_id = _id_in(sent.headers["location"], "/staff/sessions")

    spec = run(load_spec, survey_id)
    _answer(site, f"/c/{slug}/surveys/{survey_id}", spec, RESIDENTS)
    run(jobs.analyse_all_pending)
    _analyse(site, survey_id)
    _plan(site, consultation_id, survey_id, spec)
    return {
        "slug": slug,
        "consultation_id": consultation_id,
        "survey_id": survey_id,
        "session_id": session_id,
        "organisation_id": organisation_id,
        "spec": spec,
    }


def _import_survey(site: Site, builder: str, survey: str) -> None:
    """The survey's own definition file, its texts replaced by payloads (NUL bytes
    and all, as a file can hold them), imported as a second survey."""
    definition = site.get(f"{survey}/definition.json").json()
    definition["title"] = site.corpus.take("definition.json:title", 200)
    definition["intro"] = site.corpus.take("definition.json:intro", 5000)
    for question in definition["questions"]:
        question["text"] = site.corpus.take("definition.json:text", 1000)
        question["help"] = site.corpus.take("definition.json:help", 1000)
    page = site.get(builder).text
    sent = site.client.post(
        f"{builder}/surveys/import",
        data={"_csrf_token": csrf_token(page)},
        files={"definition": ("survey.json", json.dumps(definition).encode(), "application/json")},
        follow_redirects=False,
    )
    site.keep(f"{builder}/surveys/import", sent)
    assert sent.status_code == 303, sent.text[:3000]


def _actions(page: str, pattern: str) -> list[str]:
    """The addresses of the page's POST forms matching `pattern`."""
    return [
        form.action
        for form in forms_of(page)
        if form.method == "post" and re.fullmatch(pattern, form.action)
    ]


def _analyse(site: Site, survey_id: int) -> None:
    """Text analysis as a planner does it: a codebook imported and edited,
    themes suggested and renamed, a quote approved and edited, a safeguarding
    flag followed up."""
    base = f"/staff/surveys/{survey_id}/text"
    corpus = site.corpus
    codebook = {
        "themes": [
            {
                "id": f"theme{n}",
                "label": corpus.take("codebook.json:label", 120),
                "description": corpus.take("codebook.json:description", 2000),
                "keywords": ["xss", *corpus.take("codebook.json:keywords", 80, 3).split("\n")],
            }
            for n in range(2)
        ]
    }
    page = site.get(f"{base}/codebook").text
    sent = site.client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("codebook.json", json.dumps(codebook).encode(), "application/json")},
        follow_redirects=False,
    )
    site.keep(f"{base}/codebook/import", sent)
    assert sent.status_code == 303, sent.text[:3000]
    page = site.get(f"{base}/codebook").text
    theme = _actions(page, rf"{base}/codebook/\d+")[0]
    site.fill(f"{base}/codebook", theme)
    site.fill(f"{base}/codebook", f"{base}/codebook/recode")
    site.fill(f"{base}/themes", f"{base}/themes/suggest")
    for rename in _actions(site.get(f"{base}/themes").text, rf"{base}/themes/\d+/rename")[:2]:
        site.fill(f"{base}/themes", rename)
    for accept in _actions(site.get(f"{base}/themes").text, rf"{base}/themes/\d+/accept")[:1]:
        site.fill(f"{base}/themes", accept)
    reviews = re.findall(rf'href="({base}/themes/\d+/review)"', site.get(f"{base}/codebook").text)
    reviews += re.findall(rf'href="({base}/themes/\d+/review)"', site.get(f"{base}/themes").text)
    approved = 0
    for review in dict.fromkeys(reviews):
        for quote in _actions(site.get(review).text, r"/staff/text-answers/\d+/quote")[:4]:
            # An answer over a quote's 2,000 characters cannot be one (404).
            approved += site.fill(review, quote, expect=(303, 404)).status_code == 303
    assert approved, "no answer could be quoted"
    quotes = site.get(f"{base}/quotes").text
    for edit in _actions(quotes, r"/staff/quotes/\d+")[:2]:
        site.fill(f"{base}/quotes", edit)
    safeguarding = f"{base}/safeguarding"
    for flag in _actions(site.get(safeguarding).text, rf"{safeguarding}/\d+")[:1]:
        site.fill(safeguarding, flag)


def _plan(site: Site, consultation_id: int, survey_id: int, spec: Any) -> None:
    """Strategy work: areas, an indicator, a finding with evidence of every kind,
    outreach targets."""
    consultation = f"/staff/consultations/{consultation_id}"
    site.fill(f"{consultation}/strategy-areas", f"{consultation}/strategy-areas")
    chosen = next(q for q in spec.questions if q.type == "single_choice")
    indicators = f"/staff/surveys/{survey_id}/indicators"
    site.fill(
        f"{indicators}?question={chosen.id}",
        indicators,
        {"options": FIRST},
        where={"label": ""},
    )
    sent = site.fill(f"{consultation}/findings/new", f"{consultation}/findings/new")
    finding = "/staff/findings/" + str(_id_in(sent.headers["location"], "/staff/findings"))
    site.fill(finding, finding)
    added = [
        site.fill(finding, f"{finding}/evidence", where={"kind": kind}, expect=(303, 422))
        for kind in ("question", "cross_tab", "theme", "quote", "indicator")
    ]
    # A cross-tab of a question by itself is refused (the first choice of each).
    assert [sent.status_code for sent in added] == [303, 422, 303, 303, 303]
    site.fill(f"{consultation}/outreach", f"{consultation}/outreach/targets", {"target": "10"})


def _answer(site: Site, start: str, spec: Any, residents: int) -> None:
    """`residents` people answer the survey page by page, choosing "Other" where it
    is offered and typing payloads into every text box, then send it."""
    client = site.client
    others = {str(q.other_option.id) for q in spec.questions if q.other_option is not None}
    kept = httpx.Cookies(client.cookies)
    for resident in range(residents):
        client.cookies.clear()
        page = site.get(start).text
        form = form_to(page, f"{start}/start")
        data = {name: value for kind, name, value, _c in form.fields if kind == "hidden"}
        data["_csrf_token"] = csrf_token(page)
        url = client.post(f"{start}/start", data=data, follow_redirects=False)
        url = url.headers["location"]
        for _page in range(50):
            if "/pages/" not in url:
                break
            body = site.get(url).text
            form = form_to(body, urlsplit(url).path)
            answers: dict[str, list[str]] = defaultdict(list)
            for kind, name, value, _checked in form.fields:
                if kind in ("text", "textarea") and name.startswith("q"):
                    # "Other" takes 200 characters, a short text 500; a long one
                    # could take 5,000, but a planner quotes only up to 2,000.
                    limit = 200 if name.endswith("-other") else 500
                    limit = 1900 if kind == "textarea" else limit
                    typed = site.corpus.take(f"answer:{name}", limit)
                    if resident == 0 and kind == "textarea":
                        # Someone at risk: the safeguarding list gets a flag to follow up.
                        typed = f"{THREAT} {typed}"[:limit]
                    answers[name].append(typed)
                elif kind == "radio" and (value in others or name not in answers):
                    answers[name] = [value]
                elif kind == "checkbox" and (value in others or name not in answers):
                    answers[name].append(value)  # "Other", and the first box
                elif kind in ("select", "hidden"):
                    answers[name].append(value)
            answers["_csrf_token"] = [csrf_token(body)]
            answers["action"] = ["continue"]
            sent = client.post(urlsplit(url).path, data=dict(answers), follow_redirects=False)
            site.keep(url, sent)
            if sent.status_code == 422:
                # Not every text box takes text (a number, a rank): the resident
                # clears what the page marks wrong (the 422 page, echoing it all,
                # is read like every other) and sends the rest.
                for name in _invalid_fields(sent.text) or [n for n in answers if "-r" in n]:
                    answers.pop(name, None)
                answers["_csrf_token"] = [csrf_token(sent.text)]
                sent = client.post(urlsplit(url).path, data=dict(answers), follow_redirects=False)
                site.keep(url, sent)
            assert sent.status_code == 303, f"{url}: {sent.status_code} {sent.text[:2000]}"
            url = sent.headers["location"]
        check = site.get(url).text
        data = check_form(check)
        data["_csrf_token"] = [csrf_token(check)]
        sent = client.post(
            url.rsplit("/check", 1)[0] + "/submit", data=data, follow_redirects=False
        )
        assert sent.status_code == 303, sent.text[:2000]
        site.get(sent.headers["location"])
    client.cookies.clear()
    client.cookies.update(kept)


def _read_api(site: Site, rounds: list[dict[str, Any]]) -> None:
    """An API token named with payloads (through its form), then every API read."""
    made = site.fill("/staff/api-tokens", "/staff/api-tokens", expect=200)
    match = API_TOKEN.search(made.text)
    assert match, "the new token is not shown"
    bearer = {"Authorization": f"Bearer {match.group(1).strip()}"}
    site.get("/api/v1/consultations", **bearer)
    for built in rounds:
        consultation, survey = built["consultation_id"], built["survey_id"]
        site.get(f"/api/v1/consultations/{consultation}", **bearer)
        site.get(f"/api/v1/consultations/{consultation}/findings", **bearer)
        for what in ("results", "themes", "indicators"):
            site.get(f"/api/v1/surveys/{survey}/{what}", **bearer)


def _export(site: Site, run: Any, survey_id: int, fmt: str) -> None:
    """Ask for an export with the results page's button, let it be written and
    download it (kept under the address …/export.FORMAT)."""
    from analysis import export_jobs

    results = f"/staff/surveys/{survey_id}/results"
    sent = site.fill(results, f"/staff/surveys/{survey_id}/exports", where={"format": fmt})
    job = sent.headers["location"]
    for _attempt in range(200):
        # The app's own worker may have taken it: then wait for it to finish.
        if "/download" in site.get(job).text:
            break
        if not run(export_jobs.run_next):
            time.sleep(0.05)
    download = site.get(f"{job}/download")
    assert download.status_code == 200, download.text[:500]
    site.pages[f"/staff/surveys/{survey_id}/export.{fmt}"] = download


def _kiosk(site: Site, rounds: list[dict[str, Any]]) -> None:
    """A facilitator's tablet in kiosk mode on each kiosk session: its pages."""
    for built in rounds:
        session = f"/staff/sessions/{built['session_id']}"
        if not _actions(site.get(session).text, rf"{session}/kiosk"):
            continue  # not a kiosk session
        sent = site.fill(session, f"{session}/kiosk")
        site.reader = "kiosk: "
        site.get(sent.headers["location"])
        site.get("/kiosk/exit")
        site.reader = ""


def _invalid_fields(page: str) -> list[str]:
    """The names of the fields a 422 page marks wrong."""
    return re.findall(r'name="([^"]+)"[^>]*aria-invalid="true"', page) + re.findall(
        r'aria-invalid="true"[^>]*name="([^"]+)"', page
    )


def _crawl(site: Site, start: str) -> None:
    """Every same-site page reachable by links from `start`."""
    queue = [start]
    seen = {start}
    while queue and len(seen) < MOST_PAGES:
        url = queue.pop()
        response = site.get(url)
        if "html" not in response.headers.get("content-type", ""):
            continue
        links = re.findall(r'href="([^"#]*)', response.text)
        for link in links:
            target = urljoin(url, link.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver.local"):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path in seen or path.startswith(NOT_CRAWLED) or QUICK_EXIT.search(path):
                continue
            if path:
                seen.add(path)
                queue.append(path)


@pytest.fixture(scope="module")
def site(client, run, make_staff) -> Iterator[Site]:
    from consult.services.staff import create_user
    from consult.tables import Role
    from tests.fixtures import PASSWORD

    run(create_user, ADMIN, PASSWORD, Role.admin, None, CITY)
    signed_in_as(client, ADMIN)
    built = Site(client, Corpus())
    rounds = [_build_round(built, run, number) for number in range(ROUNDS)]
    _read_api(built, rounds)
    for made in rounds:
        for fmt in ("xlsx", "csv"):
            _export(built, run, made["survey_id"], fmt)
    _crawl(built, "/staff")
    codes = [
        re.findall(r"/j/([^\"<]+)", built.get(f"/staff/sessions/{made['session_id']}").text)[0]
        for made in rounds
    ]
    _kiosk(built, rounds)
    # As the facilitator of the first round's organisation: their own pages.
    run(create_user, FACILITATOR, PASSWORD, Role.facilitator, rounds[0]["organisation_id"])
    signed_in_as(client, FACILITATOR)
    built.reader = "facilitator: "
    _crawl(built, "/staff")
    built.reader = ""
    # As a resident: every page from the consultation's own and the session's.
    signed_in_as(client, None)
    for made, code in zip(rounds, codes, strict=True):
        _crawl(built, f"/c/{made['slug']}")
        _crawl(built, f"/j/{code}")
    yield built
    client.cookies.clear()
    _read.cache_clear()


def test_every_payload_was_saved_in_many_fields_and_shown(site):
    """The corpus really went in (each payload into 20 or more kinds of field)
    and came out: on staff pages and on a resident's."""
    assert len(PAYLOADS) >= 100
    for payload in PAYLOADS:
        assert len(site.corpus.saved[payload.marker]) >= 20, payload
    pages = _html_pages(site)
    for start in ("/staff", "/c/"):
        shown = set().union(
            *(_read(body).markers for url, body in pages.items() if url.startswith(start))
        )
        assert shown >= {payload.marker for payload in PAYLOADS}, start


# Three tests read every page the fixture kept (thousands): each body is parsed
# once, not once per test (the parse was a fifth of this module's time).
@functools.cache
def _read(body: str) -> Reading:
    return read_page(body)


def _html_pages(site: Site) -> dict[str, str]:
    return {
        url: response.text
        for url, response in site.pages.items()
        if response.headers.get("content-type", "").startswith("text/html")
    }


def test_no_page_turns_a_payload_into_markup(site):
    _crawl(site, "/staff")
    problems = {}
    for url, body in _html_pages(site).items():
        reading = _read(body)
        if reading.live:
            problems[url] = reading.live[:5]
    assert not problems, json.dumps(problems, indent=1)[:6000]


def test_no_template_engine_evaluated_a_payload(site):
    evaluated = [payload for payload in PAYLOADS if payload.evaluated]
    for url, body in _html_pages(site).items():
        text = _read(body).text
        for payload in evaluated:
            assert payload.evaluated not in text, f"{url} evaluated {payload.text!r}"


def test_json_is_served_as_json_and_holds_the_payloads_as_text(site):
    """The JSON a staff member downloads (and the API) is JSON, never HTML a
    browser would render, and the payloads are strings in it."""
    seen = 0
    for url, response in site.pages.items():
        if url.startswith("POST") or "json" not in urlsplit(url).path:
            continue
        assert response.headers["content-type"].startswith("application/json"), url
        assert response.headers.get("x-content-type-options") == "nosniff", url
        seen += len(MARKER.findall(json.dumps(response.json(), ensure_ascii=False)))
    assert seen, "no JSON with a payload was read"


def test_the_reader_finds_the_payloads_left_unescaped():
    """The check can fail: written into a page unescaped (as text, into a quoted
    attribute, into an address), nearly every payload is found live. The rest
    need a second decoding (entities, %-escapes, fullwidth brackets) or a
    template engine (the evaluated check), or are inert in a browser too
    (CDATA in HTML, a tag name split by NUL or a zero-width space)."""
    found = [
        payload
        for payload in PAYLOADS
        if any(
            read_page(page).live
            for page in (
                f"<p>{payload.text}</p>",
                f'<input value="{payload.text}">',
                f"<input value='{payload.text}'>",
                f'<a href="{payload.text}">x</a>',
            )
        )
    ]
    assert len(found) >= 100, len(found)


def test_the_workbook_holds_the_payloads_as_text(site):
    exports = [response for url, response in site.pages.items() if url.endswith("/export.xlsx")]
    assert len(exports) == ROUNDS
    for response in exports:
        book = load_workbook(io.BytesIO(response.content))
        cells = [
            cell
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and MARKER.search(cell.value)
        ]
        assert cells, "no payload reached the workbook"
        assert all(cell.data_type == "s" for cell in cells)


def test_the_csv_holds_the_payloads_as_plain_text(site):
    exports = [response for url, response in site.pages.items() if url.endswith("/export.csv")]
    assert len(exports) == ROUNDS
    for response in exports:
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert any(MARKER.search(cell) for row in rows for cell in row)
