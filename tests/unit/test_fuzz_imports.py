"""Fuzzing the two files a planner uploads (a codebook, a survey definition):
whatever text they hold, a file is refused with its own error or read with every
text as a form's text is stored (consult.text_input.clean_text), so no NUL byte
or other control character reaches the database, where PostgreSQL refused a NUL
with a 500 (found by tests/integration/test_xss on PostgreSQL).

Deterministic (derandomize) and bounded, so a CI run is repeatable.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.codebook import CodebookError, parse_codebook
from consult.text_input import clean_text
from surveys.definition import InvalidDefinition, read_definition

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# Any text but lone surrogates (JSON cannot carry them as UTF-8), with the
# control characters a file may spell as \u0000 and the like made likely.
TEXT = st.text(
    st.one_of(
        st.characters(exclude_categories=("Cs",)),
        st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\r", "\n", "\t", " "]),
    ),
    min_size=1,
    max_size=60,
)


@FUZZ
@given(label=TEXT, description=TEXT, keyword=TEXT)
def test_a_codebook_keeps_only_cleaned_text(label, description, keyword):
    data = {
        "themes": [
            {"id": "night", "label": label, "description": description, "keywords": [keyword]}
        ]
    }
    try:
        codebook = parse_codebook(json.dumps(data))
    except CodebookError:
        return
    [theme] = codebook.themes
    assert theme.label == clean_text(label)
    assert theme.description == clean_text(description)
    assert theme.keywords == (clean_text(keyword),)


@FUZZ
@given(title=TEXT, intro=TEXT, question=TEXT, option=TEXT)
def test_a_survey_definition_keeps_only_cleaned_text(title, intro, question, option):
    data = {
        "schema": "consult-survey/1",
        "title": title,
        "intro": intro,
        "questions": [
            {
                "key": "safe",
                "type": "single_choice",
                "text": question,
                "options": [{"label": option}, {"label": "Another"}],
            }
        ],
    }
    try:
        definition = read_definition(json.dumps(data).encode())
    except InvalidDefinition:
        return
    assert definition.title == clean_text(title)
    assert definition.intro == clean_text(intro)
    assert definition.questions[0].text == clean_text(question)
    assert definition.questions[0].options[0].label == clean_text(option)


def test_a_nul_byte_in_a_file_is_not_kept():
    """The cases PostgreSQL refused, spelled as a JSON file spells them."""
    book = parse_codebook('{"themes": [{"id": "a", "label": "Night\\u0000 bus"}]}')
    assert book.themes[0].label == "Night bus"
    definition = read_definition(
        b'{"schema": "consult-survey/1", "title": "Safety\\u0000", '
        b'"questions": [{"key": "what", "type": "long_text", "text": "What\\u0000 happened?"}]}'
    )
    assert (definition.title, definition.questions[0].text) == ("Safety", "What happened?")
