"""Baseline for the question page: bare Litestar rendering a Jinja page, no database.

Served by uvicorn exactly as the app is (1 worker, no access log). The page has the
shape of a survey page (questions of radio buttons) and about the measured app
page's size (BENCH_PAGE_QUESTIONS questions, set by the benchmark), but no
middleware, no session, no CSRF, no translations and no query.
"""

from __future__ import annotations

import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_PATH = "/page"
QUESTIONS_ENV = "BENCH_PAGE_QUESTIONS"
OPTIONS_PER_QUESTION = 5


def _question(number: int) -> dict[str, object]:
    return {
        "name": f"q{number}",
        "text": f"Question {number}: how safe do you feel in your neighbourhood?",
        "help": "Choose one answer.",
        "options": [
            {"id": number * 100 + index, "label": f"Answer {index}"}
            for index in range(1, OPTIONS_PER_QUESTION + 1)
        ],
    }


def _context(questions: int) -> dict[str, object]:
    # Built once, like the app's cached survey definition.
    return {
        "title": "A survey page of similar size",
        "intro": "Short questions, rendered from a template like the app's survey page.",
        "footer": "Nothing here is stored.",
        "questions": [_question(number) for number in range(1, questions + 1)],
    }


CONTEXT = _context(int(os.environ.get(QUESTIONS_ENV, "3")))


@get(PAGE_PATH, sync_to_thread=False)
def page() -> Template:
    return Template("baseline_page.html", context=CONTEXT)


def create_app() -> Litestar:
    # Whitespace and escaping as the app's environment has them (consult/templating.py).
    environment = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Litestar(
        route_handlers=[page],
        template_config=TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment)),
    )
