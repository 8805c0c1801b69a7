"""Indicators: the share of those who answered a key question who chose any of its
counted options ("felt unsafe", "know where to report"), with a 95% Wilson
interval, overall and by segment, every small group hidden.

A share shows its count, so it is protected as a count is: not shown when the
question's answers are fewer than k, when the count or the rest (those who chose
none of the counted options) is 1 to k-1, or when it would split the options the
results page (or a cross-tab, by group) hides, which would let one hidden cell be
worked out by subtraction. By group, the two rows (counted, not counted) by the
segment's columns are one table protected like a cross-tab (crosstabs.protect).
"""

# The SQL here is built from fixed fragments and {} placeholders only; every value
# (a question, option or survey id) is bound.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from analysis.crosstabs import (
    Segment,
    column_key,
    cross_tab,
    protect,
    segment_cell_k,
    segment_sql,
)
from analysis.disclosure import suppress, threshold, total_is_safe
from analysis.intervals import wilson_interval
from analysis.tables import Indicator, IndicatorOption
from consult.database import write_transaction
from surveys import tally
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec
from surveys.tables import Answer

# Questions an indicator can watch: one answer (or several) among options.
INDICATOR_TYPES = frozenset({"single_choice", "multiple_choice", "scale"})
LABEL_MAX = 200
_COUNTED, _REST = "counted", "rest"


@dataclass(frozen=True)
class IndicatorShare:
    """n answered, count who chose a counted option, the share and its 95% interval
    (0..1). None: not shown (too few, or it would reveal a small group); share and
    interval are None too when nobody answered."""

    n: int | None
    count: int | None
    share: float | None
    low: float | None
    high: float | None

    @property
    def shown(self) -> bool:
        return self.share is not None


@dataclass(frozen=True)
class IndicatorGroup:
    column: str  # the crosstabs column key: an option id, a locale, a channel, NO_ANSWER
    share: IndicatorShare


@dataclass(frozen=True)
class IndicatorBreakdown:
    segment: Segment
    groups: tuple[IndicatorGroup, ...]


@dataclass(frozen=True)
class IndicatorResult:
    indicator_id: int
    label: str
    question: QuestionSpec
    counted: tuple[str, ...]  # the counted options' labels, in the question's order
    overall: IndicatorShare
    breakdowns: tuple[IndicatorBreakdown, ...]


@dataclass(frozen=True)
class IndicatorDef:
    """An indicator as stored: which question, which options count."""

    id: int
    label: str
    question_id: int
    option_ids: frozenset[int]
    position: int


HIDDEN = IndicatorShare(None, None, None, None, None)


def _share(n: int, count: int) -> IndicatorShare:
    if n == 0:
        return IndicatorShare(0, 0, None, None, None)
    low, high = wilson_interval(count, n)
    return IndicatorShare(n, count, count / n, low, high)


def _splits(counted: Collection[int], hidden: Collection[int]) -> bool:
    """Whether the counted options hold some, but not all, of the hidden cells: the
    count would then give the hidden ones' sums apart, and one of them alone."""
    inside = [option for option in hidden if option in counted]
    return 0 < len(inside) < len(hidden)


def protected_share(
    n: int, count: int, k: int, hidden_options: Collection[int], counted: Collection[int]
) -> IndicatorShare:
    """A share as it may be shown, from a line of option cells whose hidden ones are
    `hidden_options` (see the module's docstring)."""
    if not total_is_safe(n, k):
        return HIDDEN
    cells = suppress({_COUNTED: count, _REST: n - count}, k)
    if None in cells.values() or _splits(counted, hidden_options):
        return IndicatorShare(n, None, None, None, None)
    return _share(n, count)


