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
