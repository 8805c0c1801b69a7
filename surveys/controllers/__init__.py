"""HTTP handlers of the surveys app: the respondent's journey and the builder."""

from surveys.controllers.builder import SurveyBuilderController
from surveys.controllers.leave import LeaveController
from surveys.controllers.question import QuestionController
from surveys.controllers.respond import RespondController

__all__ = ["LeaveController", "QuestionController", "RespondController", "SurveyBuilderController"]