async def indicator_defs(survey_id: int) -> tuple[IndicatorDef, ...]:
    """The survey's indicators with their counted options, in position order (two queries)."""
    rows = (
        await Indicator.select(
            Indicator.id, Indicator.label, Indicator.question, Indicator.position
        )
        .where(Indicator.question.survey == survey_id)
        .order_by(Indicator.position)
        .order_by(Indicator.id)
    )
    if not rows:
        return ()
    options = await IndicatorOption.select(IndicatorOption.indicator, IndicatorOption.option).where(
        IndicatorOption.indicator.is_in([row["id"] for row in rows])
    )
    chosen: dict[int, set[int]] = {}
    for row in options:
        chosen.setdefault(row["indicator"], set()).add(row["option"])
    return tuple(
        IndicatorDef(
            id=row["id"],
            label=row["label"],
            question_id=row["question"],
            option_ids=frozenset(chosen.get(row["id"], ())),
            position=row["position"],
        )
        for row in rows
    )


async def _overall_counts(definitions: Sequence[IndicatorDef]) -> dict[int, int]:
    """indicator id -> complete responses that chose any counted option (one GROUP BY;
    a respondent who chose two counted options counts once)."""
    if not definitions:
        return {}
    placeholders = ", ".join(["{}"] * len(definitions))
    rows = await Answer.raw(
        "SELECT io.indicator AS indicator, COUNT(DISTINCT a.response) AS n"
        " FROM indicator_option io JOIN answer a ON a.option = io.option"
        " JOIN response r ON r.id = a.response AND r.status = 'complete'"
        f" WHERE io.indicator IN ({placeholders}) AND a.statement IS NULL"
        " GROUP BY io.indicator",
        *(definition.id for definition in definitions),
    )
    return {row["indicator"]: int(row["n"]) for row in rows}


async def _group_counts(
    question: QuestionSpec, option_ids: Sequence[int], segment: Segment
) -> dict[tuple[str, str], int]:
    """(row, column) -> complete responses, row `counted` (chose a counted option) or
    `rest` (answered, chose none), in one GROUP BY by the segment's column."""
    sql = segment_sql(segment)
    chosen = ", ".join(["{}"] * len(option_ids)) if option_ids else "NULL"
    rows = await Answer.raw(
        f"SELECT {sql.column} AS column_key, COUNT(DISTINCT a.response) AS answered,"
        f" COUNT(DISTINCT CASE WHEN a.option IN ({chosen}) THEN a.response END) AS counted"
        " FROM answer a JOIN response r ON r.id = a.response AND r.status = 'complete'"
        f"{sql.join} WHERE a.question = {{}} AND a.statement IS NULL"
        f" GROUP BY {sql.column}",
        *option_ids,
        *sql.params,
        question.id,
    )
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        column = column_key(row["column_key"])
        counted, answered = int(row["counted"] or 0), int(row["answered"] or 0)
        counts[(_COUNTED, column)] = counts.get((_COUNTED, column), 0) + counted
        counts[(_REST, column)] = counts.get((_REST, column), 0) + answered - counted
    return counts


async def _breakdown(
    question: QuestionSpec, counted: frozenset[int], segment: Segment, k: int
) -> IndicatorBreakdown:
    cell_k = segment_cell_k(question, segment, k)
    option_ids = sorted(option.id for option in question.options if option.id in counted)
    counts = await _group_counts(question, option_ids, segment)
    columns, shown = protect((_COUNTED, _REST), segment, counts, cell_k)
    # The same question by the same segment as a cross-tab: the options it hides in
    # a column must not be split by the counted ones there.
    table = await cross_tab(question, segment, k)
    hidden_in: dict[str, list[int]] = {column: [] for column in table.columns}
    for option, row in zip(question.options, table.rows, strict=True):
        for column, cell in zip(table.columns, row.cells, strict=True):
            if cell is None:
                hidden_in[column].append(option.id)
    groups = []
    for column in columns:
        yes, rest = counts.get((_COUNTED, column), 0), counts.get((_REST, column), 0)
        n = yes + rest
        if not total_is_safe(n, cell_k):
            share = HIDDEN
        elif (
            shown[(_COUNTED, column)] is None
            or shown[(_REST, column)] is None
            or _splits(counted, hidden_in.get(column, ()))
        ):
            share = IndicatorShare(n, None, None, None, None)
        else:
            share = _share(n, yes)
        groups.append(IndicatorGroup(column, share))
    return IndicatorBreakdown(segment, tuple(groups))


