"""Bad input that used to give a 500 gets a clear 4xx, and text is stored the same
way on both engines: a NUL byte (which PostgreSQL refuses and SQLite kept) and the
other control characters are removed from every field of every form, `minutes=²`
is refused in words, ids no table can hold name nothing, a NUL in a /static/ path
is a 404 that writes no raw NUL into the log, and the documented limits on counts
and sizes (README, "Limits") are refused with 422 before anything is written."""

from __future__ import annotations

import json
import logging
import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ENGINE
from tests.fixtures import csrf_token, page_text, post_form, send_survey, signed_in_as

# NUL, another control character, a CR LF and a decomposed é (e + U+0301).
DIRTY = "Night\x00 bus\x01 in Bre\u0301ttir\r\nend"
CLEAN = "Night bus in Bréttir\nend"


@given(st.text())
def test_any_text_is_normalised_to_what_both_engines_store(text):
    import unicodedata

    from consult.text_input import clean_text, normalise

    for cleaned in (normalise(text), clean_text(text)):
        assert not any(ord(c) < 32 and c not in "\t\n" for c in cleaned)
        assert "\x7f" not in cleaned
        assert unicodedata.is_normalized("NFC", cleaned)
        assert normalise(cleaned) == cleaned


@given(st.text(max_size=12))
def test_a_number_is_read_only_from_plain_digits_within_an_id(text):
    from consult.text_input import MAX_ID, whole_number

    number = whole_number(text)
    if number is not None:
        assert 0 <= number <= MAX_ID
        assert text.strip().isascii()
    assert whole_number("²") is None
    assert whole_number(str(MAX_ID + 1)) is None
    assert whole_number(" 42 ") == 42


@pytest.fixture(scope="module")
def survey(make_survey, make_staff):
    make_staff("hostile.admin", "admin")
    return make_survey("hostile-city")


@pytest.fixture
def admin(client, survey):
    signed_in_as(client, "hostile.admin")
    yield
    signed_in_as(client, None)


def _stored(run, table, column, where):
    rows = run(table.select(column).where(where).run)
    return [row[column._meta.name] for row in rows]


def test_a_residents_answer_with_a_nul_byte_is_stored_without_it_and_shown(
    client, run, survey, admin
):
    from analysis import jobs
    from surveys.tables import Answer

    ids, options = survey.question_ids, survey.option_ids
    signed_in_as(client, None)
    for _ in range(5):
        sent = send_survey(
            client,
            survey.submit_url,
            {
                f"q{ids['single']}": str(options["single"][0]),
                f"q{ids['scale']}": str(options["scale"][0]),
                f"q{ids['text']}": DIRTY,
            },
        )
        assert sent.status_code == 303, sent.text
    assert _stored(run, Answer, Answer.text, Answer.question == ids["text"]) == [CLEAN] * 5
    run(jobs.analyse_all_pending)
    signed_in_as(client, "hostile.admin")
    base = f"/staff/surveys/{survey.survey_id}/text"
    book = {"themes": [{"id": "night", "label": "At night", "keywords": ["night", "bus"]}]}
    page = client.get(f"{base}/codebook").text
    imported = client.post(
        f"{base}/codebook/import",
        data={"_csrf_token": csrf_token(page)},
        files={"codebook": ("codebook.json", json.dumps(book).encode(), "application/json")},
        follow_redirects=False,
    )
    assert imported.status_code == 303
    assert post_form(client, f"{base}/codebook", f"{base}/codebook/recode", {}).status_code == 303
    from analysis.tables import Theme

    theme = run(Theme.select(Theme.id).where(Theme.key == "night").first().run)["id"]
    review = client.get(f"{base}/themes/{theme}/review")
    assert review.status_code == 200
    assert "Night bus in Bréttir" in page_text(review.text)
    assert "\x00" not in review.text


