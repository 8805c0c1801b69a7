"""The two benchmarks: each measures the app and its baseline in the same run.

Both servers of a benchmark run side by side (one of them idle at any moment)
while the load client alternates between them; see bench.loadgen.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import urllib.request
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import insert_app, page_app
from bench.demo_site import DemoSite
from bench.form import answer_atoms, read_form
from bench.journey import walk
from bench.loadgen import LoadPlan, LoadResult, Target, run_load
from bench.servers import HOST, free_port, running, uvicorn_command

CONCURRENCY = 32
WARMUP_S = 2.0
ROUNDS = 5
PAGE_SLICE_S = 2.0  # per round and side: 10 s measured for each of app and baseline
SUBMIT_SLICE_S = 2.5  # 12.5 s each
# The demo's page 3 ("Where did you see or hear it?") is shown only to those who
# answered page 2 "Yes": a page with a display condition, reached after consent
# and two pages, so its visitor has a session and a draft.
CONDITIONAL_PAGE_FORMS = 3
CONDITIONAL_QUESTION = "Where did you see or hear it?"
# The bare page has this many questions: about the size of the app's page.
BASELINE_QUESTIONS = 3


@dataclass(frozen=True)
class Measurement:
    name: str
    value: float
    unit: str
    baseline: float
    p99_ms: float | None  # None: a throughput of a batch job, with no per-request latency
    baseline_p99_ms: float | None

    def json_line(self) -> str:
        ratio = self.value / self.baseline if self.baseline else float("nan")
        return json.dumps(
            {
                "name": self.name,
                "value": round(self.value, 1),
                "unit": self.unit,
                "baseline": round(self.baseline, 1),
                "ratio": round(ratio, 3),
                "p99_ms": None if self.p99_ms is None else round(self.p99_ms, 1),
                "baseline_p99_ms": (
                    None if self.baseline_p99_ms is None else round(self.baseline_p99_ms, 1)
                ),
            }
        )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def explain_method() -> None:
    say(
        f"Each benchmark runs the app and its baseline side by side (uvicorn, 1 worker, "
        f"no access log) and drives them with one load client process: {CONCURRENCY} "
        f"keep-alive connections, {WARMUP_S:.0f} s warm-up each, then {ROUNDS} rounds "
        "of alternating slices, so both see the same background load."
    )


def _describe(label: str, result: LoadResult) -> None:
    say(
        f"  {label}: {result.per_second:.0f}/s, p50 {result.p50_ms:.1f} ms, "
        f"p99 {result.p99_ms:.1f} ms, max {result.max_ms:.1f} ms, "
        f"failures {result.failures or 'none'}"
    )


def _describe_client(result: LoadResult) -> None:
    say(f"  load client: {result.client_cpu_share:.0%} of one core")
    if result.client_cpu_share > 0.9:
        say("  (the load client used a whole core: it may have been the bottleneck)")


def _get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=5) as response:
        return response.read().decode("utf-8")


def _plan(targets: list[Target], slice_s: float) -> LoadPlan:
    return LoadPlan(
        host=HOST,
        targets=targets,
        concurrency=CONCURRENCY,
        warmup_s=WARMUP_S,
        slice_s=slice_s,
        rounds=ROUNDS,
    )


def question_page(site: DemoSite, workdir: Path) -> Measurement:
    """GET a question page with a display condition, as a resident who has consented
    and answered two pages sees it, vs a bare Litestar + Jinja page of about its size.
    The app serves the page from its rendered copy, as it does in production."""
    say(
        "question_page: a survey page with a display condition (session, conditions "
        "evaluated), served from the worker's rendered copy, vs a bare Litestar + Jinja page"
    )
    return _question_page("question_page", site, site.env, workdir)


def question_page_rendered(site: DemoSite, workdir: Path) -> Measurement:
    """The same, with the app rendering the page on every request
    (CONSULT_PAGE_CACHE=0), as the baseline does: rendering against rendering."""
    say("question_page_rendered: the same page rendered on every request (CONSULT_PAGE_CACHE=0)")
    return _question_page(
        "question_page_rendered", site, {**site.env, "CONSULT_PAGE_CACHE": "0"}, workdir
    )


def _question_page(name: str, site: DemoSite, env: dict[str, str], workdir: Path) -> Measurement:
    survey_path = site.survey_path()
    app_port, baseline_port = free_port(), free_port()
    baseline_command = uvicorn_command("bench.page_app:create_app", baseline_port)
    baseline_env = {page_app.QUESTIONS_ENV: str(BASELINE_QUESTIONS)}
    with ExitStack() as servers:
        servers.enter_context(site.serving(app_port))
        servers.enter_context(
            running(
                baseline_command,
                baseline_env,
                baseline_port,
                page_app.PAGE_PATH,
                workdir / "page.log",
            )
        )
        reached, html = walk(app_port, survey_path, CONDITIONAL_PAGE_FORMS)
        if CONDITIONAL_QUESTION not in html:
            raise AssertionError(f"the walk reached {reached}, not the conditional page")
        say(
            f"  measured page: {reached}; sizes: app {len(html.encode())} bytes, "
            f"baseline {len(_get(baseline_port, page_app.PAGE_PATH).encode())} bytes"
        )
        app, baseline = run_load(
            _plan(
                [
                    Target(app_port, "page", survey_path, 200, walk=CONDITIONAL_PAGE_FORMS),
                    Target(baseline_port, "page", page_app.PAGE_PATH, 200),
                ],
                PAGE_SLICE_S,
            )
        )
    _describe("app", app)
    _describe("baseline", baseline)
    _describe_client(app)
    return Measurement(
        name, app.per_second, "req/s", baseline.per_second, app.p99_ms, baseline.p99_ms
    )


def _check_app_stored(
    site: DemoSite, before: tuple[int, int, int], accepted: int, atoms: int
) -> None:
    """Every 303 the client saw is one stored response with every answer it sent."""
    responses, answers, questions = site.stored_counts()
    new_responses, new_answers = responses - before[0], answers - before[1]
    say(
        f"  app stored {new_responses} responses, {new_answers} answers "
        f"({questions} questions, {atoms} answers each)"
    )
    if new_responses != accepted or new_answers != accepted * atoms:
        raise AssertionError(
            f"the client saw {accepted} accepted submissions, the database holds "
            f"{new_responses} responses and {new_answers} answers"
        )


def _check_baseline_stored(database: Path, accepted: int) -> None:
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT count(*) FROM bench_submission").fetchone()[0]
    say(f"  baseline stored {rows} rows")
    if rows != accepted:
        raise AssertionError(f"the client saw {accepted} accepted inserts, the table holds {rows}")


def submission(site: DemoSite, workdir: Path) -> Measurement:
    """ "Check your answers" of the demo survey POSTed to the app (every answer in one
    form, stored in one transaction) vs one-row inserts by stock Piccolo."""
    say(
        f"submission: {CONCURRENCY} clients sending 'Check your answers', app vs a stock "
        "Piccolo insert"
    )
    app_port, baseline_port = free_port(), free_port()
    database = workdir / "insert-baseline.sqlite3"
    baseline_command = uvicorn_command("bench.insert_app:create_app", baseline_port)
    baseline_env = {insert_app.DATABASE_ENV: str(database)}
    with ExitStack() as servers:
        servers.enter_context(site.serving(app_port))
        servers.enter_context(
            running(
                baseline_command,
                baseline_env,
                baseline_port,
                insert_app.FORM_PATH,
                workdir / "insert.log",
            )
        )
        _, check = walk(app_port, site.survey_path(), -1)
        atoms = answer_atoms(read_form(check))
        before = site.stored_counts()
        app, baseline = run_load(
            _plan(
                [
                    Target(app_port, "submit", site.survey_path(), 303, walk=-1),
                    Target(baseline_port, "submit", insert_app.FORM_PATH, 303),
                ],
                SUBMIT_SLICE_S,
            )
        )
    _describe("app", app)
    _describe("baseline", baseline)
    _describe_client(app)
    _check_app_stored(site, before, app.ok_total, atoms)
    _check_baseline_stored(database, baseline.ok_total)
    return Measurement(
        "submission",
        app.per_second,
        "responses/s",
        baseline.per_second,
        app.p99_ms,
        baseline.p99_ms,
    )
