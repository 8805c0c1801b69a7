"""Reading screenshots: where a page puts its ink, decoded by Chromium itself.

No imaging library is installed: the PNG that Playwright took is drawn into a
canvas on a blank page and read back there, which is also how the browser that
made it decodes it.
"""

from __future__ import annotations

import base64
from statistics import correlation
from typing import Any

from playwright.sync_api import BrowserContext

# Ink is any pixel much darker than the white page (text, borders, radios).
# With `bands`, only the ink per column band comes back (a desktop screenshot is a
# million pixels); without, every pixel.
_DARKNESS = """async ([png, bands]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const drawing = canvas.getContext("2d");
  drawing.drawImage(image, 0, 0);
  const pixels = drawing.getImageData(0, 0, image.width, image.height).data;
  const rows = [];
  const profile = new Array(bands || 0).fill(0);
  for (let y = 0; y < image.height; y++) {
    const row = [];
    for (let x = 0; x < image.width; x++) {
      const at = (y * image.width + x) * 4;
      const dark = 765 - pixels[at] - pixels[at + 1] - pixels[at + 2] > 96 ? 1 : 0;
      if (bands) profile[Math.floor((x * bands) / image.width)] += dark;
      else row.push(dark);
    }
    if (!bands) rows.push(row);
  }
  return bands ? profile : rows;
}"""

Ink = list[list[int]]


def _read(context: BrowserContext, png: bytes, bands: int | None) -> Any:
    page = context.new_page()
    try:
        return page.evaluate(_DARKNESS, [base64.b64encode(png).decode(), bands])
    finally:
        page.close()


def ink(context: BrowserContext, png: bytes) -> Ink:
    """Rows of 1 (ink) and 0 (background) of a (small) screenshot."""
    return _read(context, png, None)


def column_profile(context: BrowserContext, png: bytes, bands: int) -> list[int]:
    """How much ink a screenshot has in each of `bands` equal columns, from the left."""
    return _read(context, png, bands)


def mirrored(profile: list[int]) -> list[int]:
    return profile[::-1]


def similarity(one: list[int], other: list[int]) -> float:
    """Pearson's correlation of two profiles (1: ink in the same places)."""
    return correlation(one, other)


def points_left(rows: Ink) -> bool:
    """Whether the chevron ("‹" or "›") drawn in `rows` points left.

    A chevron's tip is at the middle of its height; its arms reach away from the
    tip at the top and the bottom. "‹" has its tip left of its arms. An underline
    or a border runs across the whole picture and is not the chevron; a sliver of
    the next letter is shorter than it.
    """
    width = len(rows[0])
    marks = [row if sum(row) < width / 2 else [0] * width for row in rows]
    runs: list[tuple[int, int]] = []
    start = None
    for y, row in enumerate([*marks, [0] * width]):
        if any(row) and start is None:
            start = y
        elif not any(row) and start is not None:
            runs.append((start, y))
            start = None
    top, end = max(runs, key=lambda run: run[1] - run[0])
    third = (end - top) // 3

    def mean_x(lines: Ink) -> float:
        xs = [x for row in lines for x, dark in enumerate(row) if dark]
        return sum(xs) / len(xs)

    middle = marks[top + third : end - third]
    outer = marks[top : top + third] + marks[end - third : end]
    return mean_x(middle) < mean_x(outer)
