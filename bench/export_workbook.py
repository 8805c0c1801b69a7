"""The strategy-input workbook at city scale, against a bare openpyxl dump.

A survey of 20 questions (single and multiple choice, with "Other"; scales; two
matrices; a ranking; numbers; short and long text; age group, gender and district
from the question bank, so that the workbook breaks down by them; one indicator)
is added to the demo consultation and gets 10,000 and then 100,000 seeded
responses. At each size, in subprocesses of their own so that each peak RSS is its
own (VmHWM):

- app: analysis.strategy_inputs.write_workbook, the whole workbook from the
  database (every summary sheet, charts, the responses sheet with free text
  redacted). The seeded answers are history the text job has analysed, so their
  redaction is stored; what redacting them all on the fly would add (answers not
  yet analysed are) is measured apart and printed;
- baseline: openpyxl's write-only mode dumping the same cells into one sheet
  (`sheet.append(row)`, nothing else), the rows read back from a marshal file
  that a third, untimed process wrote from the app's own rows, so that the
  baseline pays neither for the database nor for making the cells.

Printed: both times and peak RSS, their ratio, and how each grew 10k -> 100k.
"""

from __future__ import annotations

import asyncio
import json
import marshal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.demo_site import DEMO_SLUG, DemoSite
from bench.measurement import SIZES, say
from bench.seed import seed_responses
from bench.servers import REPO_ROOT, inherited_environment
from bench.texts import DISTRICTS

SURVEY_TITLE = "Export benchmark: twenty questions"


def _options(*labels: str, other: bool = False, dont_know: bool = False) -> list[dict[str, Any]]:
    options: list[dict[str, Any]] = [{"label": label} for label in labels]
    if other:
        options.append({"label": "Something else", "other": True})
    if dont_know:
        options.append({"label": "Don't know", "dont_know": True})
    return options


SAFETY = ("Very unsafe", "Fairly unsafe", "Neither", "Fairly safe", "Very safe")
AGREE = ("Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree")
QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "feel_safe",
        "type": "scale",
        "text": "How safe do you feel after dark?",
        "options": _options(*SAFETY, dont_know=True),
    },
    {
        "key": "seen_hate",
        "type": "single_choice",
        "text": "Have you seen hate speech?",
        "options": _options("Yes, often", "Yes, sometimes", "No", "Not sure"),
    },
    {
        "key": "where_hate",
        "type": "multiple_choice",
        "text": "Where did you see it?",
        "options": _options(
            "Online", "Street", "School or work", "Sports", "Transport", other=True
        ),
    },
    {
        "key": "grounds",
        "type": "multiple_choice",
        "text": "What was it about?",
        "options": _options("Origin", "Religion", "Gender", "Sexuality", "Disability", "Age"),
    },
    {
        "key": "reported",
        "type": "single_choice",
        "text": "Did anyone report it?",
        "options": _options("Police", "School", "Online platform", "No", other=True),
    },
    {
        "key": "trust",
        "type": "matrix",
        "text": "How much do you trust them?",
        "options": _options("None", "Little", "Some", "Much", "Complete"),
        "statements": ["The police", "Schools", "The city", "Community groups"],
    },
    {
        "key": "agree",
        "type": "matrix",
        "text": "How far do you agree?",
        "options": _options(*AGREE),
        "statements": ["Hate is a problem here", "The city acts on it", "I know where to go"],
    },
    {
        "key": "priorities",
        "type": "ranking",
        "text": "Put these in order",
        "options": _options("Youth workers", "Lighting", "Reporting", "Schools", "Online"),
    },
    {
        "key": "strategy",
        "type": "scale",
        "text": "Does the city need a strategy?",
        "options": _options("Definitely not", "Probably not", "Maybe", "Probably", "Definitely"),
    },
    {
        "key": "times",
        "type": "number",
        "text": "How many times this year?",
        "min_number": 0,
        "max_number": 1000,
    },
    {"key": "first_word", "type": "short_text", "text": "One word for your district"},
    {"key": "what_happened", "type": "long_text", "text": "What happened?"},
    {
        "key": "age_band",
        "type": "single_choice",
        "text": "Your age group",
        "options": _options("Under 18", "18 to 29", "30 to 44", "45 to 64", "65 or over"),
    },
    {
        "key": "gender",
        "type": "single_choice",
        "text": "Your gender",
        "options": _options("Woman", "Man", "Non-binary", other=True),
    },
    {
        "key": "district",
        "type": "single_choice",
        "text": "Your district",
        "options": _options(*DISTRICTS[:8]),
    },
    {
        "key": "wellbeing",
        "type": "scale",
        "text": "How is life in your district?",
        "options": _options("Bad", "Poor", "Fair", "Good", "Very good"),
    },
    {
        "key": "helpers",
        "type": "multiple_choice",
        "text": "Who could help?",
        "options": _options("Youth clubs", "Sports clubs", "Mosques", "Churches", "Schools"),
    },
    {
        "key": "years_here",
        "type": "number",
        "text": "Years in the city",
        "min_number": 0,
        "max_number": 120,
    },
    {"key": "what_would_help", "type": "long_text", "text": "What would help?"},
    {"key": "anything_else", "type": "long_text", "text": "Anything else?"},
]


