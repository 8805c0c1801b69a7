"""The strategy-input workbook: plain data (exports.model) in, an .xlsx file out.

`StrategyWorkbookWriter` writes every sheet a planner takes to the council.
"""

from exports.model import (
    Cover,
    CrossTab,
    CrossTabRow,
    DictionaryEntry,
    Estimate,
    Finding,
    GroupCount,
    GroupEstimate,
    Indicator,
    LabelledCount,
    Labels,
    OptionCount,
    Partner,
    QuestionSummary,
    Statement,
    StrategyWorkbook,
    Theme,
)
from exports.workbook._findings import TABLE_NAME
from exports.workbook._names import SheetNames, column_names
from exports.workbook._writer import StrategyWorkbookWriter

__all__ = [
    "TABLE_NAME",
    "Cover",
    "CrossTab",
    "CrossTabRow",
    "DictionaryEntry",
    "Estimate",
    "Finding",
    "GroupCount",
    "GroupEstimate",
    "Indicator",
    "LabelledCount",
    "Labels",
    "OptionCount",
    "Partner",
    "QuestionSummary",
    "SheetNames",
    "Statement",
    "StrategyWorkbook",
    "StrategyWorkbookWriter",
    "Theme",
    "column_names",
]
