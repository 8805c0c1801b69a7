"""A `consult serve` process that a test can kill (SIGKILL) and start again on the
same port and database, as a crash and a supervisor's restart would.

Starting one takes seconds (importing the app), most of a short test on a busy
machine; so a test starts a few side by side and moves the load from one to the
next as it kills them, as a load balancer in front of several would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx

from tests.browser.live_server import _free_port
from tests.conftest import ROOT

# Importing the app takes seconds, and more on a machine busy with other tests.
STARTUP_S = 90.0


class Server:
    def __init__(self, database_url: str, **env: str) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "CONSULT_WORKERS": "1",
            # One address sends everything: the abuse checks would rightly hold it.
            "CONSULT_ABUSE_CHECKS": "0",
            # The background loops are not what is tested; they would only compete.
            "CONSULT_TEXT_WORKER": "0",
            "CONSULT_JOB_WORKER": "0",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        """Start it and wait until it answers."""
        return self.launch().wait_until_healthy()

    def launch(self) -> Server:
        """Start it without waiting (several start faster side by side)."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "consult.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return self

    def wait_until_healthy(self, timeout_s: float = STARTUP_S) -> Server:
        assert self.process is not None, "launch() first"
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"consult serve exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError(f"consult serve did not answer /healthz within {timeout_s} s")

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed that was not committed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