@dataclass(frozen=True)
class ExportMeasurement:
    """The workbook's seconds and peak RSS against the bare dump's, at each size."""

    figures: dict[int, dict[str, dict[str, float]]]  # size -> side -> seconds, rss_mb

    def json_line(self) -> str:
        large, small = self.figures[SIZES[-1]], self.figures[SIZES[0]]
        app, baseline = large["app"], large["baseline"]
        return json.dumps(
            {
                "name": "export_workbook_100k",
                "value": round(app["seconds"], 1),
                "unit": "s",
                "baseline": round(baseline["seconds"], 1),
                "ratio": round(app["seconds"] / baseline["seconds"], 3),
                "p99_ms": None,
                "baseline_p99_ms": None,
                "rss_mb": round(app["rss_mb"]),
                "baseline_rss_mb": round(baseline["rss_mb"]),
                "redact_on_the_fly_s": round(app["redact_s"], 1),
                "at_10k": {
                    "seconds": round(small["app"]["seconds"], 2),
                    "baseline_seconds": round(small["baseline"]["seconds"], 2),
                    "ratio": round(small["app"]["seconds"] / small["baseline"]["seconds"], 3),
                    "rss_mb": round(small["app"]["rss_mb"]),
                    "baseline_rss_mb": round(small["baseline"]["rss_mb"]),
                },
                "growth_10k_100k": round(app["seconds"] / small["app"]["seconds"], 2),
                "baseline_growth_10k_100k": round(
                    baseline["seconds"] / small["baseline"]["seconds"], 2
                ),
            }
        )


