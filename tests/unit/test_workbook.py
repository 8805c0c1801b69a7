"""The strategy-input workbook, read back as Excel would: sheets, charts, the
action-plan table with its filter, frozen header and drop-downs, suppressed cells
showing the word, numbers as numbers, and hostile text staying text everywhere."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zipfile
from dataclasses import fields
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from exports.cells import clean_text
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
from exports.workbook import TABLE_NAME, SheetNames, StrategyWorkbookWriter, column_names
from tests.data.hostile_strings import HOSTILE

NOT_SHOWN = "not shown"

LABELS = Labels(
    cover_sheet="About this export",
    indicators_sheet="Indicators",
    question_sheet="Q",
    cross_tabs_sheet="Cross-tabs",
    themes_sheet="Themes",
    findings_sheet="Findings and action plan",
    partners_sheet="Partners",
    dictionary_sheet="Data dictionary",
    responses_sheet="Responses",
    not_shown=NOT_SHOWN,
    count="Count",
    share="Share of those who answered",
    answered="Answered",
    question="Question",
    option="Answer",
    segment="Breakdown",
    group="Group",
    consultation="Consultation",
    city="City",
    run_by="Run by",
    purpose="Purpose",
    survey="Survey",
    opens="Opens",
    closes="Closes",
    exported="Exported",
    responses="Responses",
    channels="Channel",
    languages="Language",
    organisations="Organisations taking part",
    caveats="How to read these figures",
    suppression="Small groups",
    k="Smallest group shown",
    indicator="Indicator",
    counts_as="What counts",
    overall="Everyone",
    low="95% interval, low",
    high="95% interval, high",
    type="Type",
    statement="Statement",
    theme="Theme",
    description="Description",
    sentiment="Mean sentiment (-1 to 1)",
    quotes="Quotes",
    title="Title",
    finding="Finding",
    strategy_area="Strategy area",
    priority="Priority",
    status="Status",
    proposed_action="Proposed action",
    owner="Owner",
    partners="Partners",
    timeline="Timeline",
    evidence="Evidence",
    organisation="Organisation",
    kind="Kind",
    sessions="Sessions",
    groups_reached="Groups reached",
    findings="Findings",
    column="Column",
    coding="Coding",
)


def model(text=None, many=None) -> StrategyWorkbook:
    """A realistic workbook model. `text()` gives each text field its value and
    `many` each list of texts, so hostile strings can be put everywhere."""
    text = text or (lambda default: default)
    many = many or (lambda default: default)
    single = QuestionSummary(
        position=1,
        text=text("How safe do you feel in the city centre at night?"),
        type_label=text("Single choice"),
        answered=412,
        options=(
            OptionCount(text("Very safe"), 80, 80 / 412),
            OptionCount(text("Fairly safe"), 170, 170 / 412),
            OptionCount(text("Unsafe"), 158, 158 / 412),
            OptionCount(text("Prefer not to say"), None, None),
        ),
    )
    matrix = QuestionSummary(
        position=2,
        text=text("How much do you agree?"),
        type_label=text("Matrix"),
        answered=None,
        statements=(
            Statement(
                text("The police listen to us"),
                (OptionCount(text("Agree"), 50, 0.5), OptionCount(text("Disagree"), 50, 0.5)),
                100,
            ),
            Statement(
                text("I know where to report hate"),
                (OptionCount(text("Agree"), None, None), OptionCount(text("Disagree"), 97, 0.97)),
                None,
            ),
        ),
    )
    open_text = QuestionSummary(3, text("What should the city do?"), text("Long text"), 300)
    return StrategyWorkbook(
        cover=Cover(
            consultation_title=text("Reykjavik needs assessment"),
            city=text("Reykjavik"),
            run_by=text("Department of Welfare"),
            purpose=text("Whether the city needs a strategy against violent extremism."),
            survey_title=text("Your city, your safety"),
            opens=date(2025, 3, 1),
            closes=date(2025, 4, 30),
            exported_at=datetime(2025, 5, 2, 9, 30, tzinfo=UTC),
            response_count=412,
            channels=(LabelledCount(text("Web"), 300), LabelledCount(text("Paper"), None)),
            languages=(LabelledCount(text("Icelandic"), 350), LabelledCount(text("Polish"), 62)),
            organisations=many(("Youth club Hitt húsið", "Mosque of Reykjavik")),
            caveats=many(("Answers are self-selected, not a random sample.",)),
            suppression_rule=text("Counts below 5 are not shown."),
            k=5,
        ),
        response_header=("Response", "Channel", "Q1", "Q3"),
        indicators=(
            Indicator(
                label=text("Feel unsafe at night"),
                question=text("How safe do you feel in the city centre at night?"),
                counts_as=many(("Unsafe",)),
                overall=Estimate(412, 158, 0.3835, 0.3376, 0.4316),
                by_group=(
                    GroupEstimate(text("Age group"), text("16-24"), 120, 0.5, 0.41, 0.59),
                    GroupEstimate(text("Age group"), text("75+"), None, None, None, None),
                ),
            ),
        ),
        questions=(single, matrix, open_text),
        cross_tabs=(
            CrossTab(
                title=text("How safe? by Age group"),
                columns=(text("16-24"), text("25-64"), text("75+")),
                rows=(
                    CrossTabRow(text("Safe"), (60, 150, None)),
                    CrossTabRow(text("Unsafe"), (60, 98, None)),
                ),
            ),
        ),
        themes=(
            Theme(
                label=text("Lighting"),
                description=text("Dark streets and underpasses"),
                count=57,
                by_group=(GroupCount(text("Age group"), text("16-24"), 21),),
                sentiment=-0.31,
                quotes=many(("The underpass by the bus station is pitch dark.",)),
            ),
            Theme(text("Rare"), text("A small theme"), None, sentiment=0.2),
        ),
        findings=(
            Finding(
                title=text("Young people feel unsafe at night"),
                statement=text("Half of those aged 16-24 feel unsafe in the centre at night."),
                strategy_area=text("Safe public space"),
                priority="High",
                status="Proposed",
                proposed_action=text("Light the underpasses"),
                owner=text("Environment and Planning"),
                partners=many(("Youth club Hitt húsið",)),
                timeline=text("2025 Q4"),
                evidence=many(("Q1: 50% of 16-24 feel unsafe (n=120)", "Theme: Lighting (57)")),
            ),
        ),
        priorities=("High", "Medium", "Low"),
        statuses=("Proposed", "Agreed", "Done"),
        partners=(
            Partner(
                name=text("Youth club Hitt húsið"),
                kind=text("Youth organisation"),
                sessions=4,
                responses=None,
                groups_reached=many(("16-24",)),
                findings=many(("Young people feel unsafe at night",)),
            ),
        ),
        dictionary=(
            DictionaryEntry(text("Q1"), text("How safe?"), text("Single choice"), text("1-4")),
        ),
    )


def build(data: StrategyWorkbook, labels: Labels = LABELS, rows=()) -> bytes:
    buffer = io.BytesIO()
    writer = StrategyWorkbookWriter(data, labels, buffer)
    writer.append(rows)
    writer.close()
    return buffer.getvalue()


def sheet_xml(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith(".xml")
        }


RESPONSES = [(1, "Web", "Unsafe", "More light"), (2, "Paper", None, "=1+1"), (3, "Web", 4, "#N/A")]


@pytest.fixture(scope="module")
def plain() -> bytes:
    return build(model(), rows=RESPONSES)


@pytest.fixture(scope="module")
def book(plain):
    return load_workbook(io.BytesIO(plain))


def values(sheet) -> list[tuple]:
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def test_every_sheet_is_there_in_order(book):
    assert book.sheetnames == [
        "About this export",
        "Indicators",
        "Q1 How safe do you feel in the",
        "Q2 How much do you agree",
        "Q3 What should the city do",
        "Cross-tabs",
        "Themes",
        "Findings and action plan",
        "Partners",
        "Data dictionary",
        "Responses",
    ]


def test_each_question_with_options_has_a_native_bar_chart(plain):
    xml = sheet_xml(plain)
    charts = sorted(name for name in xml if name.startswith("xl/charts/chart"))
    assert len(charts) == 2  # the open question has nothing to chart
    first = xml[charts[0]]
    assert "<barChart>" in first
    assert "How safe do you feel" in first
    assert "'Q1 How safe do you feel in the'!$B$6:$B$9" in first
    assert "'Q1 How safe do you feel in the'!$A$6:$A$9" in first
    assert xml[charts[1]].count("<ser>") == 2  # one series per matrix option


def test_counts_are_numbers_and_suppressed_cells_show_the_word(book):
    rows = values(book["Q1 How safe do you feel in the"])
    assert rows[0][0] == "1. How safe do you feel in the city centre at night?"
    assert rows[2][:2] == ("Answered", 412)
    assert rows[4][:3] == ("Answer", "Count", "Share of those who answered")
    assert rows[5][:2] == ("Very safe", 80)
    assert rows[5][2] == pytest.approx(80 / 412)
    assert book["Q1 How safe do you feel in the"]["C6"].number_format == "0.0%"
    assert rows[8][:3] == ("Prefer not to say", NOT_SHOWN, NOT_SHOWN)
    matrix = values(book["Q2 How much do you agree"])
    assert matrix[2][:2] == ("Answered", NOT_SHOWN)
    assert matrix[4][:4] == ("Statement", "Agree", "Disagree", "Answered")
    assert matrix[6][:4] == ("I know where to report hate", NOT_SHOWN, 97, NOT_SHOWN)
    indicators = values(book["Indicators"])
    assert indicators[1][3:7] == ("Everyone", None, 412, 158)
    assert indicators[3][3:] == ("Age group", "75+", NOT_SHOWN, None, *[NOT_SHOWN] * 3)
    assert values(book["Cross-tabs"])[2] == ("Safe", 60, 150, NOT_SHOWN)
    themes = values(book["Themes"])
    assert themes[1][:4] == ("Lighting", "Dark streets and underpasses", 57, -0.31)
    assert themes[2][2:4] == (NOT_SHOWN, NOT_SHOWN)  # a hidden theme hides its sentiment
    assert values(book["Partners"])[1][:4] == (
        "Youth club Hitt húsið",
        "Youth organisation",
        4,
        NOT_SHOWN,
    )
    cover = dict(row[:2] for row in values(book["About this export"]) if row and row[0])
    assert cover["Exported"] == "2025-05-02 09:30 UTC"
    assert cover["Opens"] == "2025-03-01"
    assert cover["Responses"] == 412
    assert cover["Paper"] == NOT_SHOWN


def test_findings_are_a_filterable_table_with_drop_downs(plain, book):
    sheet = book["Findings and action plan"]
    table = sheet.tables[TABLE_NAME]
    assert table.ref == "A1:J2"
    header = [cell.value for cell in sheet[1][:10]]
    assert table.column_names == header
    assert header[3:5] == ["Priority", "Status"]
    assert table.autoFilter.ref == "A1:J2"
    assert sheet.freeze_panes == "A2"
    assert sheet["D2"].value == "High"
    formulas = sorted(v.formula1 for v in sheet.data_validations.dataValidation)
    assert formulas == ["$L$2:$L$4", "$M$2:$M$4"]
    assert [sheet.cell(row, 12).value for row in (2, 3, 4)] == ["High", "Medium", "Low"]
    xml = sheet_xml(plain)
    assert any(name.startswith("xl/tables/table") for name in xml)
    findings_xml = next(v for v in xml.values() if "<dataValidations" in v)
    assert 'sqref="D2"' in findings_xml
    assert 'state="frozen"' in findings_xml


def test_the_responses_sheet_is_last_with_a_frozen_header(book):
    sheet = book["Responses"]
    assert sheet.freeze_panes == "A2"
    assert values(sheet) == [("Response", "Channel", "Q1", "Q3"), *RESPONSES]
    assert sheet["D3"].data_type == "s"
    assert sheet["D3"].quotePrefix
    assert sheet["D4"].data_type == "s"


def test_a_table_needs_a_data_row_even_without_findings():
    data = model()
    empty = StrategyWorkbook(cover=data.cover, response_header=("Response",))
    sheet = load_workbook(io.BytesIO(build(empty)))["Findings and action plan"]
    assert sheet.tables[TABLE_NAME].ref == "A1:J2"
    assert not sheet.data_validations.dataValidation


def _assert_no_formula_or_error(content: bytes) -> None:
    for name, xml in sheet_xml(content).items():
        if name.startswith("xl/worksheets/"):
            # Element tags only: the corpus itself holds '<c t="e">' as text.
            assert not re.search(r"<f[ >]", xml), name
            assert not re.search(r'<c [^>]*t="(e|str)"', xml), name


def _expected(text: str) -> str:
    return clean_text(text).text


def _xml_newlines(text: str) -> str:
    """XML reads CR LF and a lone CR as LF; so do Excel and openpyxl."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@pytest.fixture(scope="module")
