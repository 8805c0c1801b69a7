"""The text job at city scale: what analysing 1,000 new answers costs when 10,000
and when 100,000 responses are stored already (and analysed), measured as the
operator would run it (`consult analyse`, which times its own work).

The issue's promise is that adding 1,000 answers costs the work for 1,000: the
figure is the job's answers/s for the last 1,000 at 100,000 stored, against the
same at 10,000 (a ratio near 1: no growth with stored data). Each run of the job
includes loading the language models (a few seconds), as every fresh process does.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from bench import demo_site
from bench.demo_site import DemoSite
from bench.scenarios import Measurement, say
from bench.seed import seed_responses
from bench.servers import REPO_ROOT, VENV_BIN, inherited_environment

SIZES = (10_000, 100_000)
INCREMENT = 1_000
_ANALYSED = re.compile(r"Analysed (\d+) text answers in ([\d.]+) s")


def _analyse(site: DemoSite) -> tuple[int, float]:
    """`consult analyse` on the site: (answers analysed, seconds of work)."""
    completed = subprocess.run(
        [str(VENV_BIN / "consult"), "analyse"],
        cwd=REPO_ROOT,
        env={**inherited_environment(), **site.env},
        check=True,
        capture_output=True,
        text=True,
    )
    found = _ANALYSED.search(completed.stdout)
    if found is None:
        raise AssertionError(f"`consult analyse` said: {completed.stdout}{completed.stderr}")
    return int(found.group(1)), float(found.group(2))


def text_job(site: DemoSite, workdir: Path) -> Measurement:
    say(
        f"text_job: `consult analyse` on {INCREMENT} new responses' text answers with "
        f"{SIZES} responses stored and analysed already"
    )
    site = demo_site.prepare(workdir / "text-site")
    _analyse(site)  # the demo's own answers
    survey_id = int(site.survey_path().rsplit("/", 1)[1])
    stored = 0
    per_second: dict[int, float] = {}
    for size in SIZES:
        seed_responses(
            site.database, survey_id, size - stored - INCREMENT, seed=size, queue_text=True
        )
        bulk, bulk_s = _analyse(site)
        seed_responses(site.database, survey_id, INCREMENT, seed=size + 1, queue_text=True)
        new, new_s = _analyse(site)
        stored = size
        per_second[size] = new / new_s
        say(
            f"  at {size}: the {bulk} text answers before took {bulk_s:.1f} s "
            f"({bulk / bulk_s:.0f}/s); the last {INCREMENT} responses' {new} took "
            f"{new_s:.2f} s ({new / new_s:.0f}/s)"
        )
    small, large = per_second[SIZES[0]], per_second[SIZES[-1]]
    say(f"  growth {SIZES[0]} -> {SIZES[-1]}: cost of the same new answers x{small / large:.2f}")
    return Measurement("text_job_new_answers_at_100k", large, "answers/s", small, None, None)
