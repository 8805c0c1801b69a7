"""A real `consult serve` process on a free loopback port, for the browser to visit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(base_url: str, server: subprocess.Popen[bytes]) -> None:
    # A loaded machine (two suites at once) may accept connections well before
    # the app answers: a read that times out is waited through like a refusal.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"consult serve exited with {server.returncode}")
        try:
            # Our own http:// URL, not user input.
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise RuntimeError("consult serve did not answer /healthz within 60 s")


def consult_command(*args: str, database_url: str) -> None:
    """Run the `consult` command as an operator would (e.g. `demo`)."""
    subprocess.run(
        [sys.executable, "-m", "consult.cli", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
    )


@contextmanager
def serving(database_url: str) -> Iterator[str]:
    """Serve the app on `database_url`; yields its base URL and stops it afterwards."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "CONSULT_WORKERS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "consult.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        # Its log goes to this process's output, which pytest shows for a failed test.
        stdout=None,
        stderr=None,
    )
    try:
        _wait_until_healthy(base_url, server)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