def hostile() -> tuple[bytes, list[str]]:
    """Every text field of the model, every label and every response holds a string
    from the corpus; lists hold the whole corpus."""
    cycle = itertools.cycle(HOSTILE)
    data = model(text=lambda _default: next(cycle), many=lambda _default: HOSTILE)
    labels = Labels(**{f.name: next(cycle) for f in fields(Labels)})
    rows = [(number, text, text, text) for number, text in enumerate(HOSTILE, 1)]
    return build(data, labels, rows), rows


def test_hostile_text_never_becomes_a_formula_or_an_error(hostile):
    _assert_no_formula_or_error(hostile[0])


def test_hostile_responses_come_back_as_the_text_typed(hostile):
    content, _rows = hostile
    book = load_workbook(io.BytesIO(content))
    sheet = book.worksheets[-1]
    cells = list(sheet.iter_rows(min_row=2))
    assert len(cells) == len(HOSTILE)
    for row, text in zip(cells, HOSTILE, strict=True):
        cell = row[1]
        expected = _expected(text)
        if expected == "":
            assert cell.value is None
            continue
        assert cell.data_type == "s", repr(text)
        # XML turns a lone CR into LF, and openpyxl reads back what XML keeps.
        assert cell.value == _xml_newlines(expected), repr(text)


