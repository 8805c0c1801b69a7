"""The app with the Reykjavik demo loaded into a throw-away SQLite database."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from bench.servers import REPO_ROOT, VENV_BIN, consult_command, inherited_environment, running

DEMO_SLUG = "reykjavik-needs-assessment"  # consult.demo.DEMO_SLUG


@dataclass(frozen=True)
class DemoSite:
    directory: Path

    @property
    def database(self) -> Path:
        return self.directory / "consult.sqlite3"

    @property
    def env(self) -> dict[str, str]:
        """What `consult` reads (consult/settings.py): an absolute sqlite:/// path."""
        return {
            "DATABASE_URL": f"sqlite:///{self.database}",
            "CONSULT_VAR_DIR": str(self.directory / "var"),
            "CONSULT_SECRET_KEY": "bench-secret-key-not-for-production",
            "CONSULT_WORKERS": "1",
            "CONSULT_TEXT_WORKER": os.environ.get("BENCH_TEXT_WORKER", "1"),
            # Thousands of responses a minute from one address: the abuse checks
            # would refuse them (surveys/abuse); their cost is measured on its own.
            "CONSULT_ABUSE_CHECKS": os.environ.get("BENCH_ABUSE_CHECKS", "0"),
            "PICCOLO_CONF": "consult.piccolo_conf",
        }

    def survey_path(self) -> str:
        """The resident's form of the demo's (only) survey."""
        with sqlite3.connect(self.database) as db:
            row = db.execute(
                "SELECT survey.id FROM survey JOIN consultation"
                " ON survey.consultation = consultation.id"
                " WHERE consultation.slug = ? ORDER BY survey.id LIMIT 1",
                (DEMO_SLUG,),
            ).fetchone()
        if row is None:
            raise RuntimeError("the demo consultation has no survey")
        return f"/c/{DEMO_SLUG}/surveys/{row[0]}"

    def stored_counts(self) -> tuple[int, int, int]:
        """(responses, answers, questions) now in the database."""
        with sqlite3.connect(self.database) as db:
            return (
                db.execute("SELECT count(*) FROM response").fetchone()[0],
                db.execute("SELECT count(*) FROM answer").fetchone()[0],
                db.execute("SELECT count(*) FROM question").fetchone()[0],
            )

    def serving(self, port: int, env: dict[str, str] | None = None) -> AbstractContextManager[None]:
        log = self.directory / "consult-serve.log"
        return running(consult_command(port), env or self.env, port, "/healthz", log)


def prepare(directory: Path) -> DemoSite:
    """`consult migrate` then `consult demo`, exactly as an operator would run them."""
    site = DemoSite(directory)
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
