"""Codebook files: what a planner imports is checked in full, and what is exported reads back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from analysis import codebook as module
from analysis.codebook import Codebook, CodebookError, ThemeDef, dump_codebook, parse_codebook

ANALYSIS = Path(module.__file__).resolve().parent
SCHEMA = json.loads((ANALYSIS / "codebook.schema.json").read_text(encoding="utf-8"))
DEMO = (ANALYSIS / "demo_codebook.json").read_bytes()


def check_schema(value: object, schema: dict, place: str = "") -> list[str]:
    """The few JSON Schema keywords the codebook schema uses, enough to check a file
    against the schema without adding a jsonschema dependency."""
    problems: list[str] = []
    kind = schema.get("type")
    types = {"object": dict, "array": list, "string": str}
    if kind and not isinstance(value, types[kind]):
        return [f"{place}: not {kind}"]
    if isinstance(value, dict):
        problems += [f"{place}: missing {k}" for k in schema.get("required", []) if k not in value]
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            problems += [f"{place}: extra {k}" for k in value if k not in properties]
        for key, item in value.items():
            if key in properties:
                problems += check_schema(item, properties[key], f"{place}.{key}")
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", len(value)):
            problems.append(f"{place}: too many")
        if schema.get("uniqueItems") and len({json.dumps(v) for v in value}) != len(value):
            problems.append(f"{place}: repeated")
        for index, item in enumerate(value):
            problems += check_schema(item, schema.get("items", {}), f"{place}[{index}]")
    if isinstance(value, str):
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            problems.append(f"{place}: length")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            problems.append(f"{place}: pattern")
    return problems


def theme_file(**fields: object) -> str:
    theme = {"id": "online-hate", "label": "Online hate", **fields}
    return json.dumps({"themes": [theme]})


def error_of(data: bytes | str) -> str:
    with pytest.raises(CodebookError) as caught:
        parse_codebook(data)
    return str(caught.value)


# --- the shipped files ---


def test_the_demo_codebook_parses_and_validates_against_the_schema():
    codebook = parse_codebook(DEMO)
    assert len(codebook.themes) >= 5
    labels = {theme.label for theme in codebook.themes}
    assert "Online hate" in labels
    assert "Unsafe at night / public transport" in labels
    for theme in codebook.themes:
        assert len(theme.examples) == 2
        assert any(not keyword.isascii() for keyword in theme.keywords), theme.id  # Icelandic
    assert check_schema(json.loads(DEMO), SCHEMA) == []


def test_the_schema_states_the_same_rules_as_the_code():
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert SCHEMA["required"] == list(module.TOP_FIELDS)
    themes = SCHEMA["properties"]["themes"]
    assert themes["maxItems"] == module.MAX_THEMES
    theme = themes["items"]
    assert tuple(theme["properties"]) == module.THEME_FIELDS
    assert tuple(theme["required"]) == module.REQUIRED_THEME_FIELDS
    assert theme["additionalProperties"] is False
    fields = theme["properties"]
    assert fields["id"]["pattern"] == module.ID_PATTERN
    assert fields["id"]["maxLength"] == module.MAX_ID_CHARS
    assert fields["label"]["maxLength"] == module.MAX_LABEL_CHARS
    assert fields["description"]["maxLength"] == module.MAX_DESCRIPTION_CHARS
    assert fields["keywords"]["maxItems"] == module.MAX_KEYWORDS
    assert fields["keywords"]["items"]["maxLength"] == module.MAX_KEYWORD_CHARS
    assert fields["examples"]["maxItems"] == module.MAX_EXAMPLES
    assert fields["examples"]["items"]["maxLength"] == module.MAX_EXAMPLE_CHARS


def test_what_the_schema_refuses_the_code_refuses_too():
    bad_files = [
        {"themes": [{"id": "a", "label": "A", "colour": "red"}]},
        {"themes": [{"id": "-a", "label": "A"}]},
        {"themes": [{"id": "a", "label": ""}]},
        {"themes": [{"id": "a", "label": "A", "keywords": ["x" * 81]}]},
        {"themes": [{"label": "A"}]},
        {"themes": "all"},
        {},
    ]
    for data in bad_files:
        assert check_schema(data, SCHEMA), data
        with pytest.raises(CodebookError):
            parse_codebook(json.dumps(data))


# --- reading ---


def test_a_minimal_theme_gets_empty_defaults():
    codebook = parse_codebook('{"themes": [{"id": "t1", "label": "Youth spaces"}]}')
    assert codebook == Codebook((ThemeDef("t1", "Youth spaces", "", (), ()),))


def test_values_are_trimmed_and_bytes_with_an_excel_bom_are_read():
    data = "\ufeff" + theme_file(label="  Online hate ", keywords=[" netinu "])
    codebook = parse_codebook(data.encode("utf-8"))
    assert codebook.themes[0].label == "Online hate"
    assert codebook.themes[0].keywords == ("netinu",)


def test_dump_round_trips_every_field_and_keeps_non_ascii_readable():
    codebook = parse_codebook(DEMO)
    text = dump_codebook(codebook)
    assert parse_codebook(text) == codebook
    assert "strætó" in text  # written as letters, not \u escapes
    assert codebook.theme("online-hate") is not None
    assert codebook.ids[0] == "unsafe-night-transport"


# --- refusing, with the place named ---


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"themes": [}', "line 1, column 13: not valid JSON"),
        ('{\n  "themes": [\n    {"id": "a",}\n  ]\n}', "line 3, column 16: not valid JSON"),
        ("[]", 'the file must hold a JSON object with a "themes" list'),
        ("{}", "field 'themes' is missing"),
        ('{"themes": {}}', "themes: must be a list"),
        ('{"themes": [], "extra": 1}', "unknown field 'extra'"),
        ('{"themes": ["a"]}', "themes[0]: must be an object"),
        ('{"themes": [{"id": "a"}]}', "themes[0]: field 'label' is missing"),
        ('{"themes": [{"id": 7, "label": "A"}]}', "themes[0].id: must be text"),
        ('{"themes": [{"id": "a b", "label": "A"}]}', "themes[0].id: may hold only"),
        ('{"themes": [{"id": "a;b", "label": "A"}]}', "themes[0].id: may hold only"),
        ('{"themes": [{"id": "a", "label": "   "}]}', "themes[0].label: must not be empty"),
        ('{"themes": [{"id": "a", "label": "A", "label": "B"}]}', "field 'label' is given twice"),
        ('{"themes": [{"id": "a", "label": "A", "keywords": "bus"}]}', "keywords: must be a list"),
        ('{"themes": [{"id": "a", "label": "A", "examples": [null]}]}', "examples[0]: must be"),
        ('{"themes": [{"id": "a", "label": "A", "description": 3}]}', "description: must be text"),
    ],
)
def test_a_bad_file_is_refused_with_the_place(data, message):
    assert message in error_of(data)


def test_a_wrong_type_deep_in_the_file_names_theme_and_entry():
    themes = [{"id": f"t{i}", "label": f"T{i}"} for i in range(3)]
    themes[2]["keywords"] = ["ok", 3]
    assert error_of(json.dumps({"themes": themes})) == "themes[2].keywords[1]: must be text"


def test_duplicate_ids_are_refused_without_regard_to_case():
    data = json.dumps({"themes": [{"id": "bus", "label": "A"}, {"id": "Bus", "label": "B"}]})
    assert error_of(data) == "themes[1].id: 'Bus' is already the id of themes[0]"


def test_repeated_keywords_are_refused():
    assert "keywords[1]: repeats entry 0" in error_of(theme_file(keywords=["Bus", "bus"]))


def test_over_long_values_and_too_many_entries_are_refused():
    assert "label: is longer than 120" in error_of(theme_file(label="x" * 121))
    long_id = json.dumps({"themes": [{"id": "a" * 65, "label": "A"}]})
    assert "id: is longer than 64" in error_of(long_id)
    assert "examples[0]: is longer than 2000" in error_of(theme_file(examples=["x" * 2001]))
    many = [f"k{i}" for i in range(module.MAX_KEYWORDS + 1)]
    assert "keywords: has more than 100 entries" in error_of(theme_file(keywords=many))
    themes = [{"id": f"t{i}", "label": "T"} for i in range(module.MAX_THEMES + 1)]
    assert "themes: has more than 200 themes" in error_of(json.dumps({"themes": themes}))


def test_a_file_that_is_not_utf8_or_too_large_is_refused():
    assert "not UTF-8" in error_of(b'{"themes": [{"id": "a", "label": "\xff"}]}')
    assert "larger than" in error_of(b" " * (module.MAX_FILE_BYTES + 1))


def test_an_error_keeps_its_template_apart_for_translation():
    with pytest.raises(CodebookError) as caught:
        parse_codebook(theme_file(label="x" * 121))
    error = caught.value
    assert error.place == "themes[0].label"
    assert error.template == "is longer than {limit} characters"
    assert error.params == {"limit": 120}
    icelandic = {"is longer than {limit} characters": "er lengra en {limit} stafir"}
    assert error.render(icelandic.get) == "themes[0].label: er lengra en 120 stafir"
