"""A warm parent of `consult serve` processes, for tests that start many servers.

Importing the app takes seconds of CPU (more on a machine busy with other tests),
which would be most of a test that restarts a server several times, and most of
a browser test module's set-up. This process imports it once, then forks a
`consult serve` for each line written to its stdin (JSON: the port, and the
environment variables that child sets, a DATABASE_URL of its own say) and prints
the child's pid: each child is a new process with nothing of its own but what the
database holds, as a restarted server is; killing it (SIGKILL) is a crash.
Importing the app reads no setting and opens no database, so a child reads its
settings afresh. Children are reaped by the kernel (SIGCHLD ignored), so a killed
one's pid disappears at once.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from tests.passwords import cheap_password_hashing


def main() -> None:
    import consult.app  # the import that takes seconds, done once
    from consult.cli import main as consult
    from consult.settings import get_settings

    if get_settings.cache_info().currsize or "consult.piccolo_conf" in sys.modules:
        # Its children would serve the settings and database read here, not their own.
        raise SystemExit("importing the app read the settings or opened the engine")
    cheap_password_hashing()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print("ready", flush=True)
    for line in sys.stdin:
        order = json.loads(line)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.environ.update(order["env"])
            # The pipe to the test carries pids only: the server's "Serving on ..."
            # line goes nowhere.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            try:
                consult(["serve", "--port", str(order["port"])])
            finally:
                os._exit(0)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
