"""Baseline for the question page: bare Litestar rendering a Jinja page, no database.

Served by uvicorn exactly as the app is (1 worker, no access log). The page has the
shape of a survey form (ten questions of radio buttons) and about the app page's
size, but no middleware, no session, no CSRF, no translations and no query.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from litestar import Litestar, get
from litestar.contrib.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_PATH = "/page"
QUESTIONS = 10
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


# Built once, like the app's cached survey definition.
CONTEXT = {
    "title": "A survey of similar size",
    "intro": "Ten short questions, rendered from a template like the app's survey page.",
    "footer": "Nothing here is stored.",
    "questions": [_question(number) for number in range(1, QUESTIONS + 1)],
}


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
