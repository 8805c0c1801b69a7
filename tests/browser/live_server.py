"""A free loopback port for a server, and the `consult` command as an operator runs it.

The browser tests' servers are forked from a warm parent (tests/browser/conftest.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def consult_command(*args: str, database_url: str) -> None:
    """Run the `consult` command as an operator would (e.g. `demo`)."""
    subprocess.run(
        [sys.executable, "-m", "consult.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )
