"""The question page and the submission: each measures the app and its baseline in
the same run.

Both servers of a benchmark run side by side (one of them idle at any moment)
while the load client alternates between them; see bench.loadgen.
"""

from __future__ import annotations

import itertools
import os
import urllib.request
from contextlib import ExitStack
from pathlib import Path

from bench import db, insert_app, page_app
from bench.demo_site import DemoSite
from bench.journey import walk
from bench.loadgen import LoadPlan, LoadResult, Target, run_load
from bench.measurement import Measurement, problem, say
from bench.servers import HOST, free_port, running, uvicorn_command
from bench.stored import check_stored, spike_held

# Clients a page benchmark keeps busy (the target: p99 under 50 ms at 64).
CONCURRENCY = 64
# And a submission benchmark: 32, as before, since more only queue on the writer
# (and stock Piccolo's SQLite baseline starts failing "database is locked").
SUBMIT_CONCURRENCY = 32
WARMUP_S = 2.0
ROUNDS = 5
PAGE_SLICE_S = 2.0  # per round and side: 10 s measured for each of app and baseline
SUBMIT_SLICE_S = 2.0
# The demo's page 3 ("Where did you see or hear it?") is shown only to those who
# answered page 2 "Yes": a page with a display condition, reached after consent
# and two pages, so its visitor has a session and a draft.
CONDITIONAL_PAGE_FORMS = 3
CONDITIONAL_QUESTION = "Where did you see or hear it?"
# The bare page has this many questions: about the size of the app's page.
BASELINE_QUESTIONS = 3
# Browsers prepared for a submission run: enough for this rate for the whole run
# (warm-up and slices), or for half as much again as the engine's last run took;
# a run that used them all says so (its figure is then too low).
MOST_SUBMISSIONS_PER_S = int(os.environ.get("BENCH_MOST_SUBMISSIONS_PER_S", "1800"))
_last_rate: dict[str, float] = {}
# surveys.abuse.SECONDS_PER_PAGE: the least time a person takes a page.
SECONDS_PER_PAGE = 3
# Lanes (bench.lanes) of the run: none used twice against one database.
_lanes = itertools.count(1)


def explain_method() -> None:
    say(
        f"Each benchmark runs the app and its baseline side by side and drives them with "
        f"one load client process: {CONCURRENCY} connections ({SUBMIT_CONCURRENCY} for "
        f"submissions), {WARMUP_S:.0f} s warm-up "
        f"each, then {ROUNDS} rounds of alternating slices, so both see the same "
        "background load. Abuse checks are on; the submitters are distinct residents."
    )


def describe(label: str, result: LoadResult) -> None:
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


def _plan(targets: list[Target], slice_s: float, concurrency: int = CONCURRENCY) -> LoadPlan:
    return LoadPlan(
        host=HOST,
        targets=targets,
        concurrency=concurrency,
        warmup_s=WARMUP_S,
        slice_s=slice_s,
        rounds=ROUNDS,
    )


# How each variant of the question page is served: what `consult` reads.
PAGE_VARIANTS = {
    # As in production: an unanswered page from the worker's rendered copy.
    "question_page": {},
    # Rendered on every request, the survey's definition still cached.
    "question_page_rendered": {"CONSULT_PAGE_CACHE": "0"},
    # Nothing cached: the definition read and the page rendered on every request,
    # as the baseline renders its page: rendering against rendering.
    "question_page_uncached": {"CONSULT_DEFINITION_CACHE_SECONDS": "0"},
}


def question_page(name: str, site: DemoSite, workdir: Path) -> Measurement:
    """GET a question page with a display condition, as a resident who has consented
    and answered two pages sees it, vs a bare Litestar + Jinja page of about its size."""
    env = {**site.env, **PAGE_VARIANTS[name]}
    settings = " ".join(f"{k}={v}" for k, v in PAGE_VARIANTS[name].items()) or "as shipped"
    say(
        f"{name}: a survey page with a display condition ({settings}) vs a bare "
        "Litestar + Jinja page"
    )
    survey_path = site.survey_path()
    app_port, baseline_port = free_port(), free_port()
    baseline_command = uvicorn_command("bench.page_app:create_app", baseline_port)
    baseline_env = {page_app.QUESTIONS_ENV: str(BASELINE_QUESTIONS)}
    with ExitStack() as servers:
        servers.enter_context(site.serving(app_port, env))
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
    describe("app", app)
    describe("baseline", baseline)
    _describe_client(app)
    return Measurement(
        name,
        app.per_second,
        "req/s",
        baseline.per_second,
        app.p99_ms,
        baseline.p99_ms,
        {"concurrency": CONCURRENCY},
    )


