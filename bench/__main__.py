"""`python -m bench` (`make bench`): one JSON line per benchmark on stdout.

Everything runs in a temporary directory that is removed afterwards; nothing is
written into the work tree.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench import demo_site, export_workbook, results_page, scenarios, text_analysis, text_job

BENCHMARKS = {
    "question_page": scenarios.question_page,
    "question_page_rendered": scenarios.question_page_rendered,
    "submission": scenarios.submission,
    # Seeds 100,000 responses into the site: after the benchmarks that need it small.
    "results_page": results_page.results_page,
    "text_pipeline": text_analysis.text_pipeline,
    "text_job": text_job.text_job,
    # Adds a survey of its own with 100,000 responses: last.
    "export_workbook": export_workbook.export_workbook,
}


def main(names: list[str]) -> int:
    """Run the benchmarks named (all of them by default: `python -m bench [NAME ...]`)."""
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        scenarios.say(f"unknown benchmark {sorted(unknown)}; choose from {sorted(BENCHMARKS)}")
        return 2
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as directory:
        workdir = Path(directory)
        scenarios.explain_method()
        scenarios.say("Preparing the app: consult migrate, consult demo (temporary SQLite)")
        site = demo_site.prepare(workdir / "site")
        for name, benchmark in BENCHMARKS.items():
            if not names or name in names:
                print(benchmark(site, workdir).json_line(), flush=True)
    scenarios.say(f"Done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
