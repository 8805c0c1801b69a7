"""The text job at city scale: what analysing 1,000 new responses' text answers
costs when 10,000 and when 100,000 responses are stored already (and analysed),
against a bare TextBlob sentiment loop over the same new texts.

The issue's promise is that adding 1,000 answers costs the work for 1,000: the
growth printed is the job's answers/s for the same number of new answers at
100,000 stored against 10,000 (near 1: no growth with stored data). The stored
history is seeded as the job leaves it (bench.seed's `analysed`: each answer's
redaction stored), not analysed here, which would take most of `make bench`; the
new answers are residents' own texts (bench.texts), in their languages and at
their lengths.

Both sides run warm, in a child process of their own, as the app's background
worker runs the job: first a few responses in every language (each language's
models load at its first answer, seconds each, once a process), then the timed
pass (analysis.jobs.analyse_all_pending, exactly what `consult analyse` and the
worker call) and the timed TextBlob(t).sentiment loop over the same texts.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import demo_site
from bench.demo_site import DemoSite
from bench.lanes import Lane
from bench.measurement import SIZES, Growth, Measurement, say
from bench.seed import seed_responses
from bench.servers import REPO_ROOT, inherited_environment
from bench.texts import LANGUAGES

INCREMENT = 1_000
# Responses whose texts cover every language of bench.texts (its counter's lowest
# digit is the language): the warm-up before anything is timed.
WARM_UP = 3 * len(LANGUAGES)
TEXT_LANE = Lane(20)  # never a load client's (bench.scenarios counts up from 1)


def _child(site: DemoSite, size: int) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.text_job", str(site.database), str(size)],
        cwd=REPO_ROOT,
        env={**inherited_environment(), **site.env},
        check=False,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"bench.text_job failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def text_job(site: DemoSite, workdir: Path) -> Growth:
    say(
        f"text_job: the text job (warm) on {INCREMENT} new responses' text answers with "
        f"{SIZES} responses stored and analysed already, vs TextBlob(t).sentiment alone"
    )
    del site  # a site of its own, whose history is analysed
    site = demo_site.prepare(workdir / "text-site")
    stored = site.stored_counts()[0]
    measured: list[Measurement] = []
    for size in SIZES:
        seed_responses(
            site.database, site.survey_id(), size - stored - INCREMENT, seed=size, analysed=True
        )
        stored = size
        found = _child(site, size)
        if found["answers"] != found["baseline_answers"]:
            raise AssertionError(f"the job and the baseline read other texts: {found}")
        say(
            f"  at {site.stored_counts()[0]} stored: the job took {found['seconds']:.2f} s for "
            f"the {found['answers']} new text answers ({found['answers'] / found['seconds']:.0f}"
            f"/s); TextBlob alone {found['baseline_seconds']:.2f} s "
            f"({found['answers'] / found['baseline_seconds']:.0f}/s); warming up took "
            f"{found['warm_up_s']:.1f} s"
        )
        measured.append(
            Measurement(
                "text_job",
                found["answers"] / found["seconds"],
                "answers/s",
                found["answers"] / found["baseline_seconds"],
                None,
                None,
                {"new_answers": found["answers"], "warm_up_s": round(found["warm_up_s"], 1)},
            )
        )
    growth = Growth("text_job", measured[0], measured[-1], SIZES[0], SIZES[-1])
    growth.describe()
    return growth


# In the child process --------------------------------------------------------------


def _texts(database: str, first_response: int) -> list[str]:
    with sqlite3.connect(database) as db:
        return [
            row[0]
            for row in db.execute(
                "SELECT text FROM answer WHERE response >= ? AND text IS NOT NULL",
                (first_response,),
            )
        ]


def _survey(database: str) -> tuple[int, int]:
    with sqlite3.connect(database) as db:
        survey = db.execute(
            "SELECT s.id FROM survey s JOIN consultation c ON c.id = s.consultation"
            " WHERE c.slug = ? ORDER BY s.id LIMIT 1",
            (demo_site.DEMO_SLUG,),
        ).fetchone()[0]
        responses = db.execute("SELECT coalesce(max(id), 0) FROM response").fetchone()[0]
    return int(survey), int(responses) + 1


def _child_main(database: str, size: str) -> dict[str, Any]:
    from textblob import TextBlob

    from analysis.jobs import analyse_all_pending

    survey_id, warm_first = _survey(database)
    seed_responses(
        Path(database),
        survey_id,
        WARM_UP,
        seed=int(size) + 2,
        queue_text=True,
        texts=TEXT_LANE.texts(int(size) + 2),
    )
    started = time.perf_counter()
    asyncio.run(analyse_all_pending())  # pending from before (the demo's) too
    for text in _texts(database, warm_first):
        TextBlob(text).sentiment  # noqa: B018 (its lexicon loaded)
    warm_up_s = time.perf_counter() - started
    _, first = _survey(database)
    seed_responses(
        Path(database),
        survey_id,
        INCREMENT,
        seed=int(size) + 1,
        queue_text=True,
        texts=TEXT_LANE.texts(int(size)),
    )
    started = time.perf_counter()
    answers = asyncio.run(analyse_all_pending())
    seconds = time.perf_counter() - started
    texts = _texts(database, first)
    started = time.perf_counter()
    for text in texts:
        TextBlob(text).sentiment  # noqa: B018 (the work measured)
    return {
        "answers": answers,
        "seconds": seconds,
        "baseline_answers": len(texts),
        "baseline_seconds": time.perf_counter() - started,
        "warm_up_s": warm_up_s,
    }


if __name__ == "__main__":
    print(json.dumps(_child_main(*sys.argv[1:])))
