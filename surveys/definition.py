"""Survey definitions as JSON, so that cities can share instruments.

The format is the `SurveyDefinition` struct below; its JSON Schema is generated
from it (`json_schema()`) and committed as surveys/instruments/survey.schema.json.
`read_definition()` checks a file in two passes: its shape (msgspec), then the
rules a shape cannot say (known types, conditions on earlier questions ...), and
reports every problem with the place it was found, such as `questions[3].options`.
Pure code: no web framework, no ORM.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from consult.i18n import N_
from consult.text_input import clean_text
from surveys.question_types import (
    NUMBER_MAX,
    NUMBER_MIN,
    REGISTRY,
    Operator,
    QuestionSpec,
    get_type,
)

SCHEMA_ID = "consult-survey/1"
MAX_FILE_BYTES = 1_000_000
MAX_QUESTIONS = 200
MAX_OPTIONS = 100
# Only these types can be what a display condition looks at: each answer is a choice.
CONDITION_SOURCES = ("single_choice", "multiple_choice", "scale")
# How many problems one import reports; past that the file is far from the format.
MAX_PROBLEMS = 25

Label = Annotated[str, Meta(min_length=1, max_length=300)]
Key = Annotated[str, Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
LongString = Annotated[str, Meta(max_length=5000)]


class OptionDefinition(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """One answer to choose; at most one of each flag per question."""

    label: Label
    other: bool = False  # "Other (please specify)": asks for a text when chosen
    prefer_not_to_say: bool = False  # chosen on its own, never with another answer
    dont_know: bool = False  # on a scale or matrix: counted apart from the points


class ConditionDefinition(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Show the question only when an earlier question's answer matches."""

    question: Key  # the key of an earlier question (single, multiple choice or scale)
    operator: Literal["equals", "any_of", "not"]
    options: Annotated[list[Label], Meta(min_length=1, max_length=MAX_OPTIONS)]
    # Grouped surveys: the condition hides the whole page this question begins.
    whole_page: bool = False


