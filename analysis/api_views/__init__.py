"""The JSON API's reads (services): typed bodies (msgspec Structs) filled from the
same services as the planner's pages, suppressed the same way; drafts are absent."""

from analysis.api_views._model import (
    ApprovedQuote,
    ConsultationFindings,
    ConsultationItem,
    ConsultationList,
    CrossTab,
    ErrorBody,
    FindingItem,
    SurveyIndicators,
    SurveyResults,
    SurveyThemes,
)
from analysis.api_views._read import (
    UnknownSegment,
    consultation_detail,
    consultation_findings,
    consultation_list,
    survey_indicators,
    survey_results,
    survey_themes,
)

__all__ = [
    "ApprovedQuote",
    "ConsultationFindings",
    "ConsultationItem",
    "ConsultationList",
    "CrossTab",
    "ErrorBody",
    "FindingItem",
    "SurveyIndicators",
    "SurveyResults",
    "SurveyThemes",
    "UnknownSegment",
    "consultation_detail",
    "consultation_findings",
    "consultation_list",
    "survey_indicators",
    "survey_results",
    "survey_themes",
]
