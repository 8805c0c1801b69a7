"""Answers given so far, kept between pages and for "save and continue later".

A draft is one row per respondent and survey, sealed with the respondent's code
(surveys/resume_codes.py). It holds the raw form values of every page continued
from, which pages those were, and the consent version agreed to. Page writes that
arrive together share a transaction (consult/group_commit.py), and each reads the
draft inside it, so two quick pages of one respondent cannot undo each other.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from consult.database import write_transaction
from consult.group_commit import GroupCommit
from surveys.flow import Page, Values, merge_page
from surveys.resume_codes import UnreadableDraft, code_hash, seal, unseal
from surveys.tables import ResumeDraft

# An unsaved draft lives a day after its last page: long enough for a break,
# short enough that a shared phone forgets. A saved one lives 30 days.
UNSAVED_FOR = timedelta(days=1)
SAVED_FOR = timedelta(days=30)
_FORMAT = 1


@dataclass(frozen=True)
class Draft:
    code: str
    survey_id: int
    values: dict[str, tuple[str, ...]]
    seen: frozenset[int]  # page numbers continued from
    consent_version: int | None
    saved: bool

    def expires_at(self, now: datetime) -> datetime:
        return now + (SAVED_FOR if self.saved else UNSAVED_FOR)


def _empty(code: str, survey_id: int) -> Draft:
    return Draft(code, survey_id, {}, frozenset(), None, False)


def _sealed(draft: Draft) -> bytes:
    return seal(
        draft.code,
        {
            "format": _FORMAT,
            "values": {name: list(values) for name, values in draft.values.items()},
            "seen": sorted(draft.seen),
            "consent": draft.consent_version,
        },
    )


def _opened(code: str, survey_id: int, sealed: bytes, saved: bool) -> Draft | None:
    try:
        content = unseal(code, sealed)
    except UnreadableDraft:
        return None
    values = content.get("values") or {}
    return Draft(
        code=code,
        survey_id=survey_id,
        values={str(name): tuple(str(v) for v in vals) for name, vals in values.items()},
        seen=frozenset(int(number) for number in content.get("seen") or ()),
        consent_version=content.get("consent"),
        saved=saved,
    )


def _now() -> datetime:
    return datetime.now(UTC)


# Read on every page a resident opens: one indexed look-up, written out, since
# building it with Piccolo's query builder cost more than running it.
_LOAD_SQL = (
    f"SELECT survey, sealed, saved FROM {ResumeDraft._meta.tablename} "  # noqa: S608
    "WHERE token_hash = {} AND expires_at > {}"
)


async def load(code: str, survey_id: int | None = None) -> Draft | None:
    """The unexpired draft this code opens (of `survey_id`, when given)."""
    rows = await ResumeDraft.raw(_LOAD_SQL, code_hash(code), _now())
    row = rows[0] if rows else None
    if row is None or (survey_id is not None and row["survey"] != survey_id):
        return None
    return _opened(code, row["survey"], bytes(row["sealed"]), bool(row["saved"]))


@dataclass(frozen=True)
class PageWrite:
    """One page's answers going into a draft."""

    code: str
    survey_id: int
    page: Page
    posted: Values
    continued: bool  # the page passed and the respondent went on (else: saved as is)
    consent_version: int | None
    save_for_later: bool = False


async def write_page(write: PageWrite) -> Draft:
    """Merge one page into its draft and store it; the draft as it now is."""
    return await _writes.write(write)


async def _store(writes: list[PageWrite]) -> list[Draft]:
    """Read the batch's drafts, apply its pages in order, write each draft once."""
    hashes = list({code_hash(write.code) for write in writes})
    rows = await ResumeDraft.select(
        ResumeDraft.token_hash, ResumeDraft.survey, ResumeDraft.sealed, ResumeDraft.saved
    ).where(ResumeDraft.token_hash.is_in(hashes))
    stored = {row["token_hash"]: row for row in rows}
    drafts: dict[str, Draft] = {}
    results: list[Draft] = []
    for write in writes:
        draft = drafts.get(write.code)
        if draft is None:
            row = stored.get(code_hash(write.code))
            opened = (
                _opened(write.code, row["survey"], bytes(row["sealed"]), bool(row["saved"]))
                if row is not None and row["survey"] == write.survey_id
                else None
            )
            draft = opened or _empty(write.code, write.survey_id)
        draft = replace(
            draft,
            values=merge_page(draft.values, write.page, write.posted),
            seen=draft.seen | {write.page.number} if write.continued else draft.seen,
            consent_version=write.consent_version or draft.consent_version,
            saved=draft.saved or write.save_for_later,
        )
        drafts[write.code] = draft
        results.append(draft)
    now = _now()
    await ResumeDraft.insert(
        *[
            ResumeDraft(
                survey=draft.survey_id,
                token_hash=code_hash(draft.code),
                sealed=_sealed(draft),
                saved=draft.saved,
                expires_at=draft.expires_at(now),
            )
            for draft in drafts.values()
        ]
    ).on_conflict(
        target=ResumeDraft.token_hash,
        action="DO UPDATE",
        values=[ResumeDraft.sealed, ResumeDraft.saved, ResumeDraft.expires_at],
    )
    return results


_writes: GroupCommit[PageWrite, Draft] = GroupCommit(_store)


async def delete_drafts(codes: list[str]) -> None:
    """Remove drafts (inside the caller's transaction: a response was stored)."""
    if codes:
        await ResumeDraft.delete().where(
            ResumeDraft.token_hash.is_in([code_hash(code) for code in codes])
        )


async def purge_expired(now: datetime | None = None) -> int:
    """Delete every expired draft; how many there were."""
    async with write_transaction():
        deleted = (
            await ResumeDraft.delete()
            .where(ResumeDraft.expires_at <= (now or _now()))
            .returning(ResumeDraft.id)
        )
    return len(deleted)
