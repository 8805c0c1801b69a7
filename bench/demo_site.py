"""The app with the Reykjavik demo loaded into a throw-away database: a SQLite file
in the run's directory, or a PostgreSQL database of the run's own (bench.db)."""

from __future__ import annotations

import os
import subprocess
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from bench import db
from bench.servers import (
    REPO_ROOT,
    VENV_BIN,
    consult_command,
    inherited_environment,
    running,
)

DEMO_SLUG = "reykjavik-needs-assessment"  # consult.demo.DEMO_SLUG
# CONSULT_SPIKE_PER_MINUTE while submissions are measured, as an operator sets it
# before a consultation is in the news: far above any benchmark's rate, so that no
# response is held for arriving in a crowd (and so skips the tally: a cheaper path).
# The counter is still kept, at the same cost; every other check is as shipped.
BENCH_SPIKE_PER_MINUTE = 10**9


@dataclass(frozen=True)
class DemoSite:
    directory: Path
    database_url: str = ""  # "" : the SQLite file in `directory`

    @property
    def database(self) -> Path:
        """The SQLite file (SQLite sites only)."""
        if not self.is_sqlite:
            raise ValueError("a PostgreSQL site has no database file")
        return self.directory / "consult.sqlite3"

    @property
    def is_sqlite(self) -> bool:
        return not self.database_url

    @property
    def url(self) -> str:
        return (
            f"sqlite:///{self.directory / 'consult.sqlite3'}"
            if self.is_sqlite
            else (self.database_url)
        )

    @property
    def engine(self) -> str:
        return "sqlite" if self.is_sqlite else "postgres"

    @property
    def env(self) -> dict[str, str]:
        """What `consult` reads (consult/settings.py)."""
        return {
            "DATABASE_URL": self.url,
            "CONSULT_VAR_DIR": str(self.directory / "var"),
            "CONSULT_SECRET_KEY": "bench-secret-key-not-for-production",
            "CONSULT_WORKERS": "1",
            # Off: each benchmark measures its own work, not the analysis of the
            # texts an earlier one queued (bench.text_job measures that work).
            "CONSULT_TEXT_WORKER": os.environ.get("BENCH_TEXT_WORKER", "0"),
            # On, as shipped: the submitters behave as distinct residents
            # (bench.submitters) and the benchmark reports any response held.
            "CONSULT_ABUSE_CHECKS": os.environ.get("BENCH_ABUSE_CHECKS", "1"),
            "PICCOLO_CONF": "consult.piccolo_conf",
        }

    def survey_id(self) -> int:
        found = db.rows(
            self.url,
            "SELECT survey.id FROM survey JOIN consultation"
            " ON survey.consultation = consultation.id"
            " WHERE consultation.slug = ? ORDER BY survey.id LIMIT 1",
            (DEMO_SLUG,),
        )
        if not found:
            raise RuntimeError("the demo consultation has no survey")
        return int(found[0][0])

    def survey_path(self) -> str:
        """The resident's form of the demo's (first) survey."""
        return f"/c/{DEMO_SLUG}/surveys/{self.survey_id()}"

    def stored_counts(self) -> tuple[int, int, int]:
        """(responses, answers, questions) now in the database."""
        ((responses, answers, questions),) = db.rows(
            self.url,
            "SELECT (SELECT count(*) FROM response), (SELECT count(*) FROM answer),"
            " (SELECT count(*) FROM question)",
        )
        return int(responses), int(answers), int(questions)

    def serving(self, port: int, env: dict[str, str] | None = None) -> AbstractContextManager[None]:
        """`consult serve`, one process, exactly as shipped."""
        log = self.directory / "consult-serve.log"
        return running(consult_command(port), env or self.env, port, "/healthz", log)

    def taking_submissions(self, port: int, workers: int) -> AbstractContextManager[None]:
        """`consult serve --workers N` with the spike limit raised (several workers on
        PostgreSQL only, as `consult serve` insists)."""
        log = self.directory / f"consult-{workers}-workers.log"
        env = {**self.env, "CONSULT_SPIKE_PER_MINUTE": str(BENCH_SPIKE_PER_MINUTE)}
        return running(consult_command(port, workers), env, port, "/healthz", log)


def prepare(directory: Path, database_url: str = "") -> DemoSite:
    """`consult migrate` then `consult demo`, exactly as an operator would run them."""
    directory.mkdir(parents=True, exist_ok=True)
    site = DemoSite(directory, database_url)
    for command in ("migrate", "demo"):
        completed = subprocess.run(
            [str(VENV_BIN / "consult"), command],
            cwd=REPO_ROOT,
            env={**inherited_environment(), **site.env},
            check=False,
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"`consult {command}` failed:\n{completed.stderr}")
    return site