def _baseline_target(site: DemoSite, workdir: Path) -> str:
    """Where the bare insert writes: a file of its own, or the run's PostgreSQL database
    (its table made here, before two workers could race to make it)."""
    if site.is_sqlite:
        path = workdir / f"insert-baseline-{next(_lanes)}.sqlite3"
        path.unlink(missing_ok=True)
        return str(path)
    db.rows(site.url, "DROP TABLE IF EXISTS bench_submission")
    db.rows(
        site.url,
        "CREATE TABLE bench_submission (id SERIAL PRIMARY KEY,"
        " idempotency_key VARCHAR(64) NOT NULL UNIQUE, answer TEXT NOT NULL DEFAULT '')",
    )
    return site.url


def _baseline_rows(site: DemoSite, target: str) -> int:
    url = target if not site.is_sqlite else f"sqlite:///{target}"
    return int(db.rows(url, "SELECT count(*) FROM bench_submission")[0][0])


def submission(site: DemoSite, workdir: Path, workers: int) -> Measurement:
    """Residents' submissions of the demo survey (every answer in one form, stored in
    one transaction) vs one-row inserts by stock Piccolo on the same engine, both
    with `workers` processes."""
    name = f"submission_{site.engine}" + (f"_{workers}_workers" if workers > 1 else "")
    say(
        f"{name}: {SUBMIT_CONCURRENCY} clients sending distinct residents' 'Check your answers' "
        f"(varied answers, abuse checks on), app vs a stock Piccolo insert, {workers} "
        f"process(es) each, {site.engine}"
    )
    app_port, baseline_port = free_port(), free_port()
    target = _baseline_target(site, workdir)
    survey_path = site.survey_path()
    pages = site.stored_counts()[2]  # at most one page a question
    run_s = WARMUP_S + ROUNDS * SUBMIT_SLICE_S
    rate = min(MOST_SUBMISSIONS_PER_S, 1.5 * _last_rate.get(name, MOST_SUBMISSIONS_PER_S) + 100)
    browsers = int(rate * run_s)
    baseline_command = uvicorn_command("bench.insert_app:create_app", baseline_port, workers)
    with ExitStack() as servers:
        servers.enter_context(site.taking_submissions(app_port, workers))
        servers.enter_context(
            running(
                baseline_command,
                {insert_app.DATABASE_ENV: target},
                baseline_port,
                insert_app.FORM_PATH,
                workdir / "insert.log",
            )
        )
        before = site.stored_counts()[0]
        app, baseline = run_load(
            _plan(
                [
                    Target(
                        app_port,
                        "submit",
                        survey_path,
                        303,
                        lane=next(_lanes),
                        browsers=browsers,
                        min_age_s=SECONDS_PER_PAGE * pages + 1,
                    ),
                    Target(
                        baseline_port,
                        "post",
                        insert_app.FORM_PATH,
                        303,
                        lane=next(_lanes),
                        # Nothing to prepare: room for a baseline far faster than the app.
                        browsers=3 * browsers,
                        answers_from=0,
                        form_action=insert_app.SUBMIT_PATH,
                    ),
                ],
                SUBMIT_SLICE_S,
                SUBMIT_CONCURRENCY,
            )
        )
    say(f"  prepared {app.prepared} browsers in {app.prepare_s:.0f} s")
    describe("app", app)
    describe("baseline", baseline)
    _describe_client(app)
    stored = check_stored(site.url, app.acknowledged)
    would_hold = spike_held([moment for _, _, moment in app.acknowledged])
    say(
        f"  app: {stored.acknowledged} acknowledged, {stored.stored} stored, "
        f"{stored.missing} missing, {stored.wrong_answers} with other answers than sent, "
        f"{stored.held_total} held for review {dict(stored.held) or ''}; the shipped "
        f"spike limit (60 a minute a survey) would have held {would_hold}"
    )
    if not stored.whole:
        problem(f"{name}: acknowledged submissions missing or incomplete: {stored.summary()}")
    if stored.held_total:
        problem(f"{name}: {stored.held_total} residents' submissions held for review")
    rows = _baseline_rows(site, target)
    if rows != baseline.ok_total:
        problem(f"{name}: the baseline acknowledged {baseline.ok_total}, stored {rows}")
    if app.exhausted or baseline.exhausted:
        problem(f"{name}: the prepared browsers ran out (raise MOST_SUBMISSIONS_PER_S)")
    _last_rate[name] = max(app.per_second, baseline.per_second)
    answers = sum(atoms for _, atoms, _ in app.acknowledged) / max(1, len(app.acknowledged))
    return Measurement(
        name,
        app.per_second,
        "responses/s",
        baseline.per_second,
        app.p99_ms,
        baseline.p99_ms,
        {
            "workers": workers,
            "concurrency": SUBMIT_CONCURRENCY,
            "baseline_failures": baseline.failures,
            "answers_per_response": round(answers, 1),
            "stored_before": before,
            **stored.summary(),
            "spike_held_if_shipped": would_hold,
        },
    )
