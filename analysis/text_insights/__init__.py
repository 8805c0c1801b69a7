"""What the planner's text pages show: per-question summaries of the analysed
answers, theme counts by segment, suggested themes, the codebook, the review of
codes and safeguarding flags. Every count is aggregated in SQL and protected by
analysis.disclosure; lists are read by keyset, a page at a time; only redacted
text leaves here, except through `original_text`, which the admin route audits."""

from analysis.text_insights._breakdown import ThemeBreakdown, theme_breakdown
from analysis.text_insights._overview import (
    LanguageLine,
    QuestionSummary,
    Sentiment,
    ThemeLine,
    text_questions,
    text_summary,
)
from analysis.text_insights._review import (
    PAGE_SIZE,
    Decision,
    ReviewRow,
    decide,
    review_page,
    review_row,
)
from analysis.text_insights._safeguarding import (
    FlagRow,
    OriginalText,
    flag,
    flag_page,
    follow_up,
    original_text,
)
from analysis.text_insights._themes import (
    ThemeCard,
    accept,
    accepted_cards,
    discard,
    merge,
    rename,
    suggested_cards,
    theme_card,
    update_theme,
)

__all__ = [
    "PAGE_SIZE",
    "Decision",
    "FlagRow",
    "LanguageLine",
    "OriginalText",
    "QuestionSummary",
    "ReviewRow",
    "Sentiment",
    "ThemeBreakdown",
    "ThemeCard",
    "ThemeLine",
    "accept",
    "accepted_cards",
    "decide",
    "discard",
    "flag",
    "flag_page",
    "follow_up",
    "merge",
    "original_text",
    "rename",
    "review_page",
    "review_row",
    "suggested_cards",
    "text_questions",
    "text_summary",
    "theme_breakdown",
    "theme_card",
    "update_theme",
]
