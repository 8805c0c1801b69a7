"""`python -m bench.load_test` (`make bench-load`): a thousand residents at once.

Against one process on SQLite and two workers on PostgreSQL (when a server
answers at BENCH_POSTGRES_URL), each with the demo loaded into a database of the
run's own, bench.crowd simulates 1,000 concurrent respondents on loopback, each
from its own address with its own browser, answering the demo survey page by page
with a person's pauses, for a bounded few minutes (BENCH_LOAD_SECONDS, 200 by
default; BENCH_LOAD_RESPONDENTS and BENCH_LOAD_ENGINES=sqlite,postgres too).
Abuse checks are on as shipped, with CONSULT_SPIKE_PER_MINUTE raised as an operator
raises it before a consultation is in the news (a thousand people answering at once
are a spike by the default limit); what the default would have held is printed.

Printed per engine: p50, p90 and p99 of each step (start page, consent, question
page, answer sent, "Check your answers", submission, thank-you page) and its
errors; then every acknowledged submission is looked up in the database: stored,
whole, and not held for review. Targets: p90 under 1 s and p99 under 2 s for every
step, no failed or lost submission. One JSON line per engine on stdout; the exit
status is 1 when a target is missed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bench import db, demo_site
from bench.crowd import CrowdPlan
from bench.demo_site import DemoSite
from bench.measurement import say
from bench.servers import HOST, REPO_ROOT, free_port
from bench.stored import check_stored, spike_held

RESPONDENTS = int(os.environ.get("BENCH_LOAD_RESPONDENTS", "1000"))
SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "200"))
ENGINES = os.environ.get("BENCH_LOAD_ENGINES", "sqlite,postgres").split(",")
P90_TARGET_MS = 1000.0
P99_TARGET_MS = 2000.0
STEPS = ("start", "begin", "page", "answer", "check", "submit", "thanks")


def _crowd(plan: CrowdPlan) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.crowd", json.dumps(asdict(plan))],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=plan.seconds + 300,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the load client failed:\n{completed.stderr}")
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def _report(name: str, result: dict[str, Any], site: DemoSite) -> tuple[dict[str, Any], list[str]]:
    missed: list[str] = []
    header = ("count", "p50 ms", "p90 ms", "p99 ms", "max ms")
    say(f"  {'step':<8} {header[0]:>7} " + " ".join(f"{h:>8}" for h in header[1:]) + "  errors")
    for step in STEPS:
        figures = result["steps"].get(step)
        if figures is None:
            continue
        say(
            f"  {step:<8} {figures['count']:>7} {figures['p50_ms']:>8.1f} {figures['p90_ms']:>8.1f}"
            f" {figures['p99_ms']:>8.1f} {figures['max_ms']:>8.1f}  {figures['errors'] or ''}"
        )
        if figures["p90_ms"] > P90_TARGET_MS or figures["p99_ms"] > P99_TARGET_MS:
            missed.append(f"{step}: p90 {figures['p90_ms']} ms, p99 {figures['p99_ms']} ms")
        if figures["errors"]:
            missed.append(f"{step}: errors {figures['errors']}")
    acknowledged = [tuple(entry) for entry in result["acknowledged"]]
    stored = check_stored(site.url, acknowledged)  # type: ignore[arg-type]
    would_hold = spike_held([moment for _, _, moment in acknowledged])  # type: ignore[misc]
    say(
        f"  journeys: {result['journeys_started']} begun, {result['journeys_completed']} sent, "
        f"{result['journeys_unfinished']} under way at the end; {result['corrected_pages']} "
        f"pages corrected after an error message; load client {result['client_cpu_share']:.0%} "
        f"of a core"
    )
    say(
        f"  submissions: {stored.acknowledged} acknowledged, {stored.stored} stored, "
        f"{stored.missing} missing, {stored.wrong_answers} incomplete, "
        f"{result['failed_submissions']} failed, {stored.held_total} held for review "
        f"{dict(stored.held) or ''}; the shipped spike limit would have held {would_hold}"
    )
    if not stored.acknowledged:
        missed.append("no resident finished the survey: run longer (BENCH_LOAD_SECONDS)")
    if not stored.whole or result["failed_submissions"]:
        missed.append(f"submissions failed or lost: {stored.summary()}")
    if stored.held_total:
        missed.append(f"{stored.held_total} residents held for review: {dict(stored.held)}")
    line = {
        "name": name,
        "respondents": RESPONDENTS,
        "seconds": round(result["seconds"]),
        "steps": result["steps"],
        "journeys_started": result["journeys_started"],
        "journeys_completed": result["journeys_completed"],
        "journeys_unfinished": result["journeys_unfinished"],
        "corrected_pages": result["corrected_pages"],
        "failed_submissions": result["failed_submissions"],
        **stored.summary(),
        "spike_held_if_shipped": would_hold,
        "client_cpu_share": round(result["client_cpu_share"], 2),
        "targets_met": not missed,
    }
    return line, missed


def _run(site: DemoSite, name: str, workers: int, lane: int) -> list[str]:
    port = free_port()
    say(
        f"{name}: {RESPONDENTS} residents at once for {SECONDS:.0f} s, {workers} app "
        f"process(es) on {site.engine}"
    )
    with site.taking_submissions(port, workers):
        plan = CrowdPlan(HOST, port, site.survey_path(), lane, RESPONDENTS, SECONDS)
        result = _crowd(plan)
    line, missed = _report(name, result, site)
    print(json.dumps(line), flush=True)
    for message in missed:
        say(f"  MISSED: {message}")
    return missed


def main() -> int:
    started = time.monotonic()
    missed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="consult-load-") as directory:
        workdir = Path(directory)
        if "sqlite" in ENGINES:
            say("Preparing the app: consult migrate, consult demo (temporary SQLite)")
            site = demo_site.prepare(workdir / "site")
            missed += _run(site, "load_test_sqlite", 1, lane=1)
        if "postgres" not in ENGINES:
            pass
        elif not db.postgres_reachable():
            say(f"PostgreSQL does not answer at {db.postgres_admin_url()}: skipped")
        else:
            with db.postgres_database("load") as url:
                say("Preparing the app on PostgreSQL: consult migrate, consult demo")
                pg_site = demo_site.prepare(workdir / "pg-site", url)
                missed += _run(pg_site, "load_test_postgres_2_workers", 2, lane=2)
    say(f"Done in {time.monotonic() - started:.0f} s")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
