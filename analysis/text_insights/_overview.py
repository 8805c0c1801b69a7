"""A summary of each long-text question's analysed answers: how many, in which
languages, English sentiment, accepted themes with their sentiment and quotes,
and open safeguarding flags. A handful of GROUP BY queries per question, whatever
the number of answers."""

# ruff: noqa: S608  (fixed fragments and {} placeholders only; values are bound)
from __future__ import annotations

from dataclasses import dataclass

from analysis.coding import accepted_themes
from analysis.disclosure import suppress, threshold, total_is_safe
from analysis.tables import TextAnswer
from analysis.text import SENTIMENT_LANGUAGES
from analysis.text_insights._sql import COMPLETE, HAS_THEME
from surveys.flow import SurveySpec
from surveys.question_types import QuestionSpec

TEXT_TYPES = ("long_text",)
QUOTES_PER_THEME = 3
# Why a figure is absent, as the template words it.
NOT_MEASURED = "language"  # sentiment is only measured for English
TOO_FEW = "few"  # fewer than k answers


@dataclass(frozen=True)
class Sentiment:
    polarity: float  # -1 (negative) to +1 (positive)
    subjectivity: float  # 0 (factual) to 1 (personal opinion)


@dataclass(frozen=True)
class LanguageLine:
    language: str | None  # None: not recognised
    count: int | None  # None: not shown
    sentiment: Sentiment | None
    absent: str  # why sentiment is not shown: NOT_MEASURED, TOO_FEW, or ""


@dataclass(frozen=True)
class ThemeLine:
    theme_id: int
    label: str
    count: int | None  # answers with the theme; None: not shown
    sentiment: Sentiment | None  # of its English answers
    sentiment_absent: str
    quotes: tuple[str, ...]  # redacted; only when the theme has k answers or more


@dataclass(frozen=True)
class QuestionSummary:
    question: QuestionSpec
    k: int
    analysed: int | None  # None: fewer than k
    queued: int
    languages: tuple[LanguageLine, ...]
    themes: tuple[ThemeLine, ...]
    open_flags: int


def text_questions(survey: SurveySpec) -> tuple[QuestionSpec, ...]:
    return tuple(q for q in survey.questions if q.type in TEXT_TYPES)


async def _one(sql: str, *values: object) -> int:
    rows = await TextAnswer.raw(sql, *values)
    return int(rows[0]["n"] or 0) if rows else 0


async def _languages(question: QuestionSpec, k: int) -> tuple[int, tuple[LanguageLine, ...]]:
    rows = await TextAnswer.raw(
        "SELECT ta.language AS language, COUNT(*) AS n,"
        " COUNT(ta.polarity) AS measured, AVG(ta.polarity) AS polarity,"
        " AVG(ta.subjectivity) AS subjectivity"
        f" FROM text_answer ta {COMPLETE} WHERE ta.question = {{}}"
        " GROUP BY ta.language",
        question.id,
    )
    counts = {row["language"]: int(row["n"]) for row in rows}
    shown = suppress({lang or "": n for lang, n in counts.items()}, k)
    lines = []
    for row in sorted(rows, key=lambda r: (-int(r["n"]), r["language"] or "~")):
        language = row["language"]
        measured = int(row["measured"] or 0)
        sentiment, absent = None, ""
        if language not in SENTIMENT_LANGUAGES:
            absent = NOT_MEASURED
        elif measured < k:
            absent = TOO_FEW
        else:
            sentiment = Sentiment(float(row["polarity"]), float(row["subjectivity"]))
        lines.append(LanguageLine(language, shown[language or ""], sentiment, absent))
    return sum(counts.values()), tuple(lines)


async def _themes(question: QuestionSpec, survey_id: int, k: int) -> tuple[ThemeLine, ...]:
    themes = await accepted_themes(survey_id)
    if not themes:
        return ()
    base = (
        f"FROM coding c JOIN text_answer ta ON ta.id = c.text_answer {COMPLETE}"
        f" WHERE ta.question = {{}} AND {HAS_THEME}"
    )
    counted = {
        row["theme"]: int(row["n"])
        for row in await TextAnswer.raw(
            f"SELECT c.theme AS theme, COUNT(DISTINCT c.text_answer) AS n {base} GROUP BY c.theme",
            question.id,
        )
    }
    english = sorted(SENTIMENT_LANGUAGES)
    feelings = {
        row["theme"]: row
        for row in await TextAnswer.raw(
            "SELECT c.theme AS theme, COUNT(DISTINCT c.text_answer) AS n,"
            " AVG(ta.polarity) AS polarity, AVG(ta.subjectivity) AS subjectivity"
            f" {base} AND ta.language = {{}} AND ta.polarity IS NOT NULL GROUP BY c.theme",
            question.id,
            english[0],
        )
    }
    # An answer may have several themes or none, so theme counts add up to no total
    # that is shown: each is protected on its own (and the breakdown by segment
    # takes it as its row total).
    shown = {theme["id"]: suppress({0: counted.get(theme["id"], 0)}, k)[0] for theme in themes}
    lines = []
    for theme in themes:
        feeling = feelings.get(theme["id"])
        sentiment = None
        if feeling is not None and int(feeling["n"]) >= k:
            sentiment = Sentiment(float(feeling["polarity"]), float(feeling["subjectivity"]))
        quotes: tuple[str, ...] = ()
        if counted.get(theme["id"], 0) >= k:
            quotes = tuple(
                row["redacted"]
                for row in await TextAnswer.raw(
                    # The same words from several people are one quote.
                    "SELECT ta.redacted AS redacted,"
                    " MAX(CASE WHEN c.source = 'confirmed' THEN 1 ELSE 0 END) AS confirmed,"
                    f" MAX(c.score) AS score {base} AND c.theme = {{}}"
                    " GROUP BY ta.redacted ORDER BY confirmed DESC, score DESC, ta.redacted"
                    " LIMIT {}",
                    question.id,
                    theme["id"],
                    QUOTES_PER_THEME,
                )
            )
        lines.append(
            ThemeLine(
                theme_id=theme["id"],
                label=theme["label"],
                count=shown[theme["id"]],
                sentiment=sentiment,
                sentiment_absent="" if sentiment else TOO_FEW,
                quotes=quotes,
            )
        )
    return tuple(lines)


async def text_summary(survey: SurveySpec, k: int) -> tuple[QuestionSummary, ...]:
    """A summary of every long-text question of the survey."""
    summaries = []
    for question in text_questions(survey):
        question_k = threshold(k, question.special_category)
        analysed, languages = await _languages(question, question_k)
        queued = await _one(
            "SELECT COUNT(*) AS n FROM pending_text p JOIN answer a ON a.id = p.answer"
            " WHERE a.question = {}",
            question.id,
        )
        open_flags = await _one(
            "SELECT COUNT(*) AS n FROM safeguarding_flag f"
            " JOIN text_answer ta ON ta.id = f.text_answer"
            " WHERE ta.question = {} AND f.reviewed = {}",
            question.id,
            False,
        )
        summaries.append(
            QuestionSummary(
                question=question,
                k=question_k,
                analysed=analysed if total_is_safe(analysed, question_k) else None,
                queued=queued,
                languages=languages,
                themes=await _themes(question, survey.id, question_k),
                open_flags=open_flags,
            )
        )
    return tuple(summaries)
