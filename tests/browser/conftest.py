"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

The server is a real `consult serve` process on this module's fresh database
(SQLite or PostgreSQL, as for the rest of the suite) with the demo loaded, so the
browser sees exactly what `make run` serves. `consult demo` runs once per run (it
took 10-20 s, for each of some thirty modules) and each module gets a copy of what
it wrote: on SQLite the file, on PostgreSQL the rows (pg_dump and psql; without
them, each module loads the demo afresh).

What takes seconds is done once for all the browser modules in a row: the servers
are forked from one warm parent that has imported the app (tests/durability/zygote.py;
starting `consult serve` afresh took 4-6 s a module), and one Chromium serves them
all, closed as soon as the next test is not a browser test (see `browser`).
"""

from __future__ import annotations

import functools
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from tests.browser.live_server import consult_command
from tests.conftest import ENGINE, POSTGRES_URL, WORK, fresh_sqlite_copy
from tests.durability.server import Zygote

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
BROWSER_TESTS = Path(__file__).resolve().parent
# A small phone: the width the issue names; 320 px is checked separately.
PHONE = {"width": 360, "height": 740}


@dataclass(frozen=True)
class DemoSite:
    """The live demo: where it is served and the database behind it."""

    base_url: str
    database_url: str


def _database_url() -> str:
    from piccolo.engine import engine_finder

    if ENGINE == "postgres":
        return POSTGRES_URL
    return f"sqlite:///{engine_finder().path}"


class _Chromium:
    """One headless Chromium for the browser modules that run one after another."""

    def __init__(self) -> None:
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def get(self) -> Browser:
        if self._browser is None or not self._browser.is_connected():
            self.close()
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-default-apps",
                    "--disable-sync",
                    "--no-first-run",
                ],
            )
        return self._browser

    def close(self) -> None:
        if self._browser is not None and self._browser.is_connected():
            self._browser.close()
        if self._playwright is not None:
            self._playwright.stop()
        self._playwright = self._browser = None


_CHROMIUM = _Chromium()


@pytest.fixture(scope="module")
def browser() -> Browser:
    """Headless Debian Chromium, with nothing that would call out to the internet.

    Each test gets fresh contexts (cookies, storage, cache of their own), so one
    browser process serves every module. Playwright's sync API runs an event loop
    on the main thread while it lives, and the other suites' asyncio.run() must not
    find one running: pytest_runtest_teardown closes it before a test that is not
    a browser test.
    """
    return _CHROMIUM.get()


def _is_browser_test(item: pytest.Item | None) -> bool:
    return item is not None and item.path.is_relative_to(BROWSER_TESTS)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield  # the test's fixtures (its contexts, the module's server) first
    if not _is_browser_test(nextitem):
        _CHROMIUM.close()


@pytest.fixture(scope="session")
def server_parent() -> Iterator[Zygote]:
    """The warm parent the browser modules' servers are forked from; their logs go
    to this process's output, which pytest shows for a failed test."""
    parent = Zygote(
        _database_url(), environment={**os.environ, "CONSULT_WORKERS": "1"}, stderr=None
    )
    yield parent
    parent.close()


@contextmanager
def serving(parent: Zygote, database_url: str, **env: str) -> Iterator[str]:
    """`consult serve` on `database_url` (with `env` over this run's environment),
    forked from `parent`; yields its base URL and stops it afterwards."""
    server = parent.server(DATABASE_URL=database_url, **env)
    try:
        server.start()
        yield server.base_url
    finally:
        server.stop()


@functools.cache
def _sqlite_demo() -> Path:
    """A SQLite database with the demo loaded by `consult demo`, once per run."""
    path = fresh_sqlite_copy("demo-template")
    consult_command("demo", database_url=f"sqlite:///{path}")
    return path


@functools.cache
def _postgres_demo_rows() -> Path | None:
    """The demo's rows as `consult demo` wrote them into the run's (just emptied)
    database, dumped once per run; None without pg_dump and psql."""
    if not (shutil.which("pg_dump") and shutil.which("psql")):
        return None
    consult_command("demo", database_url=POSTGRES_URL)
    dump = WORK / "demo-rows.sql"
    subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "--disable-triggers",
            "--exclude-table-data=migration",
            f"--file={dump}",
            POSTGRES_URL,
        ],
        check=True,
        capture_output=True,
    )
    return dump


def _load_demo(url: str) -> None:
    if ENGINE == "postgres":
        loaded = _postgres_demo_rows.cache_info().currsize > 0
        dump = _postgres_demo_rows()
        if dump is None:
            consult_command("demo", database_url=url)
        elif loaded:  # the first module's database holds them already
            subprocess.run(
                ["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", str(dump), url],
                check=True,
                capture_output=True,
            )
        return
    # SQLite's backup API copies a consistent image, WAL included.
    source = sqlite3.connect(_sqlite_demo())
    copy = sqlite3.connect(url.split(":///", 1)[1])
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


@pytest.fixture(scope="module")
def demo_site(database: None, server_parent: Zygote) -> Iterator[DemoSite]:
    """`consult demo` then `consult serve` on this module's fresh database."""
    url = _database_url()
    _load_demo(url)
    with serving(server_parent, url) as base_url:
        yield DemoSite(base_url, url)


def _context(
    browser: Browser, site: DemoSite, *, javascript: bool, **options: Any
) -> BrowserContext:
    settings: dict[str, Any] = {
        "base_url": site.base_url,
        "viewport": PHONE,
        "is_mobile": True,
        "has_touch": True,
        "java_script_enabled": javascript,
        "locale": "en-GB",
        **options,
    }
    context = browser.new_context(**settings)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def phone(browser: Browser, demo_site: DemoSite) -> Iterator[Page]:
    """A fresh 360 px phone with JavaScript on (htmx enhancing the forms)."""
    context = _context(browser, demo_site, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def phone_without_javascript(browser: Browser, demo_site: DemoSite) -> Iterator[Page]:
    """The same phone with JavaScript off: plain HTML forms and redirects."""
    context = _context(browser, demo_site, javascript=False)
    yield context.new_page()
    context.close()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, demo_site: DemoSite) -> Iterator[NewContext]:
    """Make browser contexts of other kinds, all closed after the test.

    `new_context(javascript=True, **options)` takes Playwright's new_context
    options over the phone's defaults: another `viewport`, `reduced_motion`,
    `is_mobile=False` for a desktop keyboard, and so on.
    """
    made: list[BrowserContext] = []

    def make(*, javascript: bool = True, **options: Any) -> BrowserContext:
        context = _context(browser, demo_site, javascript=javascript, **options)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
