"""`python -m bench` (`make bench`): one JSON line per benchmark on stdout.

Everything runs in a temporary directory that is removed afterwards; nothing is
written into the work tree.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from bench import demo_site, scenarios


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as directory:
        workdir = Path(directory)
        scenarios.explain_method()
        scenarios.say("Preparing the app: consult migrate, consult demo (temporary SQLite)")
        site = demo_site.prepare(workdir / "site")
        for benchmark in (scenarios.question_page, scenarios.submission):
            print(benchmark(site, workdir).json_line(), flush=True)
    scenarios.say(f"Done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
