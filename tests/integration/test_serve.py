"""`consult serve` as an operator runs it: it prints the address it really serves on
(a port it was given, or the free one port 0 picked), that address answers GET and a
health checker's HEAD, several workers serve on PostgreSQL (each with its own
connection pool), SQLite refuses more than one, and SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.browser.live_server import _free_port
from tests.conftest import ENGINE, POSTGRES_URL, ROOT

# Importing the app takes seconds, more on a machine busy with other tests.
STARTUP_S = 90.0
STOP_S = 10.0
SERVING = re.compile(r"^Serving on (http://127\.0\.0\.1:(\d+))$", re.MULTILINE)


@pytest.fixture(scope="module")
def database_url(database: None) -> str:
    """This module's database, as `consult serve` is given it."""
    from piccolo.engine import engine_finder

    return POSTGRES_URL if ENGINE == "postgres" else f"sqlite:///{engine_finder().path}"


@pytest.fixture(scope="module")
def survey(make_survey):
    return make_survey("served")


class Served:
    def __init__(self, process: subprocess.Popen[bytes], base_url: str, port: int) -> None:
        self.process = process
        self.base_url = base_url
        self.port = port

    def wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"consult serve exited ({self.process.returncode})"
            try:
                if httpx.get(f"{self.base_url}/healthz", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise AssertionError(f"{self.base_url} did not answer within {STARTUP_S} s")

    def stop(self) -> int:
        """SIGTERM, as a supervisor stops it; its exit status."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_S)


@contextmanager
def serve(url: str, out: Path, *args: str, **env: str) -> Iterator[Served]:
    """`consult serve ARGS` on `url`, its output in `out`; yields once it has printed
    where it serves (read from its output, not assumed)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "consult.cli", "serve", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url, "CONSULT_WORKERS": "1", **env},
        stdout=out.open("wb"),
        # Its log goes to this process's output, which pytest shows for a failed test.
        stderr=None,
        # A group of its own: its workers are stopped with it if a test fails.
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while not (found := SERVING.search(out.read_text())):
            assert process.poll() is None, f"consult serve exited ({process.returncode})"
            assert time.monotonic() < deadline, "consult serve printed no address"
            time.sleep(0.05)
        yield Served(process, found.group(1), int(found.group(2)))
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_S)


def test_port_0_serves_on_the_free_port_it_prints(database_url, survey, tmp_path):
    with serve(database_url, tmp_path / "out.txt", "--port", "0") as served:
        assert served.port != 0
        served.wait_until_healthy()
        page = httpx.get(served.base_url + survey.url)
        assert page.status_code == 200
        assert "Consultation served" in page.text
        # A load balancer's health check by HEAD: the GET's headers, no body.
        head = httpx.head(f"{served.base_url}/healthz")
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["content-length"] == str(len(b'{"status":"ok"}'))
        assert served.stop() == 0
    assert SERVING.findall((tmp_path / "out.txt").read_text()) == [
        (served.base_url, str(served.port))
    ], "the address is printed once"


def test_the_port_from_the_environment_is_the_one_printed(database_url, tmp_path):
    port = _free_port()
    with serve(database_url, tmp_path / "out.txt", CONSULT_PORT=str(port)) as served:
        # Printed once the socket listens, before the app has started (the test
        # above sees such an address answer).
        assert served.base_url == f"http://127.0.0.1:{port}"


def test_sqlite_refuses_more_than_one_worker(tmp_path):
    """SQLite's writers queue inside one process: a second would only meet them at
    the busy timeout. Refused before anything listens, saying what to do instead."""
    url = f"sqlite:///{tmp_path / 'one.sqlite3'}"
    for args, env in (
        (["--workers", "2"], {}),
        ([], {"CONSULT_WORKERS": "3"}),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "consult.cli", "serve", "--port", "0", *args],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": url, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode != 0
        assert "SQLite is served by one process" in done.stderr
        assert "PostgreSQL" in done.stderr
        assert "Serving on" not in done.stdout


def test_workers_must_be_a_whole_number_of_one_or_more():
    done = subprocess.run(
        [sys.executable, "-m", "consult.cli", "serve", "--workers", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--workers: give a whole number of processes, 1 or more" in done.stderr


# Several workers: who is serving, read from /proc, not from anything the app says.


def _workers(parent: int) -> list[int]:
    """The worker processes `parent` started (multiprocessing's spawned children;
    its resource tracker is a child too)."""
    return [pid for pid in _children(parent) if b"spawn_main" in _cmdline(pid)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return sorted(found)


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    return inodes


def _connections(pid: int) -> list[tuple[int, int]]:
    """The established TCP connections `pid` holds: (local port, remote port)."""
    inodes = _socket_inodes(pid)
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            local, remote, state, inode = fields[1], fields[2], fields[3], fields[9]
            if state == "01" and inode in inodes:  # 01: ESTABLISHED
                found.append((int(local.rsplit(":", 1)[1], 16), int(remote.rsplit(":", 1)[1], 16)))
    return found


def _remote_ports(pid: int) -> set[int]:
    return {remote for _, remote in _connections(pid)}


def _serving(workers: list[int], port: int) -> set[int]:
    """The workers holding a connection a client opened to `port`."""
    return {pid for pid in workers if any(local == port for local, _ in _connections(pid))}


@pytest.mark.postgres_only
@pytest.mark.skipif(ENGINE != "postgres", reason="several workers need PostgreSQL")
def test_two_workers_serve_on_postgresql_and_stop_on_sigterm(database_url, survey, tmp_path):
    database_port = urlsplit(database_url).port or 5432
    with serve(database_url, tmp_path / "out.txt", "--workers", "2", "--port", "0") as served:
        served.wait_until_healthy()
        workers = _workers(served.process.pid)
        assert len(workers) == 2, f"two worker processes under the parent, not {workers}"
        # Each worker opens a pool of its own as it starts (min_size 1); the second
        # may still be importing the app when the first answers.
        deadline = time.monotonic() + STARTUP_S
        while not all(database_port in _remote_ports(pid) for pid in workers):
            assert time.monotonic() < deadline, "a worker opened no database connection"
            time.sleep(0.2)
        # Clients keep their connections open, so whichever worker accepted one holds
        # it: both workers answer, and every answer is right.
        clients: list[httpx.Client] = []
        try:
            for _ in range(200):
                if len(_serving(workers, served.port)) == 2 and len(clients) >= 20:
                    break
                client = httpx.Client(base_url=served.base_url, timeout=30)
                clients.append(client)
                assert client.get("/healthz").json() == {"status": "ok"}
                assert "Consultation served" in client.get(survey.url).text
                assert client.head("/healthz").status_code == 200
            assert _serving(workers, served.port) == set(workers)
        finally:
            for client in clients:
                client.close()
        assert served.stop() == 0
    assert not set(workers) & {int(p.name) for p in Path("/proc").glob("[0-9]*")}, (
        "the workers stopped with their parent"
    )


@pytest.mark.postgres_only
@pytest.mark.skipif(ENGINE != "postgres", reason="several workers need PostgreSQL")
def test_workers_that_cannot_start_stop_the_parent_with_a_failure(tmp_path):
    """A worker that cannot reach its database would fail again on every restart:
    the parent stops them all and says so by its status (a supervisor sees it)."""
    missing = POSTGRES_URL.rsplit("/", 1)[0] + "/consult_no_such_database"
    process = subprocess.Popen(
        [sys.executable, "-m", "consult.cli", "serve", "--workers", "2", "--port", "0"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": missing},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        out, _ = process.communicate(timeout=STARTUP_S)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 3
    assert b"Serving on http://127.0.0.1:" in out
