"""Questions answered by choosing from a list: single choice, multiple choice, scale."""

from __future__ import annotations

from collections.abc import Sequence

from consult.i18n import N_
from surveys.question_types._base import Form, QuestionType, refuse, values_of
from surveys.question_types._model import AnswerValue, OptionSpec, QuestionSpec, clean_text

OTHER_TEXT_MAX = 200
# Up to this many options show as radio buttons; a longer list (a district, a
# country) becomes a select, which is quicker to scan on a phone.
RADIOS_UP_TO = 15


def option_by_id(question: QuestionSpec, value: str) -> OptionSpec:
    """The option a form value names; anything else is refused."""
    for option in question.options:
        if value == str(option.id):
            return option
    raise refuse(N_("Choose one of the answers listed."))


def other_text(question: QuestionSpec, form: Form, option: OptionSpec) -> str:
    """The text typed beside "Other (please specify)", required once it is chosen."""
    text = clean_text("\n".join(values_of(form, question.other_field)))
    if not text:
        raise refuse(
            N_("Enter your answer for ‘%(label)s’."), question.other_field, label=option.label
        )
    if len(text) > OTHER_TEXT_MAX:
        raise refuse(
            N_("Your answer must be %(max)s characters or fewer."),
            question.other_field,
            max=OTHER_TEXT_MAX,
        )
    return text


def scale_point(question: QuestionSpec, option: OptionSpec) -> int | None:
    """A scale option's value, 1 for the first point: "Don't know" and the like have none."""
    if option.is_special:
        return None
    points = [o.id for o in question.options if not o.is_special]
    return points.index(option.id) + 1


class _ChoiceType(QuestionType):
    has_options = True
    allows_prefer_not_to_say = True
    min_options = 2

    def field_names(self, question: QuestionSpec) -> tuple[str, ...]:
        if question.other_option is not None:
            return (question.field_name, question.other_field)
        return (question.field_name,)

    def _answer(self, question: QuestionSpec, form: Form, option: OptionSpec) -> AnswerValue:
        text = other_text(question, form, option) if option.is_other else None
        return AnswerValue(question.id, option_id=option.id, text=text)

    def describe(self, question: QuestionSpec, answers: Sequence[AnswerValue]) -> tuple[str, ...]:
        labels = {option.id: option.label for option in question.options}
        return tuple(
            f"{labels.get(a.option_id or 0, '')}: {a.text}"
            if a.text
            else labels.get(a.option_id or 0, "")
            for a in answers
        )

    def export_columns(self, question: QuestionSpec) -> tuple[str, ...]:
        other = question.other_option
        return ("",) if other is None else ("", other.label)

    def _other_cell(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        if question.other_option is None:
            return ()
        return (next((a.text for a in answers if a.text), ""),)


class SingleChoice(_ChoiceType):
    key = "single_choice"
    label = N_("Single choice")
    macro = "single_choice"
    allows_other = True

    def uses_select(self, question: QuestionSpec) -> bool:
        return len(question.options) > RADIOS_UP_TO

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        values = values_of(form, question.field_name)
        if not values:
            if question.required:
                raise refuse(N_("Select an answer."))
            return ()
        if len(set(values)) > 1:
            raise refuse(N_("Select only one answer."))
        return (self._answer(question, form, option_by_id(question, values[0])),)

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        labels = {option.id: option.label for option in question.options}
        chosen = labels.get(answers[0].option_id or 0, "") if answers else ""
        return (chosen, *self._other_cell(question, answers))


class Scale(SingleChoice):
    """Labelled points (a Likert scale), optionally with "Don't know"; the number
    stored is the point's place on the scale, 1 for the first."""

    key = "scale"
    label = N_("Scale")
    macro = "scale"
    allows_other = False
    allows_dont_know = True

    def uses_select(self, question: QuestionSpec) -> bool:
        return False

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        options = {option.id: option for option in question.options}
        return tuple(
            AnswerValue(
                question.id,
                option_id=answer.option_id,
                number=scale_point(question, options[answer.option_id or 0]),
            )
            for answer in super().parse(question, form)
        )


class MultipleChoice(_ChoiceType):
    key = "multiple_choice"
    label = N_("Multiple choice")
    macro = "multiple_choice"
    allows_other = True
    takes_choice_limits = True

    def parse(self, question: QuestionSpec, form: Form) -> tuple[AnswerValue, ...]:
        values = list(dict.fromkeys(values_of(form, question.field_name)))
        if not values:
            # An optional question may be skipped, whatever its least number of
            # choices (as a ranking may): the least applies once someone answers.
            if question.required:
                if question.min_choices and question.min_choices > 1:
                    raise refuse(N_("Select at least %(min)s answers."), min=question.min_choices)
                raise refuse(N_("Select at least one answer."))
            return ()
        chosen = [option_by_id(question, value) for value in values]
        if len(chosen) > 1 and any(option.is_prefer_not_to_say for option in chosen):
            raise refuse(N_("Select ‘Prefer not to say’ on its own, or other answers."))
        if not chosen[0].is_prefer_not_to_say:
            if question.min_choices and len(chosen) < question.min_choices:
                raise refuse(N_("Select at least %(min)s answers."), min=question.min_choices)
            if question.max_choices and len(chosen) > question.max_choices:
                raise refuse(N_("Select no more than %(max)s answers."), max=question.max_choices)
        return tuple(self._answer(question, form, option) for option in chosen)

    def export_columns(self, question: QuestionSpec) -> tuple[str, ...]:
        # One column per option (1 chosen, 0 not), the form analysts expect.
        other = question.other_option
        columns = tuple(option.label for option in question.options)
        return columns if other is None else (*columns, f"{other.label} …")

    def export_cells(
        self, question: QuestionSpec, answers: Sequence[AnswerValue]
    ) -> tuple[object, ...]:
        chosen = {answer.option_id for answer in answers}
        marks = tuple(
            (1 if option.id in chosen else 0) if answers else "" for option in question.options
        )
        return (*marks, *self._other_cell(question, answers))
