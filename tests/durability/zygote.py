"""A warm parent of `consult serve` processes, for tests that kill and restart them.

Importing the app takes seconds of CPU (more on a machine busy with other tests),
which would be most of a test that restarts a server several times. This process
imports it once, then forks a `consult serve` for each port written to its stdin
and prints the child's pid: each child is a new process with nothing of its own
but what the database holds, as a restarted server is; killing it (SIGKILL) is a
crash. Children are reaped by the kernel (SIGCHLD ignored), so a killed one's pid
disappears at once.
"""

from __future__ import annotations

import os
import signal
import sys


def main() -> None:
    import consult.app  # the import that takes seconds, done once
    from consult.cli import main as consult

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    print("ready", flush=True)
    for line in sys.stdin:
        port = int(line)
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            # The pipe to the test carries pids only: the server's "Serving on ..."
            # line goes nowhere.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            try:
                consult(["serve", "--port", str(port)])
            finally:
                os._exit(0)
        print(pid, flush=True)


if __name__ == "__main__":
    main()
