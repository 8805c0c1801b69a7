"""What the first question page costs a resident on a slow phone connection.

The page is reached as a resident reaches it (landing page, consent, first
question); every request of the journey is recorded. Its weight is measured on a
cold cache, as for someone who has never visited: a second browser with the same
session cookie and an empty cache opens the same question page. Sizes are what
went over the wire (compressed bodies plus headers, from Chromium's own count).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, Request

from tests.browser.conftest import NewContext
from tests.browser.journey import ANSWERS, begin, expect_question
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

KB = 1024
TOTAL_BUDGET = 75 * KB
JAVASCRIPT_BUDGET = 35 * KB
# Static files are addressed by a digest of their content, so they may be kept long.
AT_LEAST_A_MONTH = 30 * 24 * 60 * 60
STATIC_DIR = ROOT / "consult" / "static"
FONT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|$)")


@dataclass(frozen=True)
class Fetched:
    url: str
    resource_type: str
    status: int
    content_type: str
    encoding: str
    cache_control: str
    body_transferred: int  # the body as it went over the wire (compressed)
    transferred: int  # compressed body and headers, as Chromium counted them


def _record(page: Page) -> list[Request]:
    """Every request the page makes from now on, answered or not."""
    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))
    return requests


def _fetched(request: Request) -> Fetched:
    response = request.response()
    assert response is not None, f"no response for {request.url}"
    sizes = request.sizes()
    headers = response.headers
    return Fetched(
        url=request.url,
        resource_type=request.resource_type,
        status=response.status,
        content_type=headers.get("content-type", ""),
        encoding=headers.get("content-encoding", ""),
        cache_control=headers.get("cache-control", ""),
        body_transferred=sizes["responseBodySize"],
        transferred=sizes["responseBodySize"] + sizes["responseHeadersSize"],
    )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _is_javascript(item: Fetched) -> bool:
    return item.resource_type == "script" or "javascript" in item.content_type


def _first_question_cold(new_context: NewContext) -> tuple[list[Fetched], list[Fetched], str]:
    """Every request of the journey to the first question, and of that page anew."""
    journey_context = new_context()
    journey = journey_context.new_page()
    journey_requests = _record(journey)
    begin(journey)
    question_url = journey.url

    cold_context = new_context(storage_state=journey_context.storage_state())
    cold = cold_context.new_page()
    cold_requests = _record(cold)
    cold.goto(question_url, wait_until="networkidle")
    expect_question(cold, ANSWERS[0])
    journey.wait_for_load_state("networkidle")
    asked = [request.url for request in journey_requests + cold_requests]
    for url in asked:
        assert _origin(url) == _origin(question_url), f"a third-party origin was asked: {url}"
        assert not FONT.search(url), f"a web font was asked for: {url}"
    return (
        [_fetched(request) for request in journey_requests],
        [_fetched(request) for request in cold_requests],
        journey_context.pages[0].url,
    )


def test_the_first_question_page_is_light_and_asks_no_one_else(new_context: NewContext):
    journey, page, base = _first_question_cold(new_context)
    origin = _origin(base)
    weights = "\n".join(
        f"- {item.url}: {item.transferred / KB:.1f} KB ({item.encoding or 'identity'})"
        for item in page
    )

    total = sum(item.transferred for item in page)
    javascript = sum(item.transferred for item in page if _is_javascript(item))
    print(
        f"\nfirst question page, cold cache: {total / KB:.1f} KB in all, "
        f"{javascript / KB:.1f} KB JavaScript\n{weights}"
    )
    assert total <= TOTAL_BUDGET, f"{total / KB:.1f} KB in all:\n{weights}"
    assert javascript <= JAVASCRIPT_BUDGET, f"{javascript / KB:.1f} KB of JavaScript:\n{weights}"
    # The page does use its script and style (so the figures are not of a broken page).
    assert any(item.url.split("?")[0].endswith("/htmx.min.js") for item in page), weights
    assert any(item.url.split("?")[0].endswith("/consult.css") for item in page), weights

    for item in journey + page:
        assert _origin(item.url) == origin, f"a third-party origin was asked: {item.url}"
        assert item.resource_type != "font", f"a web font was loaded: {item.url}"
        assert not FONT.search(item.url), f"a web font was loaded: {item.url}"
        assert "font/" not in item.content_type, f"a web font was loaded: {item.url}"
        # Every text file big enough to be worth it comes compressed.
        if item.status == 200 and item.body_transferred > 1000:
            assert item.encoding in {"gzip", "br"}, f"{item.url} came uncompressed"


def test_static_files_have_versioned_addresses_and_are_kept_long(new_context: NewContext):
    journey, page, _ = _first_question_cold(new_context)
    fetch = new_context().request
    static = [item for item in journey + page if urlsplit(item.url).path.startswith("/static/")]
    assert {urlsplit(item.url).path for item in static} >= {
        "/static/consult.css",
        "/static/consult.js",
        "/static/htmx.min.js",
    }
    for item in static:
        parts = urlsplit(item.url)
        # The version is the digest of the file as served: a changed file gets a
        # new address, so a year-long cache never serves a stale copy.
        (version,) = parse_qs(parts.query)["v"]
        name = parts.path.removeprefix("/static/")
        served = fetch.get(item.url).body()
        assert served == (STATIC_DIR / name).read_bytes(), item.url
        assert version == hashlib.sha256(served).hexdigest()[: len(version)], item.url
        assert len(version) >= 8, item.url
        directives = [part.strip() for part in item.cache_control.split(",")]
        max_age = next(int(d.split("=")[1]) for d in directives if d.startswith("max-age="))
        assert max_age >= AT_LEAST_A_MONTH, f"{item.url}: {item.cache_control}"
        assert "no-store" not in directives, item.cache_control
        assert "no-cache" not in directives, item.cache_control
    # Pages themselves are never kept: they carry a resident's answers.
    documents = [item for item in journey + page if item.resource_type == "document"]
    assert documents
    for item in documents:
        assert "no-store" in item.cache_control, f"{item.url}: {item.cache_control}"


STATIC_TRANSFERS = """() => performance.getEntriesByType("resource")
  .filter((entry) => new URL(entry.name).pathname.startsWith("/static/"))
  .map((entry) => [entry.name, entry.transferSize])"""


def test_later_pages_take_their_static_files_from_the_cache(phone: Page):
    phone.goto("/", wait_until="networkidle")
    first = phone.evaluate(STATIC_TRANSFERS)
    assert len(first) == 3, first
    assert all(size > 0 for _, size in first), first
    # Each later page is a full page load (the landing page, consent, and the
    # question after it): its script and style come from the cache, not the network.
    begin(phone)
    phone.wait_for_load_state("networkidle")
    again = phone.evaluate(STATIC_TRANSFERS)
    assert sorted(name for name, _ in again) == sorted(name for name, _ in first)
    assert all(size == 0 for _, size in again), again