class QuestionDefinition(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    key: Key  # a variable name, unique in the survey: conditions and exports use it
    type: str  # one of the question types (see `type` in the schema's description)
    text: Annotated[str, Meta(min_length=1, max_length=1000)]
    help: Annotated[str, Meta(max_length=1000)] = ""
    required: bool = False
    special_category: bool = False  # religion, ethnicity, health ...: a higher k
    starts_page: bool = False  # grouped surveys: begin a new page here
    options: Annotated[list[OptionDefinition], Meta(max_length=MAX_OPTIONS)] = []
    statements: Annotated[list[Label], Meta(max_length=MAX_OPTIONS)] = []  # matrix rows
    min_choices: Annotated[int, Meta(ge=0, le=MAX_OPTIONS)] | None = None
    max_choices: Annotated[int, Meta(ge=1, le=MAX_OPTIONS)] | None = None
    min_number: Annotated[int, Meta(ge=NUMBER_MIN, le=NUMBER_MAX)] | None = None
    max_number: Annotated[int, Meta(ge=NUMBER_MIN, le=NUMBER_MAX)] | None = None
    unit: Annotated[str, Meta(max_length=30)] = ""
    show_if: ConditionDefinition | None = None


class SurveyDefinition(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A survey: its texts and its questions, in order."""

    schema: Literal["consult-survey/1"]
    title: Annotated[str, Meta(min_length=1, max_length=200)]
    questions: Annotated[list[QuestionDefinition], Meta(min_length=1, max_length=MAX_QUESTIONS)]
    # What the instrument is for and where it comes from: shown when a planner
    # chooses a template; not part of the survey residents see.
    description: LongString = ""
    intro: LongString = ""
    consent_text: LongString = ""
    one_question_per_page: bool = True


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a definition: where, and what (a translatable message)."""

    place: str  # e.g. "questions[3].options[1].label"; "" for the file as a whole
    message: str
    params: dict[str, object] = field(default_factory=dict)


class InvalidDefinition(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.place}: {p.message}" for p in problems))
        self.problems = problems


_MSGSPEC_PLACE = re.compile(r"^(?P<detail>.*?)(?: - at `\$(?P<place>[^`]*)`)?$", re.DOTALL)


def _shape_problem(error: msgspec.ValidationError) -> Problem:
    match = _MSGSPEC_PLACE.match(str(error))
    assert match is not None  # the pattern matches any text
    place = (match.group("place") or "").lstrip(".")
    return Problem(
        place,
        N_("This does not fit the survey format: %(detail)s"),
        {"detail": match.group("detail")},
    )


def _cleaned(value: Any) -> Any:
    """Every text of a decoded file as a form's text is stored (a JSON file may
    spell a NUL byte, which PostgreSQL refuses: the import was a 500)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    return value


def read_definition(data: bytes) -> SurveyDefinition:
    """The definition in `data` (JSON, UTF-8), or InvalidDefinition saying what is wrong."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidDefinition(
            [
                Problem(
                    "", N_("The file is larger than %(max)s kB."), {"max": MAX_FILE_BYTES // 1000}
                )
            ]
        )
    try:
        decoded = msgspec.json.decode(data.removeprefix(b"\xef\xbb\xbf"))
        definition = msgspec.convert(_cleaned(decoded), type=SurveyDefinition)
    except msgspec.ValidationError as error:
        raise InvalidDefinition([_shape_problem(error)]) from None
    except msgspec.DecodeError as error:
        raise InvalidDefinition(
            [Problem("", N_("The file is not valid JSON: %(detail)s"), {"detail": str(error)})]
        ) from None
    problems = list(rule_problems(definition))[:MAX_PROBLEMS]
    if problems:
        raise InvalidDefinition(problems)
    return definition


def check_definition(definition: SurveyDefinition) -> SurveyDefinition:
    """The same rules for a definition built in code (the question bank, tests)."""
    return read_definition(write_definition(definition))


def rule_problems(definition: SurveyDefinition) -> Iterator[Problem]:
    seen: dict[str, tuple[int, QuestionDefinition]] = {}
    page = 0
    for index, question in enumerate(definition.questions):
        place = f"questions[{index}]"
        if definition.one_question_per_page or index == 0 or question.starts_page:
            page += 1
        if question.key in seen:
            yield Problem(
                f"{place}.key",
                N_("Another question already uses the key ‘%(key)s’."),
                {"key": question.key},
            )
        yield from _question_problems(place, question)
        if question.show_if is not None:
            yield from _condition_problems(place, question, page, seen, definition)
        seen.setdefault(question.key, (page, question))


def _question_problems(place: str, question: QuestionDefinition) -> Iterator[Problem]:
    if question.type not in REGISTRY:
        yield Problem(
            f"{place}.type",
            N_("‘%(type)s’ is not a question type. Use one of: %(types)s."),
            {"type": question.type, "types": ", ".join(REGISTRY)},
        )
        return
    kind = get_type(question.type)
    if kind.has_options and len(question.options) < kind.min_options:
        yield Problem(
            f"{place}.options",
            N_("Give at least %(min)s answers to choose from."),
            {"min": kind.min_options},
        )
    if not kind.has_options and question.options:
        yield Problem(
            f"{place}.options", N_("This type of question has no answers to choose from.")
        )
    if kind.has_statements and not question.statements:
        yield Problem(f"{place}.statements", N_("Give at least one statement to rate."))
    if not kind.has_statements and question.statements:
        yield Problem(f"{place}.statements", N_("Only a matrix question has statements."))
    labels = [option.label for option in question.options]
    for position, option in enumerate(question.options):
        if labels.index(option.label) != position:
            yield Problem(
                f"{place}.options[{position}].label",
                N_("Two answers have the same label ‘%(label)s’."),
                {"label": option.label},
            )
    for flag, allowed in (
        ("other", kind.allows_other),
        ("prefer_not_to_say", kind.allows_prefer_not_to_say),
        ("dont_know", kind.allows_dont_know),
    ):
        flagged = [i for i, option in enumerate(question.options) if getattr(option, flag)]
        if flagged and not allowed:
            yield Problem(
                f"{place}.options[{flagged[0]}].{flag}",
                N_("This type of question cannot have this answer."),
            )
        elif len(flagged) > 1:
            yield Problem(
                f"{place}.options[{flagged[1]}].{flag}",
                N_("Only one answer of a question can be marked like this."),
            )
    yield from _limit_problems(place, question, kind.takes_choice_limits, kind.takes_number_range)


def _limit_problems(
    place: str, question: QuestionDefinition, choice_limits: bool, number_range: bool
) -> Iterator[Problem]:
    for name in ("min_choices", "max_choices"):
        if getattr(question, name) is not None and not choice_limits:
            yield Problem(
                f"{place}.{name}", N_("Only multiple choice and ranking questions take this.")
            )
    low, high = question.min_choices, question.max_choices
    if low is not None and high is not None and low > high:
        yield Problem(f"{place}.min_choices", N_("The least must not be more than the most."))
    if high is not None and choice_limits and high > len(question.options):
        yield Problem(f"{place}.max_choices", N_("This is more than there are answers."))
    if low is not None and choice_limits and low > len(question.options):
        yield Problem(f"{place}.min_choices", N_("This is more than there are answers."))
    for name in ("min_number", "max_number", "unit"):
        if getattr(question, name) not in (None, "") and not number_range:
            yield Problem(f"{place}.{name}", N_("Only a number question takes this."))
    if (
        question.min_number is not None
        and question.max_number is not None
        and question.min_number > question.max_number
    ):
        yield Problem(f"{place}.min_number", N_("The least must not be more than the most."))


def _condition_problems(
    place: str,
    question: QuestionDefinition,
    page: int,
    earlier: dict[str, tuple[int, QuestionDefinition]],
    definition: SurveyDefinition,
) -> Iterator[Problem]:
    condition = question.show_if
    assert condition is not None
    where = f"{place}.show_if"
    source = earlier.get(condition.question)
    if source is None:
        yield Problem(
            f"{where}.question", N_("A condition must name the key of an earlier question.")
        )
        return
    source_page, source_question = source
    if source_page == page:
        yield Problem(
            f"{where}.question", N_("The question a condition rests on must be on an earlier page.")
        )
    if source_question.type not in CONDITION_SOURCES:
        yield Problem(
            f"{where}.question",
            N_("A condition can rest only on a single choice, multiple choice or scale question."),
        )
        return
    labels = {option.label for option in source_question.options}
    for position, label in enumerate(condition.options):
        if label not in labels:
            yield Problem(
                f"{where}.options[{position}]",
                N_("‘%(label)s’ is not an answer of that question."),
                {"label": label},
            )
    if condition.operator == Operator.equals and len(condition.options) != 1:
        yield Problem(
            f"{where}.options", N_("‘equals’ takes exactly one answer; use ‘any_of’ for more.")
        )
    if condition.whole_page and (definition.one_question_per_page or not question.starts_page):
        yield Problem(
            f"{where}.whole_page",
            N_("Only a question that begins a page of a grouped survey can hide its page."),
        )


def write_definition(definition: SurveyDefinition) -> bytes:
    """The definition as indented JSON (UTF-8), as a person would want to read it."""
    return msgspec.json.format(msgspec.json.encode(definition), indent=2) + b"\n"


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the format, generated from the structs above."""
    schema = msgspec.json.schema(SurveyDefinition)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["description"] = (
        "A consult survey definition. Question types: "
        + ", ".join(f"{key} ({kind.label})" for key, kind in REGISTRY.items())
        + ". A condition (show_if) names an earlier question of type "
        + ", ".join(CONDITION_SOURCES)
        + " by its key, and answers of it by their labels."
    )
    return schema


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def definition_of(
    title: str,
    intro: str,
    consent_text: str,
    one_question_per_page: bool,
    questions: tuple[QuestionSpec, ...],
    keys: dict[int, str],
) -> SurveyDefinition:
    """A stored survey as a definition (for export); `keys` gives each question's key."""
    by_id = {question.id: question for question in questions}
    return SurveyDefinition(
        schema=SCHEMA_ID,
        title=title,
        intro=intro,
        consent_text=consent_text,
        one_question_per_page=one_question_per_page,
        questions=[_question_definition(question, keys, by_id) for question in questions],
    )


def _question_definition(
    question: QuestionSpec, keys: dict[int, str], by_id: dict[int, QuestionSpec]
) -> QuestionDefinition:
    condition = None
    if question.condition is not None:
        source = by_id[question.condition.source_question_id]
        labels = {option.id: option.label for option in source.options}
        condition = ConditionDefinition(
            question=keys[source.id],
            operator=question.condition.operator.value,  # type: ignore[arg-type]
            options=[labels[i] for i in sorted(question.condition.option_ids) if i in labels],
            whole_page=question.condition.whole_page,
        )
    return QuestionDefinition(
        key=keys[question.id],
        type=question.type,
        text=question.text,
        help=question.help,
        required=question.required,
        special_category=question.special_category,
        starts_page=question.starts_page,
        options=[
            OptionDefinition(
                label=option.label,
                other=option.is_other,
                prefer_not_to_say=option.is_prefer_not_to_say,
                dont_know=option.is_dont_know,
            )
            for option in question.options
        ],
        statements=[statement.text for statement in question.statements],
        min_choices=question.min_choices,
        max_choices=question.max_choices,
        min_number=question.min_number,
        max_number=question.max_number,
        unit=question.unit,
        show_if=condition,
    )