def test_a_survey_title_an_organisation_and_a_finding_are_stored_clean(client, run, survey, admin):
    from consult.tables import Finding, Organisation
    from surveys.tables import Survey

    consultation = f"/staff/consultations/{survey.consultation_id}"
    sent = post_form(client, consultation, f"{consultation}/surveys", {"title": DIRTY})
    assert sent.status_code == 303, sent.text
    titles = _stored(run, Survey, Survey.title, Survey.consultation == survey.consultation_id)
    assert CLEAN in titles
    assert "Night bus in Bréttir" in page_text(client.get(consultation).text)

    sent = post_form(
        client,
        "/staff/organisations/new",
        "/staff/organisations/",
        {"name": DIRTY.replace("\r\n", " "), "kind": "youth", "city": "Reykjavik"},
    )
    assert sent.status_code == 303, sent.text
    names = _stored(run, Organisation, Organisation.name, Organisation.city == "Reykjavik")
    assert "Night bus in Bréttir end" in names
    assert "Night bus in Bréttir end" in page_text(client.get(sent.headers["location"]).text)

    findings = f"{consultation}/findings"
    sent = post_form(
        client,
        f"{findings}/new",
        f"{findings}/new",
        {
            "title": DIRTY.replace("\r\n", " "),
            "statement": DIRTY,
            "priority": "high",
            "status": "proposed",
        },
    )
    assert sent.status_code == 303, sent.text
    assert "Night bus in Bréttir end" in page_text(client.get(sent.headers["location"]).text)
    statements = _stored(
        run, Finding, Finding.statement, Finding.consultation == survey.consultation_id
    )
    assert statements == [CLEAN]


def test_minutes_written_in_superscript_are_refused_in_words(client, admin):
    sent = post_form(
        client,
        "/staff/consultations/new",
        "/staff/consultations",
        {
            "slug": "superscript",
            "title": "Superscript",
            "purpose": "Why.",
            "city": "Reykjavik",
            "run_by": "City",
            "data_use": "Planners.",
            "minutes": "²",
        },
    )
    assert sent.status_code == 422
    text = page_text(sent.text)
    assert "Enter a number of minutes from 1 to 120." in text
    assert "Superscript" in sent.text  # what was typed is kept


# The smallest ids no table can hold: PostgreSQL's integer ends at 2^31 - 1.
TOO_BIG = (str(2**31), str(2**63), "9" * 30)


def test_ids_no_table_can_hold_name_nothing_in_a_query_too(client, survey, admin):
    survey_id = survey.survey_id
    pages = [
        f"/staff/surveys/{survey_id}/indicators?question={{}}",
        f"/staff/surveys/{survey_id}/text/themes?theme={{}}",
        f"/staff/surveys/{survey_id}/text/codebook?theme={{}}&count={{}}",
        f"/staff/surveys/{survey_id}/text/safeguarding?after={{}}&done={{}}",
        f"/staff/surveys/{survey_id}/results?by=q{{}}",
        f"/staff/consultations/{survey.consultation_id}/findings?done={{}}",
    ]
    for page in pages:
        for value in (*TOO_BIG, "²", "-1"):
            url = page.replace("{}", value)
            response = client.get(url, follow_redirects=False)
            assert response.status_code < 500, url
    for value in TOO_BIG:
        response = client.get(f"/staff/surveys/{value}/results")
        assert response.status_code == 404, value
        assert "Page not found" in response.text


def test_a_nul_in_a_static_path_is_a_404_and_never_reaches_the_log(client, caplog):
    signed_in_as(client, None)
    with caplog.at_level(logging.DEBUG):
        for path in ("/static/%00", "/static/css/a%00b.css", "/static/%01x", "/c/%00/surveys"):
            response = client.get(path)
            assert response.status_code == 404, path
            assert "Page not found" in response.text
    assert not any("\x00" in record.getMessage() for record in caplog.records)
    assert not any(record.levelno >= logging.ERROR for record in caplog.records)


def test_a_question_with_more_answers_than_the_limit_is_refused_before_it_is_stored(
    client, run, make_survey, admin
):
    from surveys.tables import Option

    fresh = make_survey("hostile-options")  # no answers yet: its questions may change
    consultation = f"/staff/consultations/{fresh.consultation_id}"
    action = f"{consultation}/surveys/{fresh.survey_id}/questions"
    before = run(Option.count().run)
    for count, message in (
        (101, "Enter at most 100 answers, one on each line."),
        (100_000, "What you sent is too long"),
    ):
        options = "\n".join(f"Answer {number}" for number in range(count))
        sent = post_form(
            client,
            consultation,
            action,
            {"type": "single_choice", "text": "Where do you live?", "options": options},
        )
        assert sent.status_code == 422, count
        assert message in page_text(sent.text), count
    assert run(Option.count().run) == before


