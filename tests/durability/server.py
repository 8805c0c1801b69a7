"""A `consult serve` process that a test can kill (SIGKILL) and start again on the
same port and database, as a crash and a supervisor's restart would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from tests.browser.live_server import _free_port, _wait_until_healthy
from tests.conftest import ROOT


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
        self.process = subprocess.Popen(
            [sys.executable, "-m", "consult.cli", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_healthy(self.base_url, self.process)
        return self

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
