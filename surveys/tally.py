"""The running counts behind every result: kept in SQL, changed with each write.

A submission adds its responses' cells to the tally in the same transaction that
stores them; a response that stops counting (withdrawn, quarantined, purged) is
retracted the same way, before it changes. So reading results is one indexed
query over a few hundred rows however many responses are stored, and the cost of
storing 1,000 more is the work for those 1,000.

Each change is one INSERT ... SELECT ... GROUP BY over the answers of the responses
concerned, upserted into the tally: the database counts, never Python. A writer
adds to its own shard of each cell (consult.group_commit.writer_shard), so that
batches committed at once do not queue for the lock on a survey's busiest rows
(its response count above all); a read sums the shards.
"""

# The SQL here is built from fixed fragments and {} placeholders only; every value
# (a response or survey id) is bound.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from consult import bound_lists
from consult.group_commit import writer_shard
from surveys.tables import Tally

# Response ids per statement: the ids are bound five times, within both engines'
# limit on bound parameters (SQLite 32766, PostgreSQL 32767).
_IDS_PER_STATEMENT = 1000

# (question, option, statement) of each kind of cell, "0" meaning "any"; the
# count is of distinct responses except for matrix cells, which hold one answer
# per response already. See surveys.tables.Tally.
_CELLS = (
    ("0", "0", "0", None),  # the survey's responses: counted from `response`
    ("a.question", "0", "0", "a.question IS NOT NULL"),
    ("a.question", "a.option", "0", "a.option IS NOT NULL AND a.statement IS NULL"),
    ("a.question", "a.option", "a.statement", "a.option IS NOT NULL AND a.statement IS NOT NULL"),
    ("a.question", "0", "a.statement", "a.statement IS NOT NULL"),
)


def delta_sql(responses_clause: str, sign: int, shard: str = "{}") -> str:
    """INSERT ... SELECT adding (sign=1) or retracting (-1) the cells of the complete
    responses that `responses_clause` (a condition on `r`, the response) selects, in
    the shard bound first (before the clause's values, which come once per cell kind;
    `shard` may instead be an integer's SQL text, for a script's bulk load).

    Rows are upserted in key order, so two transactions that touch the same cells
    lock them in the same order and cannot deadlock on PostgreSQL.
    """
    if sign not in (1, -1):
        raise ValueError("sign is 1 or -1")
    parts = []
    for question, option, statement, condition in _CELLS:
        if condition is None:
            parts.append(
                f"SELECT r.survey AS survey, 0 AS question, 0 AS option, 0 AS statement,"
                f" COUNT(*) AS n FROM response r"
                f" WHERE r.status = 'complete' AND ({responses_clause}) GROUP BY r.survey"
            )
            continue
        counted = "COUNT(*)" if statement != "0" and option != "0" else "COUNT(DISTINCT a.response)"
        keys = ", ".join(column for column in (question, option, statement) if column != "0")
        parts.append(
            f"SELECT r.survey, {question}, {option}, {statement}, {counted}"
            f" FROM answer a JOIN response r ON r.id = a.response"
            f" WHERE r.status = 'complete' AND ({responses_clause}) AND {condition}"
            f" GROUP BY r.survey, {keys}"
        )
    union = " UNION ALL ".join(parts)
    # `WHERE 1 = 1` before ON CONFLICT: SQLite's documented way to parse an upsert
    # whose rows come from a SELECT.
    return (
        "INSERT INTO tally (survey, question, option, statement, shard, responses)"
        f" SELECT survey, question, option, statement, CAST({shard} AS INTEGER), {sign} * n"
        f" FROM ({union}) AS delta"
        " WHERE 1 = 1 ORDER BY survey, question, option, statement"
        " ON CONFLICT (survey, question, option, statement, shard)"
        " DO UPDATE SET responses = tally.responses + excluded.responses"
    )


async def _apply(response_ids: Sequence[int], sign: int) -> None:
    ids = sorted(set(response_ids))
    shard = writer_shard()
    for start in range(0, len(ids), _IDS_PER_STATEMENT):
        clause, values = bound_lists.any_of("r.id", ids[start : start + _IDS_PER_STATEMENT])
        await Tally.raw(delta_sql(clause, sign), shard, *(values * len(_CELLS)))


async def add(response_ids: Sequence[int]) -> None:
    """Count these just-stored complete responses (call inside their transaction)."""
    await _apply(response_ids, 1)


async def retract(response_ids: Sequence[int]) -> None:
    """Stop counting these responses: call in the transaction that withdraws,
    quarantines or deletes them, while they are still complete and present."""
    await _apply(response_ids, -1)


async def rebuild(survey_id: int) -> None:
    """Count a survey's responses afresh (after a repair or a bulk load outside the app)."""
    await Tally.delete().where(Tally.survey == survey_id)
    await Tally.raw(delta_sql("r.survey = {}", 1), 0, *([survey_id] * len(_CELLS)))


@dataclass(frozen=True)
class SurveyTally:
    """A survey's cells, read in one query: look-ups return 0 for a cell never counted."""

    cells: dict[tuple[int, int, int], int]

    @property
    def responses(self) -> int:
        return self.cells.get((0, 0, 0), 0)

    def answered(self, question_id: int) -> int:
        return self.cells.get((question_id, 0, 0), 0)

    def chose(self, question_id: int, option_id: int) -> int:
        return self.cells.get((question_id, option_id, 0), 0)

    def rated(self, question_id: int, statement_id: int) -> int:
        return self.cells.get((question_id, 0, statement_id), 0)

    def cell(self, question_id: int, option_id: int, statement_id: int) -> int:
        return self.cells.get((question_id, option_id, statement_id), 0)


_READ_SQL = (
    "SELECT question, option, statement, SUM(responses) AS responses FROM tally"
    " WHERE survey = {} GROUP BY question, option, statement"
)


async def read(survey_id: int) -> SurveyTally:
    """The survey's cells, each the sum of its shards."""
    rows = await Tally.raw(_READ_SQL, survey_id)
    return SurveyTally(
        {(row["question"], row["option"], row["statement"]): int(row["responses"]) for row in rows}
    )
