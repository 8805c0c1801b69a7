"""The audit log at /staff/audit: admins alone read who did what (sign-ins, roles
given, exports, originals read, purges), newest first, a page at a time, filtered
by action; reading it writes nothing."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import consult_cli, page_text, signed_in_as

ADMIN = "audit-admin"
PLANNER = "audit-planner"
EXPORTS = 60


@pytest.fixture(scope="module")
def staff(make_staff, run):
    from consult.services import audit

    make_staff(ADMIN, "admin")
    make_staff(PLANNER, "planner")
    for number in range(EXPORTS):
        run(audit.record, None, "export_csv", "survey", number + 1, f"export {number}")
    run(audit.record, None, "export_csv", "survey", 999, "<script>alert('audit')</script>")
    assert consult_cli("purge").returncode == 0


def _rows(html: str) -> list[str]:
    """The table's rows of events, as read (the heading row left out)."""
    body = html.split("<tbody>", 1)[1]
    return [page_text(row) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_only_admins_read_the_audit_log(client, staff):
    signed_in_as(client, None)
    away = client.get("/staff/audit", follow_redirects=False)
    assert away.status_code == 303
    assert "/staff/login" in away.headers["location"]
    signed_in_as(client, PLANNER)
    assert 'href="/staff/audit"' not in client.get("/staff").text
    assert client.get("/staff/audit").status_code == 403
    signed_in_as(client, ADMIN)
    assert 'href="/staff/audit"' in client.get("/staff").text, "the admin's dashboard links it"
    assert client.get("/staff/audit").status_code == 200


def test_the_log_names_roles_given_purges_and_exports(client, staff):
    signed_in_as(client, ADMIN)
    page = client.get("/staff/audit")
    text = page_text(page.text)
    assert "Purge by retention date" in text
    assert f"{ADMIN} Signed in" in text, "a sign-in, by whom"
    assert "No responses were past their retention date" in text
    assert "<script>alert('audit')" not in page.text, "details are escaped"
    roles = page_text(client.get("/staff/audit?action=set_role").text)
    assert f"{PLANNER}: planner" in roles
    assert f"{ADMIN}: admin" in roles
    assert "export 3" not in roles, "the filter shows one action only"


def test_the_log_pages_newest_first(client, staff):
    signed_in_as(client, ADMIN)
    first = client.get("/staff/audit?action=export_csv").text
    rows = _rows(first)
    assert len(rows) == 50
    assert "<script>" in rows[0], "the newest first"
    assert "export 59" in rows[1]
    older = re.search(r'href="(/staff/audit\?action=export_csv&amp;before=\d+)"', first)
    assert older, "a link to the older events"
    second = client.get(older.group(1).replace("&amp;", "&")).text
    rest = _rows(second)
    assert len(rest) == EXPORTS + 1 - 50
    assert "export 0" in rest[-1]
    assert "Older events" not in page_text(second), "the last page"
    assert "Newest events" in page_text(second)


def test_reading_the_log_writes_nothing_and_odd_paging_is_ignored(client, run, staff):
    from consult.tables import AuditEvent

    signed_in_as(client, ADMIN)
    before = run(AuditEvent.count().run)
    for query in ("", "?action=nothing-like-it", "?before=²", "?before=99999999999999999999"):
        assert client.get(f"/staff/audit{query}").status_code == 200, query
    assert run(AuditEvent.count().run) == before