def _peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(site: DemoSite, *args: str) -> dict[str, Any]:
    """Run `python -m bench.export_workbook ARGS` against the site; its JSON answer."""
    completed = subprocess.run(
        [sys.executable, "-m", "bench.export_workbook", *args],
        cwd=REPO_ROOT,
        env={**inherited_environment(), **site.env, "CONSULT_TEXT_WORKER": "0"},
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.export_workbook {args[0]} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def export_workbook(site: DemoSite, workdir: Path) -> ExportMeasurement:
    """The workbook at 100,000 responses x 20 questions vs a bare write-only dump."""
    say(
        f"export_workbook: the strategy-input workbook (every sheet, from the database) vs "
        f"a bare openpyxl write-only dump of its response cells, each in a subprocess, at "
        f"{SIZES} responses x {len(QUESTIONS)} questions"
    )
    survey_id = int(_child(site, "create")["survey"])
    seeded = 0
    figures: dict[int, dict[str, dict[str, float]]] = {}
    for size in SIZES:
        result = seed_responses(
            site.database, survey_id, size - seeded, seed=size + 7, analysed=True
        )
        seeded = size
        say(f"  {size} responses ({result.answers} answers added)")
        rows = workdir / f"rows-{size}.marshal"
        _child(site, "rows", str(survey_id), str(rows))
        app = _child(site, "app", str(survey_id), str(workdir / f"app-{size}.xlsx"))
        baseline = _child(site, "baseline", str(rows), str(workdir / f"bare-{size}.xlsx"))
        rows.unlink()
        app["redact_s"] = _child(site, "redact", str(survey_id))["seconds"]
        if app["responses"] != size or baseline["responses"] != size:
            raise AssertionError(f"wrote {app['responses']} and {baseline['responses']} rows")
        figures[size] = {"app": app, "baseline": baseline}
        say(
            f"  at {size}: workbook {app['seconds']:.1f} s, peak RSS {app['rss_mb']:.0f} MB "
            f"({app['file_mb']:.1f} MB file); bare dump {baseline['seconds']:.1f} s, "
            f"{baseline['rss_mb']:.0f} MB ({baseline['file_mb']:.1f} MB); "
            f"ratio {app['seconds'] / baseline['seconds']:.2f}; redacting every text on the "
            f"fly instead would add {app['redact_s']:.1f} s"
        )
    small, large = figures[SIZES[0]], figures[SIZES[-1]]
    say(
        f"  growth {SIZES[0]} -> {SIZES[-1]}: workbook x"
        f"{large['app']['seconds'] / small['app']['seconds']:.1f}, bare dump x"
        f"{large['baseline']['seconds'] / small['baseline']['seconds']:.1f}"
    )
    return ExportMeasurement(figures)


# In the subprocesses -----------------------------------------------------------------


async def _create() -> int:
    """The benchmark's survey in the demo consultation, with one indicator."""
    from analysis.indicators import create_indicator
    from consult.services import consultations
    from surveys import builder, services
    from surveys.definition import read_definition

    consultation = await consultations.by_slug(DEMO_SLUG)
    assert consultation is not None, "the demo consultation is missing"
    definition = read_definition(
        json.dumps(
            {"schema": "consult-survey/1", "title": SURVEY_TITLE, "questions": QUESTIONS}
        ).encode()
    )
    survey_id = await builder.import_definition(consultation.id, definition)
    spec = await services.load_spec(survey_id)
    assert spec is not None
    feel_safe = spec.questions[0]
    await create_indicator(
        spec, feel_safe.id, "Feel unsafe after dark", [o.id for o in feel_safe.options[:2]]
    )
    return survey_id


async def _rows(survey_id: int, path: Path) -> int:
    """The app's own response rows (header first), batch by batch, into a marshal file."""
    from analysis import services, strategy_inputs
    from analysis.strategy_inputs import _words
    from consult import i18n
    from surveys import services as surveys

    spec = await surveys.load_spec(survey_id)
    assert spec is not None
    gettext = i18n.translations("en").gettext
    written = 0
    with path.open("wb") as out:
        header = (*_words.response_columns(gettext), *services.response_header(spec))
        marshal.dump([header], out)
        async for batch in services.response_batches(spec):
            marshal.dump(batch, out)
            written += len(batch)
    assert strategy_inputs  # the same package the app side writes with
    return written


def _redact(survey_id: int) -> float:
    """Seconds to redact every text answer of the survey on the fly."""
    from analysis.redact import redact
    from consult.settings import get_settings

    with sqlite3.connect(get_settings().sqlite_path) as db:
        texts = [
            row[0]
            for row in db.execute(
                "SELECT a.text FROM answer a JOIN response r ON r.id = a.response"
                " WHERE r.survey = ? AND a.text IS NOT NULL",
                (survey_id,),
            )
        ]
    started = time.perf_counter()
    for text in texts:
        redact(text)
    return time.perf_counter() - started


async def _app(survey_id: int, path: Path) -> int:
    from analysis.strategy_inputs import write_workbook

    return await write_workbook(survey_id, "en", path)


def _baseline(rows: Path, path: Path) -> int:
    """A bare write-only dump: one sheet, every row appended as it is."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Responses")
    written = -1  # the header
    with rows.open("rb") as source:
        while True:
            try:
                batch = marshal.load(source)  # noqa: S302 (our own file, just written)
            except EOFError:
                break
            for row in batch:
                sheet.append(row)
            written += len(batch)
    workbook.save(path)
    return written


def _main(command: str, *args: str) -> dict[str, Any]:
    if command == "create":
        return {"survey": asyncio.run(_create())}
    if command == "redact":
        return {"seconds": _redact(int(args[0]))}
    if command == "rows":
        return {"responses": asyncio.run(_rows(int(args[0]), Path(args[1])))}
    started = time.perf_counter()
    if command == "app":
        written = asyncio.run(_app(int(args[0]), Path(args[1])))
    elif command == "baseline":
        written = _baseline(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
    seconds = time.perf_counter() - started
    return {
        "responses": written,
        "seconds": seconds,
        "rss_mb": _peak_rss_mb(),
        "file_mb": Path(args[1]).stat().st_size / 1e6,
    }


if __name__ == "__main__":
    print(json.dumps(_main(*sys.argv[1:])), flush=True)
