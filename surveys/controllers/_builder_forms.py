"""Reading the builder's forms: values kept for re-rendering, errors per field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from litestar.datastructures import FormMultiDict

from consult.i18n import N_
from consult.text_input import is_ascii_number
from consult.web import form_text
from surveys.builder import NewOption, QuestionEdit, QuestionInput, SpecialOptions
from surveys.definition import MAX_OPTIONS
from surveys.question_types import NUMBER_MAX, NUMBER_MIN, REGISTRY, QuestionSpec, QuestionType

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
TEXT_MAX = 1000
LABEL_MAX = 300
UNIT_MAX = 30
# A question's answers (or a matrix's statements) in all, as in a definition file
# (surveys.definition.MAX_OPTIONS): refused here before anything is written, where
# 100,000 lines took 9 s and then failed the database ("too many SQL variables").
TOO_MANY_OPTIONS = N_("Enter at most 100 answers, one on each line.")
TOO_MANY_STATEMENTS = N_("Enter at most 100 statements, one on each line.")
# The labels special answers get when a planner ticks them (survey content, so in
# the survey's language; a planner edits them like any other answer).
OTHER_LABEL = "Other (please specify)"
PREFER_NOT_LABEL = "Prefer not to say"
DONT_KNOW_LABEL = "Don't know"


@dataclass
class QuestionForm:
    """A question form as sent: the values to show again, and what is wrong."""

    values: dict[str, Any]
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _whole_number(form: QuestionForm, name: str, low: int, high: int) -> int | None:
    raw = str(form.values.get(name) or "").strip()
    if not raw:
        return None
    digits = raw[1:] if raw[:1] == "-" else raw
    if not is_ascii_number(digits) or not low <= int(raw) <= high:
        form.errors[name] = N_("Enter a whole number, or leave this empty.")
        return None
    return int(raw)


def _common(form_data: FormMultiDict, kind: QuestionType | None) -> QuestionForm:
    values: dict[str, Any] = {
        name: form_text(form_data, name)
        for name in (
            "text",
            "help",
            "key",
            "options",
            "statements",
            "min_choices",
            "max_choices",
            "min_number",
            "max_number",
            "unit",
        )
    }
    for flag in (
        "required",
        "special_category",
        "starts_page",
        "other",
        "prefer_not_to_say",
        "dont_know",
    ):
        values[flag] = bool(form_data.get(flag))
    form = QuestionForm(values)
    if not values["text"] or len(values["text"]) > TEXT_MAX:
        form.errors["text"] = N_("Enter the question, up to 1,000 characters.")
    if len(values["help"]) > TEXT_MAX:
        form.errors["help"] = N_("Enter a hint of up to 1,000 characters.")
    if values["key"] and not KEY_PATTERN.match(values["key"]):
        form.errors["key"] = N_(
            "Enter a variable name of lower-case letters, digits and underscores, "
            "starting with a letter, like age_band."
        )
    if len(values["unit"]) > UNIT_MAX:
        form.errors["unit"] = N_("Enter a unit of up to 30 characters.")
    if any(
        len(line) > LABEL_MAX for line in _lines(values["options"] + "\n" + values["statements"])
    ):
        form.errors["options"] = N_("Each answer must be 300 characters or fewer.")
    if len(_lines(values["options"])) > MAX_OPTIONS:
        form.errors["options"] = TOO_MANY_OPTIONS
    if len(_lines(values["statements"])) > MAX_OPTIONS:
        form.errors["statements"] = TOO_MANY_STATEMENTS
    if (
        kind is not None
        and kind.has_statements
        and not _lines(values["statements"])
        and "statements" not in form.errors
    ):
        form.errors["statements"] = N_("Enter at least one statement, one on each line.")
    return form


def _limits(form: QuestionForm) -> dict[str, int | None]:
    limits = {
        "min_choices": _whole_number(form, "min_choices", 0, 100),
        "max_choices": _whole_number(form, "max_choices", 1, 100),
        "min_number": _whole_number(form, "min_number", NUMBER_MIN, NUMBER_MAX),
        "max_number": _whole_number(form, "max_number", NUMBER_MIN, NUMBER_MAX),
    }
    for low, high in (("min_choices", "max_choices"), ("min_number", "max_number")):
        if limits[low] is not None and limits[high] is not None and limits[low] > limits[high]:
            form.errors[low] = N_("The least must not be more than the most.")
    return limits


def _specials(form: QuestionForm, kind: QuestionType) -> SpecialOptions:
    values = form.values
    return SpecialOptions(
        other=OTHER_LABEL if values["other"] and kind.allows_other else None,
        prefer_not_to_say=(
            PREFER_NOT_LABEL
            if values["prefer_not_to_say"] and kind.allows_prefer_not_to_say
            else None
        ),
        dont_know=DONT_KNOW_LABEL if values["dont_know"] and kind.allows_dont_know else None,
    )


def new_question(form_data: FormMultiDict) -> tuple[QuestionForm, QuestionInput | None]:
    """The add-question form: a QuestionInput when it is valid."""
    type_key = form_text(form_data, "type")
    kind = REGISTRY.get(type_key)
    form = _common(form_data, kind)
    form.values["type"] = type_key
    if kind is None:
        form.errors["type"] = N_("Choose a question type.")
        return form, None
    labels = _lines(form.values["options"])
    specials = _specials(form, kind)
    counted = len(labels) + sum(1 for label in (specials.dont_know,) if label)
    if kind.has_options and counted < kind.min_options and "options" not in form.errors:
        form.errors["options"] = N_("Enter at least two answers, one on each line.")
    limits = _limits(form)
    if not form.is_valid:
        return form, None
    options = [NewOption(label) for label in labels] if kind.has_options else []
    if specials.dont_know:
        options.append(NewOption(specials.dont_know, is_dont_know=True))
    if specials.other:
        options.append(NewOption(specials.other, is_other=True))
    if specials.prefer_not_to_say:
        options.append(NewOption(specials.prefer_not_to_say, is_prefer_not_to_say=True))
    return form, QuestionInput(
        type=type_key,
        text=form.values["text"],
        help=form.values["help"],
        required=form.values["required"],
        special_category=form.values["special_category"],
        options=tuple(options),
        statements=tuple(_lines(form.values["statements"])) if kind.has_statements else (),
        unit=form.values["unit"] if kind.takes_number_range else "",
        starts_page=form.values["starts_page"],
        key=form.values["key"],
        **_kept_limits(limits, kind),
    )


def _kept_limits(limits: dict[str, int | None], kind: QuestionType) -> dict[str, int | None]:
    """Only the limits this type takes (a hidden field of another type is ignored)."""
    return {
        name: value
        for name, value in limits.items()
        if (kind.takes_choice_limits and name.endswith("_choices"))
        or (kind.takes_number_range and name.endswith("_number"))
    }


def question_values(question: QuestionSpec, key: str) -> dict[str, Any]:
    """A stored question as the edit form shows it."""

    def text(value: int | None) -> str:
        return "" if value is None else str(value)

    return {
        "text": question.text,
        "help": question.help,
        "key": key,
        "required": question.required,
        "special_category": question.special_category,
        "starts_page": question.starts_page,
        "statements": "\n".join(statement.text for statement in question.statements),
        "options": "",
        "min_choices": text(question.min_choices),
        "max_choices": text(question.max_choices),
        "min_number": text(question.min_number),
        "max_number": text(question.max_number),
        "unit": question.unit,
        "other": any(option.is_other for option in question.options),
        "prefer_not_to_say": any(option.is_prefer_not_to_say for option in question.options),
        "dont_know": any(option.is_dont_know for option in question.options),
        "labels": {option.id: option.label for option in question.options},
    }


def question_edit(
    form_data: FormMultiDict, question: QuestionSpec
) -> tuple[QuestionForm, QuestionEdit | None]:
    """The edit form of an existing question: a QuestionEdit when it is valid."""
    kind = question.kind
    form = _common(form_data, kind)
    labels: dict[int, str] = {}
    for option in question.options:
        label = form_text(form_data, f"option-{option.id}")
        labels[option.id] = label
        if not label or len(label) > LABEL_MAX:
            form.errors[f"option-{option.id}"] = N_("Enter an answer of up to 300 characters.")
    form.values["labels"] = labels
    # The special answers' boxes may add up to three more: the builder's rules
    # (surveys.builder.survey_problems) refuse a question past the limit then.
    if len(question.options) + len(_lines(form.values["options"])) > MAX_OPTIONS:
        form.errors["options"] = TOO_MANY_OPTIONS
    limits = _limits(form)
    if not form.is_valid:
        return form, None
    return form, QuestionEdit(
        text=form.values["text"],
        help=form.values["help"],
        required=form.values["required"],
        special_category=form.values["special_category"],
        key=form.values["key"],
        unit=form.values["unit"] if kind.takes_number_range else "",
        starts_page=form.values["starts_page"],
        labels=labels,
        new_options=tuple(_lines(form.values["options"])) if kind.has_options else (),
        statements=tuple(_lines(form.values["statements"])) if kind.has_statements else None,
        specials=_specials(form, kind),
        **_kept_limits(limits, kind),
    )