async def indicator_results(
    survey: SurveySpec, k: int, segments: Sequence[Segment] = ()
) -> tuple[IndicatorResult, ...]:
    """Each indicator of the survey overall (n from the tally, the count in one query
    for all of them) and by each of `segments` (a segment that is the indicator's own
    question is left out), in indicator position order."""
    definitions = [
        d for d in await indicator_defs(survey.id) if d.question_id in survey.question_by_id
    ]
    if not definitions:
        return ()
    counts = await tally.read(survey.id)
    overall_counts = await _overall_counts(definitions)
    results = []
    for definition in definitions:
        question = survey.question_by_id[definition.question_id]
        question_k = threshold(k, question.special_category)
        counted = frozenset(o.id for o in question.options if o.id in definition.option_ids)
        shown = suppress(
            {o.id: counts.chose(question.id, o.id) for o in question.options}, question_k
        )
        overall = protected_share(
            counts.answered(question.id),
            overall_counts.get(definition.id, 0),
            question_k,
            [option for option, value in shown.items() if value is None],
            counted,
        )
        breakdowns = tuple(
            [
                await _breakdown(question, counted, segment, k)
                for segment in segments
                if segment.question is None or segment.question.id != question.id
            ]
        )
        results.append(
            IndicatorResult(
                indicator_id=definition.id,
                label=definition.label,
                question=question,
                counted=tuple(o.label for o in question.options if o.id in counted),
                overall=overall,
                breakdowns=breakdowns,
            )
        )
    return tuple(results)


# Writing -----------------------------------------------------------------------


class IndicatorError(ValueError):
    """Why an indicator was refused: `field` is the form field at fault."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def indicator_questions(survey: SurveySpec) -> tuple[QuestionSpec, ...]:
    """The survey's questions an indicator can watch."""
    return tuple(q for q in survey.questions if q.type in INDICATOR_TYPES and q.options)


async def create_indicator(
    survey: SurveySpec, question_id: int | None, label: str, option_ids: Collection[int]
) -> int:
    """Add an indicator on one of the survey's choice or scale questions, counting the
    given options (each of that question). Raises IndicatorError (field `question`,
    `label` or `options`); one indicator per question."""
    label = label.strip()
    question = next((q for q in indicator_questions(survey) if q.id == question_id), None)
    if question is None:
        raise IndicatorError("question", "choose a choice or scale question of this survey")
    if not label or len(label) > LABEL_MAX:
        raise IndicatorError("label", "a label of 1 to 200 characters")
    chosen = set(option_ids)
    own = {option.id for option in question.options}
    if not chosen or not chosen <= own or chosen == own:
        raise IndicatorError("options", "some, not all, of the question's options")
    async with write_transaction():
        if await Indicator.exists().where(Indicator.question == question.id):
            raise IndicatorError("question", "this question has an indicator already")
        last = (
            await Indicator.select(Indicator.position)
            .where(Indicator.question.survey == survey.id)
            .order_by(Indicator.position, ascending=False)
            .first()
        )
        rows = await Indicator.insert(
            Indicator(
                question=question.id,
                label=label,
                position=(last["position"] + 1) if last else 0,
            )
        )
        indicator_id = int(rows[0]["id"])
        await IndicatorOption.insert(
            *[IndicatorOption(indicator=indicator_id, option=option) for option in sorted(chosen)]
        )
    return indicator_id


async def survey_of_indicator(indicator_id: int) -> int | None:
    """The survey an indicator belongs to (for the object check of a route)."""
    row = (
        await Indicator.select(Indicator.question.survey.as_alias("survey"))
        .where(Indicator.id == indicator_id)
        .first()
    )
    return row["survey"] if row else None


async def delete_indicator(indicator_id: int) -> bool:
    """Remove an indicator (its counted options and any evidence citing it go too)."""
    async with write_transaction():
        if not await Indicator.exists().where(Indicator.id == indicator_id):
            return False
        await Indicator.delete().where(Indicator.id == indicator_id)
    return True
