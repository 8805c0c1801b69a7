"""Arabic mirrors the layout: measured by the boxes, and seen in screenshots.

On a question page at 320 px and at a desktop's width, the progress line, the Back
link and Continue start at the content's right-hand edge in Arabic and at its left
in English; the quick exit button sits at the inline end (GOV.UK's place: the
right in English, the left in Arabic: consult/static/consult.css); and the Arabic
page's ink falls where the mirrored English page's does, column band by column
band. The Back arrow points back: left in English, right in Arabic. Screenshots
are kept in the test's tmp_path, to look at when a test fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import PHONE, NewContext
from tests.browser.journey import begin
from tests.browser.pixels import column_profile, ink, mirrored, points_left, similarity
from tests.browser.staff import DESKTOP
from tests.browser.words import ENGLISH, Words, words_in

pytestmark = pytest.mark.browser

NARROW = {"width": 320, "height": PHONE["height"]}
ARABIC = words_in("ar")
BANDS = 32
# Boxes are placed to fractions of a pixel; a pixel and a half is "at the edge".
EDGE = 1.5

# The content box of an element (inside its padding), and the box of an element's
# text alone (a block's box spans the whole width whichever side its text is on).
_CONTENT = """(el) => {
  const box = el.getBoundingClientRect();
  const style = getComputedStyle(el);
  return { left: box.left + parseFloat(style.paddingLeft),
           right: box.right - parseFloat(style.paddingRight) };
}"""
_TEXT = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const box = range.getBoundingClientRect();
  return { left: box.left, right: box.right, top: box.top, bottom: box.bottom };
}"""


def _edges(page: Page, locator: Any) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not shown"
    return {
        "left": box["x"],
        "right": box["x"] + box["width"],
        "top": box["y"],
        "bottom": box["y"] + box["height"],
    }


def _places(page: Page, words: Words) -> dict[str, dict[str, float]]:
    main = page.locator("main")
    return {
        "content": main.evaluate(_CONTENT),
        "exit bar": page.locator(".exit-this-page .width").evaluate(_CONTENT),
        "progress": main.locator("#progress").evaluate(_TEXT),
        "back": _edges(page, main.get_by_role("link", name=words.say("Back"), exact=True)),
        "continue": _edges(page, main.get_by_role("button", name=words.continue_, exact=True)),
        "exit": _edges(
            page,
            page.locator(".exit-this-page").get_by_role(
                "link", name=words.say("Exit this page"), exact=False
            ),
        ),
    }


def _first_question(context: BrowserContext) -> tuple[Page, str]:
    """A page on the first question (agreed to in English); its address."""
    page = context.new_page()
    begin(page)
    return page, page.url.split("?", 1)[0]


def _show(page: Page, url: str, words: Words) -> None:
    page.goto(f"{url}?lang={words.locale}")
    expect(page.locator("html")).to_have_attribute("dir", words.direction)
    expect(page.locator("#progress")).to_have_text(words.progress(0))


def _main_shot(page: Page, path: Path) -> bytes:
    """The part of the main content in view (the header and exit bar are mirrored
    too, but their dark and grey backgrounds would read as ink)."""
    box = page.locator("main").bounding_box()
    viewport = page.viewport_size
    assert box is not None
    assert viewport is not None
    height = min(box["height"], viewport["height"] - box["y"])
    clip = {"x": 0, "y": box["y"], "width": viewport["width"], "height": height}
    return page.screenshot(path=path, clip=clip)


@pytest.mark.parametrize("viewport", [NARROW, DESKTOP], ids=["320px", "desktop"])
def test_arabic_mirrors_the_question_page(
    new_context: NewContext, viewport: dict[str, int], tmp_path: Path
):
    phone = viewport is NARROW
    context = new_context(viewport=viewport, is_mobile=phone, has_touch=phone)
    page, url = _first_question(context)
    profiles: dict[str, list[int]] = {}
    for words in (ENGLISH, ARABIC):
        _show(page, url, words)
        places = _places(page, words)
        start, end = ("left", "right") if words.direction == "ltr" else ("right", "left")
        for name in ("progress", "back", "continue"):
            assert abs(places[name][start] - places["content"][start]) <= EDGE, (
                f"in {words.locale} {name} is not at the content's {start}: {places}"
            )
        assert abs(places["exit"][end] - places["exit bar"][end]) <= EDGE, (
            f"in {words.locale} the exit button is not at the bar's {end}: {places}"
        )
        shot = _main_shot(page, tmp_path / f"question-{words.locale}-{viewport['width']}.png")
        profiles[words.locale] = column_profile(context, shot, BANDS)

    english, arabic = profiles[ENGLISH.locale], profiles[ARABIC.locale]
    as_mirrored = similarity(arabic, mirrored(english))
    as_is = similarity(arabic, english)
    assert as_mirrored > as_is, (
        f"Arabic looks more like English than like English mirrored: {as_mirrored:.2f} "
        f"<= {as_is:.2f} (screenshots in {tmp_path})"
    )
    assert as_mirrored > 0.5, f"Arabic is not English mirrored: {as_mirrored:.2f} ({tmp_path})"


def test_the_back_arrow_points_back(new_context: NewContext, tmp_path: Path):
    # Drawn three times as fine, so the arrow's few pixels show which way it points.
    context = new_context(viewport=NARROW, device_scale_factor=3)
    page, url = _first_question(context)
    for words in (ENGLISH, ARABIC):
        _show(page, url, words)
        link = page.locator("main").get_by_role("link", name=words.say("Back"), exact=True)
        box = _edges(page, link)
        text = link.evaluate(_TEXT)
        # The arrow is the link's box beside its text, at the inline start.
        if words.direction == "ltr":
            left, right = box["left"], text["left"]
        else:
            left, right = text["right"], box["right"]
        clip = {
            "x": left,
            "y": box["top"],
            "width": right - left,
            "height": box["bottom"] - box["top"],
        }
        assert clip["width"] > 4, f"no arrow beside Back in {words.locale}: {box}, {text}"
        shot = page.screenshot(path=tmp_path / f"back-{words.locale}.png", clip=clip)
        assert points_left(ink(context, shot)) == (words.direction == "ltr"), (
            f"the Back arrow points forward in {words.locale} (tmp_path: {tmp_path})"
        )
