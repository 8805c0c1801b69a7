"""Starting and stopping the servers under test as real subprocesses."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
STARTUP_TIMEOUT_S = 30.0


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def uvicorn_command(app_factory: str, port: int, workers: int = 1) -> list[str]:
    """A server as `consult serve` runs the app: uvicorn, no access log."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        app_factory,
        "--factory",
        "--host",
        HOST,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
    ]


def consult_command(port: int, workers: int = 1) -> list[str]:
    """`consult serve`, as an operator runs it."""
    return [
        *(str(VENV_BIN / "consult"), "serve", "--host", HOST, "--port", str(port)),
        *("--workers", str(workers)),
    ]


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, ready_path: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    url = f"http://{HOST}:{port}{ready_path}"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} at start")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {STARTUP_TIMEOUT_S} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()  # uvicorn shuts down gracefully on SIGTERM
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def inherited_environment() -> dict[str, str]:
    """Our environment less anything that would configure the app behind our back."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("CONSULT_") and name not in ("DATABASE_URL", "PICCOLO_CONF")
    }


@contextmanager
def running(
    command: list[str], env: Mapping[str, str], port: int, ready_path: str, log: Path
) -> Iterator[None]:
    """A server subprocess that answers `ready_path` with 200 until the block ends.

    Its output goes to `log` rather than to our stderr, so a crash can be read
    afterwards without mixing the servers' lines into the benchmark's progress.
    """
    with log.open("wb") as log_file:
        environment = {**inherited_environment(), **env}
        process = subprocess.Popen(
            command, cwd=REPO_ROOT, env=environment, stdout=log_file, stderr=log_file
        )
        try:
            _wait_until_ready(process, port, ready_path)
            yield
        except BaseException:
            sys.stderr.write(log.read_text(errors="replace")[-4000:])
            raise
        finally:
            _stop(process)
