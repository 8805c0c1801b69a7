"""The survey templates and the demographic question bank that ship with consult.

Each template is a survey definition file (surveys/definition.py) in this folder;
`survey.schema.json` is the format's JSON Schema, generated and kept current by a
test. Read once per process: the files change only with a release.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from surveys.definition import SurveyDefinition, read_definition

DIRECTORY = Path(__file__).resolve().parent
BANK_FILE = "demographics.json"
SCHEMA_FILE = "survey.schema.json"


@dataclass(frozen=True)
class Template:
    slug: str  # the file name without .json
    definition: SurveyDefinition


@cache
def templates() -> tuple[Template, ...]:
    """Every shipped template, by title."""
    found = [
        Template(path.stem, read_definition(path.read_bytes()))
        for path in DIRECTORY.glob("*.json")
        if path.name not in (BANK_FILE, SCHEMA_FILE)
    ]
    return tuple(sorted(found, key=lambda template: template.definition.title))


def template(slug: str) -> SurveyDefinition | None:
    return next((t.definition for t in templates() if t.slug == slug), None)


@cache
def question_bank() -> SurveyDefinition:
    """The demographic questions a planner can add to any survey."""
    return read_definition((DIRECTORY / BANK_FILE).read_bytes())
