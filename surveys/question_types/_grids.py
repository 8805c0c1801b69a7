"""Questions over several items at once: a matrix of statements, a ranking."""

from __future__ import annotations

from collections.abc import Sequence

from consult.i18n import N_
from consult.text_input import is_ascii_number
from surveys.question_types._base import Form, QuestionType, refuse, values_of
from surveys.question_types._choices import scale_point
from surveys.question_types._model import AnswerValue, QuestionSpec


class Matrix(QuestionType):
    """Several statements rated on one scale: one answer (an option) per statement."""

    key = "matrix"
    label = N_("Matrix (statements on one scale)")
    macro = "matrix"
    has_options = True
    has_statements = True
    allows_dont_know = True
    allows_prefer_not_to_say = True
    min_options = 2

    def field_names(self, question: QuestionSpec) -> tuple[str, ...]:
        return tuple(question.statement_field(statement) for statement in question.statements)

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        options = {str(option.id): option for option in question.options}
        answers: list[AnswerValue] = []
        for statement in question.statements:
            name = question.statement_field(statement)
            values = values_of(form, name)
            if not values:
                if question.required:
                    raise refuse(
                        N_("Choose an answer for ‘%(statement)s’."), name, statement=statement.text
                    )
                continue
            option = options.get(values[0])
            if option is None or len(set(values)) > 1:
                raise refuse(N_("Choose one of the answers listed."), name)
            answers.append(
                AnswerValue(
                    question.id,
                    option_id=option.id,
                    number=scale_point(question, option),
                    statement_id=statement.id,
                )
            )
        return tuple(answers)

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        labels = {option.id: option.label for option in question.options}
        statements = {statement.id: statement.text for statement in question.statements}
        return tuple(
            f"{statements.get(a.statement_id or 0, '')}: {labels.get(a.option_id or 0, '')}"
            for a in answers
        )

    def chosen_options(self, answers: Sequence[AnswerValue]) -> set[int]:
        return set()  # a matrix answers many things at once: no condition rests on it

    def export_columns(self, question: QuestionSpec) -> tuple[str, ...]:
        return tuple(statement.text for statement in question.statements)

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        labels = {option.id: option.label for option in question.options}
        by_statement = {a.statement_id: labels.get(a.option_id or 0, "") for a in answers}
        return tuple(by_statement.get(statement.id, "") for statement in question.statements)


class Ranking(QuestionType):
    """Put items in order by giving each a number: no dragging, so it works by
    keyboard, with a screen reader and without JavaScript. Ranks are closed up
    (1, 3, 4 becomes 1, 2, 3) and stored one row per ranked item."""

    key = "ranking"
    label = N_("Ranking")
    macro = "ranking"
    has_options = True
    takes_choice_limits = True
    min_options = 2

    def field_names(self, question: QuestionSpec) -> tuple[str, ...]:
        return tuple(question.rank_field(option) for option in question.options)

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        count = len(question.options)
        ranked: list[tuple[int, int]] = []  # (rank given, option id)
        for option in question.options:
            name = question.rank_field(option)
            values = values_of(form, name)
            if not values:
                continue
            value = values[0]
            if (
                not is_ascii_number(value)
                # int() refuses thousands of digits (a 500); no rank needs more than count's.
                or len(value.lstrip("0")) > len(str(count))
                or not 1 <= int(value) <= count
            ):
                raise refuse(N_("Use a number from 1 to %(count)s."), name, count=count)
            ranked.append((int(value), option.id))
        ranks = [rank for rank, _ in ranked]
        if len(set(ranks)) != len(ranks):
            raise refuse(N_("Give each item a different number."))
        if not ranked and not question.required:
            return ()
        least = question.min_choices or 1
        if len(ranked) < least:
            if least == 1:
                raise refuse(N_("Rank at least one item."))
            raise refuse(N_("Rank at least %(min)s items."), min=least)
        if question.max_choices and len(ranked) > question.max_choices:
            raise refuse(N_("Rank no more than %(max)s items."), max=question.max_choices)
        return tuple(
            AnswerValue(question.id, option_id=option_id, rank=place)
            for place, (_, option_id) in enumerate(sorted(ranked), start=1)
        )

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        labels = {option.id: option.label for option in question.options}
        ordered = sorted(answers, key=lambda a: a.rank or 0)
        return tuple(f"{a.rank}. {labels.get(a.option_id or 0, '')}" for a in ordered)

    def chosen_options(self, answers: Sequence[AnswerValue]) -> set[int]:
        return set()  # an order, not a choice: no condition rests on it

    def export_columns(self, question: QuestionSpec) -> tuple[str, ...]:
        return tuple(option.label for option in question.options)

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        ranks = {a.option_id: a.rank for a in answers}
        return tuple(ranks.get(option.id, "") for option in question.options)
