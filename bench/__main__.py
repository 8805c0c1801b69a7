"""`python -m bench` (`make bench`): one JSON line per benchmark on stdout.

The demo survey is measured at 10,000 and at 100,000 stored responses (seeded
through bench.seed's fast path), so each sized benchmark prints its figures at
both and how they grew (bench.measurement.Growth): the question page (as shipped,
rendered on every request, nothing cached), submissions on SQLite (one process)
and on PostgreSQL (two workers, when a server answers at BENCH_POSTGRES_URL), and
the results page. The text pipeline, the text job and the workbook follow, each
with its own sizes. `python -m bench NAME ...` runs some of them.

Everything runs in a temporary directory (and a PostgreSQL database of the run's
own) that is removed afterwards; nothing is written into the work tree. The exit
status is 1 when a benchmark found a broken promise (bench.measurement.PROBLEMS).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench import db, demo_site, export_workbook, results_page, scenarios, text_analysis, text_job
from bench.demo_site import DemoSite
from bench.measurement import PROBLEMS, SIZES, Growth, Measurement, say
from bench.seed import seed_site

PG_WORKERS = 2

Sized = Callable[[DemoSite, Path], Measurement]
# Measured at each size on the SQLite site, in this order: the results page before
# the submissions add their thousands.
SQLITE_SIZED: dict[str, Sized] = {
    "results_page": results_page.results_page,
    **{
        name: (lambda site, workdir, name=name: scenarios.question_page(name, site, workdir))
        for name in scenarios.PAGE_VARIANTS
    },
    "submission_sqlite": lambda site, workdir: scenarios.submission(site, workdir, 1),
}
POSTGRES_SIZED: dict[str, Sized] = {
    "submission_postgres": lambda site, workdir: scenarios.submission(site, workdir, PG_WORKERS),
}
# With sizes of their own (or none: pure code).
UNSIZED = {
    "text_pipeline": text_analysis.text_pipeline,
    "text_job": text_job.text_job,
    # Adds a survey of its own with 100,000 responses: last.
    "export_workbook": export_workbook.export_workbook,
}
ALL = [*SQLITE_SIZED, *POSTGRES_SIZED, *UNSIZED]


def _seed_to(site: DemoSite, size: int) -> None:
    survey_id = site.survey_id()
    ((stored,),) = db.rows(site.url, "SELECT count(*) FROM response WHERE survey = ?", (survey_id,))
    if stored < size:
        started = time.monotonic()
        seed_site(site.url, survey_id, size - int(stored), seed=size)
        say(f"Seeded the demo survey to {size} responses in {time.monotonic() - started:.0f} s")


def _sized(site: DemoSite, workdir: Path, benchmarks: dict[str, Sized]) -> None:
    figures: dict[str, list[Measurement]] = {name: [] for name in benchmarks}
    for size in SIZES:
        _seed_to(site, size)
        for name, benchmark in benchmarks.items():
            figures[name].append(benchmark(site, workdir))
    for name, measured in figures.items():
        if len(measured) == 1:
            print(measured[0].json_line(), flush=True)
            continue
        growth = Growth(name, measured[0], measured[-1], SIZES[0], SIZES[-1])
        growth.describe()
        print(growth.json_line(), flush=True)


def main(names: list[str]) -> int:
    """Run the benchmarks named (all of them by default: `python -m bench [NAME ...]`)."""
    unknown = set(names) - set(ALL)
    if unknown:
        say(f"unknown benchmark {sorted(unknown)}; choose from {ALL}")
        return 2
    wanted = set(names or ALL)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as directory:
        workdir = Path(directory)
        scenarios.explain_method()
        say("Preparing the app: consult migrate, consult demo (temporary SQLite)")
        site = demo_site.prepare(workdir / "site")
        sqlite_sized = {n: b for n, b in SQLITE_SIZED.items() if n in wanted}
        if sqlite_sized:
            _sized(site, workdir, sqlite_sized)
        postgres_sized = {n: b for n, b in POSTGRES_SIZED.items() if n in wanted}
        if postgres_sized and not db.postgres_reachable():
            say(
                f"PostgreSQL does not answer at {db.postgres_admin_url()}: skipped {postgres_sized}"
            )
        elif postgres_sized:
            with db.postgres_database("site") as url:
                say("Preparing the app on PostgreSQL: consult migrate, consult demo")
                _sized(demo_site.prepare(workdir / "pg-site", url), workdir, postgres_sized)
        for name, benchmark in UNSIZED.items():
            if name in wanted:
                print(benchmark(site, workdir).json_line(), flush=True)
    say(f"Done in {time.monotonic() - started:.0f} s")
    for message in PROBLEMS:
        say(f"PROBLEM: {message}")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
