"""Run axe-core (from node_modules, pinned in package-lock.json) in the current page."""

from __future__ import annotations

from functools import cache
from typing import Any

from playwright.sync_api import Page

from tests.conftest import ROOT

# The WCAG 2.2 AA rule sets the issue asks for.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, { runOnly: { type: "tag", values: tags } });
  return result.violations.map((violation) => ({
    id: violation.id,
    help: violation.help,
    nodes: violation.nodes.map((node) => node.target.join(" ")),
  }));
}"""


@cache
def _axe_source() -> str:
    path = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        raise RuntimeError("axe-core is missing: run `make browser-deps` (npm ci)")
    return path.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """Every WCAG 2.2 AA violation axe finds in the page as it is now."""
    if page.evaluate("() => matchMedia('(scripting: none)').matches"):
        return _violations_of_copy(page)
    # axe places a position: sticky element where it is now, not where it belongs
    # (axe-core#3720): on a scrolled page the sticky exit bar then "covers" whatever
    # scrolled under it, and target-size fails at random. Scanned from the top, the
    # page is as laid out; focus and everything else stay as they are.
    page.evaluate("() => window.scrollTo({ top: 0, left: 0, behavior: 'instant' })")
    # Evaluated through the DevTools protocol, so the app's CSP (script-src 'self')
    # stays on and still guards everything the app itself loads.
    page.evaluate(_axe_source())
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


def assert_accessible(page: Page, state: str) -> None:
    found = violations(page)
    report = "\n".join(f"- {v['id']}: {v['help']} at {', '.join(v['nodes'])}" for v in found)
    assert not found, f"axe found violations on {state} ({page.url}):\n{report}"


def _violations_of_copy(page: Page) -> list[dict[str, Any]]:
    """Scan a page shown with JavaScript off through a copy that can run axe.

    With scripting off the page's timers never fire, so axe.run's promise would
    never settle. The copy is the same markup at the same address with the same
    styles, in a scripted page whose own scripts are refused, so it looks as the
    JavaScript-off resident sees it.
    """
    html = page.content()
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.route("**/*.js", lambda route: route.abort())
        copy.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
        copy.goto(page.url)
        return violations(copy)
    finally:
        context.close()
