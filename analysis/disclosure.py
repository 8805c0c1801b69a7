"""Small-cell suppression: no count below k is ever shown.

Pure code. When a single cell of a group is suppressed, the next smallest is
suppressed too (complementary suppression), so that the shown total minus the shown
cells cannot reveal the hidden one.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

DEFAULT_K = 5
SPECIAL_CATEGORY_K = 10


def threshold(k: int, special_category: bool) -> int:
    """The k that applies to a question: higher for special-category data."""
    return max(k, SPECIAL_CATEGORY_K) if special_category else k


def suppress(counts: Mapping[K, int], k: int) -> dict[K, int | None]:
    """The counts with every small cell (1 to k-1) replaced by None.

    Zero is shown: "nobody chose this" singles nobody out.
    """
    shown: dict[K, int | None] = {
        key: (None if 0 < count < k else count) for key, count in counts.items()
    }
    hidden = [key for key, value in shown.items() if value is None]
    if len(hidden) == 1:
        candidates = sorted(
            (count, str(key), key) for key, count in counts.items() if shown[key] not in (None, 0)
        )
        if candidates:
            shown[candidates[0][2]] = None
    return shown


def total_is_safe(total: int, k: int) -> bool:
    """Whether a group's total may be shown at all."""
    return total == 0 or total >= k


R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)


def suppress_table(cells: Mapping[tuple[R, C], int], k: int) -> dict[tuple[R, C], int | None]:
    """A cross-tab's cells with small ones hidden, and as many more as it takes
    that no hidden cell can be worked out from the shown cells and the row and
    column totals.

    Totals are taken as known (the one-way table of the same question shows the
    row totals). An attacker solves any row or column with one unknown cell, then
    any line that leaves with one unknown, and so on; so the table is solved the
    same way here, and wherever a solve would succeed, one more cell of that line
    is hidden (the smallest), until no hidden cell falls out. A filtered view of
    one segment is a column of this table, so subtracting it from the unfiltered
    view reveals nothing either (the differencing attack).
    """
    shown: dict[tuple[R, C], int | None] = {
        key: (None if 0 < count < k else count) for key, count in cells.items()
    }
    lines: list[list[tuple[R, C]]] = []
    for axis in (0, 1):
        grouped: dict[object, list[tuple[R, C]]] = {}
        for key in cells:
            grouped.setdefault(key[axis], []).append(key)
        lines.extend(grouped.values())
    while (line := _solvable_line(lines, shown)) is not None:
        candidates = sorted(
            (cells[key] == 0, cells[key], repr(key), key) for key in line if shown[key] is not None
        )
        if not candidates:
            break  # a line of one cell: only hiding its total protects it
        shown[candidates[0][3]] = None
    return shown


def _solvable_line(
    lines: list[list[tuple[R, C]]], shown: Mapping[tuple[R, C], int | None]
) -> list[tuple[R, C]] | None:
    """The first line in which an attacker, solving line by line from the shown
    cells, would find a hidden cell; None when every hidden cell stays unknown."""
    unknown = {key for key, value in shown.items() if value is None}
    progress = True
    while progress:
        progress = False
        for line in lines:
            missing = [key for key in line if key in unknown]
            if len(missing) == 1:
                if any(shown[key] is None for key in line) and all(
                    shown[key] is not None for key in line if key != missing[0]
                ):
                    return line  # solved straight from shown cells: protect here
                unknown.discard(missing[0])
                progress = True
    return None
