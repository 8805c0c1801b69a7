"""A `consult serve` process that a test can kill (SIGKILL) and start again on the
same port and database, as a crash and a supervisor's restart would.

Starting one takes seconds (importing the app), most of a short test on a busy
machine; a test that restarts servers again and again forks them from a Zygote,
which has imported the app once (tests/durability/zygote.py)."""

from __future__ import annotations

import json
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


class Zygote:
    """The warm parent (tests/durability/zygote.py) of servers on one database, or
    on a database per server (`server(DATABASE_URL=...)`)."""

    def __init__(
        self,
        database_url: str,
        *,
        environment: dict[str, str] | None = None,
        stderr: int | None = subprocess.DEVNULL,
        **env: str,
    ) -> None:
        """`environment` replaces a durability Server's (background loops off);
        `stderr=None` lets the servers' logs through to this process's."""
        self.database_url = database_url
        server_env = Server(database_url, **env).env if environment is None else environment
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.durability.zygote"],
            cwd=ROOT,
            env={**server_env, "OPENBLAS_NUM_THREADS": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
        assert self.process.stdout is not None
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the zygote did not start")

    def fork(self, port: int, env: dict[str, str] | None = None) -> int:
        """A new `consult serve` on `port`, with `env` over the zygote's
        environment; its pid."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write(json.dumps({"port": port, "env": env or {}}) + "\n")
        self.process.stdin.flush()
        return int(self.process.stdout.readline())

    def server(self, **env: str) -> ForkedServer:
        """A server to start, with `env` over the zygote's environment."""
        return ForkedServer(self, env)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class ForkedServer:
    """A server the zygote forks: started in a moment, killed and started again."""

    def __init__(self, zygote: Zygote, env: dict[str, str] | None = None) -> None:
        self.zygote = zygote
        self.env = env or {}
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.pid: int | None = None

    def launch(self) -> ForkedServer:
        self.pid = self.zygote.fork(self.port, self.env)
        return self

    def start(self) -> ForkedServer:
        return self.launch().wait_until_healthy()

    def _alive(self) -> bool:
        if self.pid is None:
            return False
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def wait_until_healthy(self, timeout_s: float = STARTUP_S) -> ForkedServer:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self._alive():
                raise RuntimeError("the forked consult serve exited")
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError(f"consult serve did not answer /healthz within {timeout_s} s")

    def _signal_and_wait(self, signum: int, timeout_s: float) -> bool:
        if not self._alive():
            return True
        assert self.pid is not None
        os.kill(self.pid, signum)
        deadline = time.monotonic() + timeout_s
        while self._alive():
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, nothing is flushed that was not committed."""
        self._signal_and_wait(signal.SIGKILL, 10)

    def stop(self) -> None:
        if not self._signal_and_wait(signal.SIGTERM, 10):
            self.kill()