def test_a_field_or_a_body_past_the_limits_is_refused_with_a_page(client, survey):
    signed_in_as(client, None)
    token = csrf_token(client.get(survey.url).text)
    long_field = client.post(
        f"{survey.url}/start",
        data={"_csrf_token": token, "note": "x" * 100_001},
        follow_redirects=False,
    )
    assert long_field.status_code == 422
    assert "What you sent is too long" in page_text(long_field.text)
    assert "100,000 characters" in page_text(long_field.text)
    huge = client.post(
        f"{survey.url}/start",
        data={"_csrf_token": token, "note": "x" * 4_100_000},
        follow_redirects=False,
    )
    assert huge.status_code == 413
    assert "What you sent is too long" in page_text(huge.text)


class _Forms(HTMLParser):
    """The POST forms of a page and the links it has, as a browser reads them."""

    def __init__(self, prefixes: tuple[str, ...]) -> None:
        super().__init__()
        self.prefixes = prefixes
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith(self.prefixes):
            self.links.append(a["href"].split("#", 1)[0])
        elif tag == "form":
            self.forms.append(
                {
                    "action": a.get("action") or "",
                    "method": (a.get("method") or "get").lower(),
                    "multipart": "multipart" in (a.get("enctype") or ""),
                    "fields": [],
                }
            )
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"] if self.forms else []
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "checkbox" and "checked" not in a:
                return
            if kind == "radio" and "checked" not in a:
                kind = "first-radio"  # chosen when no other of its name is
            if a.get("inputmode") == "numeric":
                kind = "numeric"
            fields.append((a["name"], kind, a.get("value") or ""))
        elif tag == "textarea" and a.get("name"):
            fields.append((a["name"], "textarea", ""))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select:
            fields.append((self._select, "select", a.get("value") or ""))
            self._select = None

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


# Forms the crawl leaves alone: signing out would end it, and a password form
# compares what is typed (passwords are never normalised).
_SKIPPED = re.compile(r"/logout|/login|/account|/password|/exit$")
_DOWNLOAD = re.compile(r"\.(xlsx|csv|json|zip|png|svg|pdf)(\?|$)")
_TYPED = {"text", "search", "email", "url", "tel", "textarea", "number", "date", "numeric"}
# A number with a NUL in it: 12 once the NUL is gone, so the walk goes on.
DIRTY_NUMBER = "1\x002"


def _dirty_form(fields) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for name, kind, value in fields:
        if kind == "first-radio" and name in data:
            continue
        typed = DIRTY_NUMBER if kind == "numeric" else DIRTY
        data.setdefault(name, []).append(typed if kind in _TYPED else value)
    return data


def _crawl(
    client, starts: list[str], prefixes: tuple[str, ...], kind_of=lambda action: action
) -> tuple[set[str], list[str]]:
    """Visit pages from `starts` (following links under `prefixes` and where each
    form leads), sending each kind of POST form (`kind_of` its action) once, with
    DIRTY in every field a person types into. The actions sent, and every 5xx met."""
    seen: set[str] = set()
    sent: set[str] = set()
    kinds: set[str] = set()
    problems: list[str] = []
    waiting = list(starts)
    while waiting and len(seen) < 200:
        url = waiting.pop(0)
        if url in seen or _DOWNLOAD.search(url) or _SKIPPED.search(url):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"GET {url}: {response.status_code}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        parsed = _Forms(prefixes)
        parsed.feed(response.text)
        waiting.extend(link for link in parsed.links if link not in seen)
        for form in parsed.forms:
            action = form["action"] or url.split("?", 1)[0]
            names = " ".join(name for name, _, _ in form["fields"])
            if (
                form["method"] != "post"
                or form["multipart"]
                or _SKIPPED.search(action)
                or "password" in names
                or kind_of(action) in kinds
            ):
                continue
            kinds.add(kind_of(action))
            sent.add(action)
            response = client.post(action, data=_dirty_form(form["fields"]), follow_redirects=False)
            if response.status_code >= 500:
                problems.append(f"POST {action} (from {url}): {response.status_code}")
            if response.status_code == 303:
                # Where the form leads comes next: a survey is walked page by page.
                waiting.insert(0, response.headers["location"])
    return sent, problems