def test_hostile_sheet_names_are_valid_and_unique(hostile):
    book = load_workbook(io.BytesIO(hostile[0]))
    names = book.sheetnames
    assert len({name.casefold() for name in names}) == len(names)
    for name in names:
        assert 0 < len(name.encode("utf-16-le")) // 2 <= 31
        assert not re.search(r"[\[\]:*?/\\\x00-\x1f]", name)
        assert not name.startswith("'")
        assert not name.endswith("'")


def test_hostile_table_columns_are_unique_non_empty_and_match_the_header(hostile):
    book = load_workbook(io.BytesIO(hostile[0]))
    (sheet,) = (s for s in book.worksheets if s.tables)
    table = sheet.tables[TABLE_NAME]
    names = table.column_names
    assert all(names)
    assert len({n.casefold() for n in names}) == len(names)
    assert names == [cell.value for cell in sheet[1][: len(names)]]


def test_sheet_names_from_hostile_question_texts():
    name = SheetNames()
    given = [name(text, "Q") for text in HOSTILE]
    assert len({g.casefold() for g in given}) == len(given)
    for text in given:
        assert 0 < len(text.encode("utf-16-le")) // 2 <= 31
        assert not re.search(r"[\[\]:*?/\\\x00-\x1f\ud800-\udfff]", text)
        assert text[0] != "'"
        assert text[-1] != "'"
    name = SheetNames()
    assert name("History", "Q") == "Q"
    assert name("a" * 40) == "a" * 31
    assert name("a" * 40) == "a" * 27 + " (2)"
    assert name("A" * 31) == "A" * 27 + " (3)"
    assert name("🙂" * 20) == "🙂" * 15
    assert name("'quoted'") == "quoted"
    assert name("a/b\\c[d]e:f*g?h") == "a b c d e f g h"
    assert name("   ", "Fallback") == "Fallback"


def test_column_names_are_unique_and_never_empty():
    assert column_names(["Priority", "priority", "", " ", "a\nb", "x" * 300]) == [
        "Priority",
        "priority (2)",
        "Column3",
        "Column4",
        "a b",
        "x" * 255,
    ]


def test_libreoffice_opens_the_hostile_workbook(hostile, tmp_path: Path):
    """A file Excel would need to repair usually fails LibreOffice's import too."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        pytest.skip("LibreOffice is not installed")
    source = tmp_path / "hostile.xlsx"
    source.write_bytes(hostile[0])
    subprocess.run(
        [
            office,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "csv",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert (tmp_path / "hostile.csv").stat().st_size > 0
