"""Text answers waiting for analysis: queued where they are stored, in SQL."""

from __future__ import annotations

from collections.abc import Sequence

from surveys.tables import PendingText

_IDS_PER_STATEMENT = 1000


async def enqueue(response_ids: Sequence[int]) -> None:
    """Queue these just-stored responses' text answers for the text job (call in
    their transaction: an answer is then queued if and only if it is stored)."""
    ids = sorted(set(response_ids))
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        chunk = ids[start : start + _IDS_PER_STATEMENT]
        placeholders = ", ".join(["{}"] * len(chunk))
        await PendingText.raw(
            "INSERT INTO pending_text (answer) SELECT a.id FROM answer a"  # noqa: S608
            f" WHERE a.response IN ({placeholders}) AND a.text IS NOT NULL AND a.text <> ''"
            " ON CONFLICT (answer) DO NOTHING",
            *chunk,
        )
