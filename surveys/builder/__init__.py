"""Building surveys (planners): every change to a definition goes through here.

A change to questions is one transaction, refused once the survey has answers,
and checked against the same rules as an imported definition file, so the
builder cannot make a survey that the JSON format would refuse.
"""

from surveys.builder._common import ChangeRefused, NotInSurvey, QuestionsLocked, Refusal
from surveys.builder._conditions import remove_condition, set_condition
from surveys.builder._definitions import (
    AlreadyReplaced,
    add_definition_questions,
    create_survey,
    export_definition,
    import_definition,
    new_version,
    update_survey,
)
from surveys.builder._questions import (
    NewOption,
    QuestionEdit,
    QuestionInput,
    SpecialOptions,
    add_question,
    delete_option,
    delete_question,
    duplicate_question,
    move_option,
    move_question,
    update_question,
)

__all__ = [
    "AlreadyReplaced",
    "ChangeRefused",
    "NewOption",
    "NotInSurvey",
    "QuestionEdit",
    "QuestionInput",
    "QuestionsLocked",
    "Refusal",
    "SpecialOptions",
    "add_definition_questions",
    "add_question",
    "create_survey",
    "delete_option",
    "delete_question",
    "duplicate_question",
    "export_definition",
    "import_definition",
    "move_option",
    "move_question",
    "new_version",
    "remove_condition",
    "set_condition",
    "update_question",
    "update_survey",
]