def _control_characters_stored(run) -> list[str]:
    """Every (table.column) of text holding a control character other than tab
    and newline (a NUL cannot be stored on PostgreSQL at all, so \\x01 is looked for)."""
    from piccolo.engine import engine_finder

    engine = engine_finder()

    async def scan() -> list[str]:
        if ENGINE == "postgres":
            columns = await engine._run_in_new_connection(
                "SELECT table_name AS t, column_name AS c FROM information_schema.columns "
                "WHERE table_schema = 'public' AND data_type IN ('text', 'character varying')"
            )
            test = "strpos({c}, chr(1)) > 0"
        else:
            columns = []
            for row in await engine._run_in_new_connection(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            ):
                for column in await engine._run_in_new_connection(
                    f'PRAGMA table_info("{row["name"]}")'
                ):
                    if (
                        column["type"].upper() in ("TEXT", "VARCHAR")
                        or "CHAR" in column["type"].upper()
                    ):
                        columns.append({"t": row["name"], "c": column["name"]})
            test = "instr({c}, char(1)) > 0 OR instr({c}, char(0)) > 0"
        found = []
        for column in columns:
            where = test.format(c=f'"{column["c"]}"')
            rows = await engine._run_in_new_connection(
                f'SELECT COUNT(*) AS n FROM "{column["t"]}" WHERE {where}'  # noqa: S608
            )
            if rows[0]["n"]:
                found.append(f"{column['t']}.{column['c']}")
        return found

    return run(scan)


def test_every_residents_form_stores_text_without_control_characters(client, run, make_survey):
    """The same for what a resident reaches: the survey page by page to the end,
    resuming, joining by code, withdrawing; no 5xx, nothing stored with a control
    character (a NUL in a code was a 500 on PostgreSQL)."""
    walked = make_survey("hostile-walk")
    signed_in_as(client, None)
    # The number page refuses DIRTY, so "Check your answers" is a start of its own.
    starts = [walked.url, f"{walked.url}/check", "/", "/join", "/withdraw"]
    starts.append(f"/c/{walked.slug}/resume")
    sent, problems = _crawl(client, starts, ("/c/", "/j/", "/join", "/withdraw"))
    signed_in_as(client, None)
    assert f"{walked.url}/submit" in sent, sorted(sent)
    assert not problems, "\n".join(problems)
    assert _control_characters_stored(run) == []


def test_every_staff_form_stores_text_without_control_characters(client, run, survey, admin):
    """A crawl of the staff pages an admin reaches, sending every POST form with a
    NUL-laden value in each field a person types into: no 5xx anywhere, and no
    control character anywhere in the database afterwards. Last in this module:
    it sends every form, so statuses change and objects go."""
    # One form of each kind: a question's "Duplicate" sent from every copy's page
    # would make questions without end.
    sent_forms, problems = _crawl(
        client,
        ["/staff", f"/staff/consultations/{survey.consultation_id}"],
        ("/staff",),
        kind_of=lambda action: re.sub(r"\d+", "N", action),
    )
    assert len(sent_forms) > 20, sorted(sent_forms)  # 26 kinds of form when written
    assert not problems, "\n".join(problems)
    assert _control_characters_stored(run) == []


def test_a_survey_past_the_most_questions_is_refused(client, run, make_survey, admin):
    """After the crawl, which would otherwise walk its 200 questions' pages."""
    from surveys import builder
    from surveys.definition import MAX_QUESTIONS, read_definition

    definition = read_definition(
        json.dumps(
            {
                "schema": "consult-survey/1",
                "title": "Long survey",
                "questions": [
                    {"key": f"q{n}", "type": "short_text", "text": f"Question {n}"}
                    for n in range(MAX_QUESTIONS)
                ],
            }
        ).encode()
    )
    long = make_survey("hostile-long")
    survey_id = run(builder.import_definition, long.consultation_id, definition)
    consultation = f"/staff/consultations/{long.consultation_id}"
    sent = post_form(
        client,
        consultation,
        f"{consultation}/surveys/{survey_id}/questions",
        {"type": "short_text", "text": "One too many"},
    )
    assert sent.status_code == 422
    assert f"A survey has at most {MAX_QUESTIONS} questions." in page_text(sent.text)
