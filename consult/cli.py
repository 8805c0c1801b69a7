"""The `consult` command: serve, migrate, demo, purge, backup, createuser, analyse, text,
export, token."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any, TextIO

os.environ.setdefault("PICCOLO_CONF", "consult.piccolo_conf")


def _migrate() -> None:
    from piccolo.apps.migrations.commands.forwards import run_forwards
    from piccolo.engine import engine_finder
    from piccolo.engine.sqlite import SQLiteEngine

    from consult.database import set_wal_mode

    engine = engine_finder()
    if isinstance(engine, SQLiteEngine):
        set_wal_mode(engine.path)
    result = asyncio.run(run_forwards(app_name="all", fake=False))
    if not result.success:
        sys.exit(f"Migration failed: {result.message}")


def _serve(args: argparse.Namespace) -> None:
    """Serve on one socket bound here, so that the address printed is the one served
    (port 0 picks a free port), by one process or by `--workers` processes."""
    import uvicorn
    from uvicorn.config import STARTUP_FAILURE
    from uvicorn.supervisors import Multiprocess

    from consult.settings import get_settings

    settings = get_settings()
    workers = args.workers or settings.workers
    if workers > 1 and settings.is_sqlite:
        # Writers queue on a lock inside the process, and submissions arriving together
        # share one transaction there (consult/database.py, consult/group_commit.py):
        # a second process would only meet the first at SQLite's busy timeout.
        sys.exit(
            f"consult serve: SQLite is served by one process, not {workers}: its writers"
            " queue inside that process. For several workers use PostgreSQL"
            " (DATABASE_URL=postgres://...); see README, 'Running several processes'."
        )
    config = uvicorn.Config(
        "consult.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=settings.port if args.port is None else args.port,
        workers=workers,
        # No access log: it would write residents' IP addresses and user agents.
        access_log=False,
        # X-Forwarded-For is believed only from FORWARDED_ALLOW_IPS (uvicorn's
        # variable; by default the loopback addresses, a proxy on the same box).
        proxy_headers=True,
    )
    sock = config.bind_socket()
    # Listening before the app has started: a request sent as soon as the line below
    # is read waits in the queue for a worker instead of being refused.
    sock.listen(config.backlog)
    print(f"Serving on {_address(config.host, sock.getsockname()[1])}", flush=True)
    if workers > 1:
        # Each worker is a new process that imports the app and opens its own pool.
        supervisor = Multiprocess(config, sockets=[sock])
        supervisor.run()
        # A worker that could not start stops them all (it would fail again): say so.
        if any(worker.exitcode == STARTUP_FAILURE for worker in supervisor.processes):
            sys.exit(STARTUP_FAILURE)
        return
    server = uvicorn.Server(config)
    # uvicorn stops gracefully on SIGTERM, then raises the signal again for whoever
    # handled it before: handled here, a supervisor's stop ends with status 0.
    signal.signal(signal.SIGTERM, _stopped)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl+C, after the same graceful stop
        return
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def _stopped(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _address(host: str, port: int) -> str:
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _positive(raw: str) -> int:
    from consult.text_input import is_ascii_number

    number = int(raw) if is_ascii_number(raw.strip()) else 0
    if number < 1:
        raise argparse.ArgumentTypeError("give a whole number of processes, 1 or more")
    return number


def _demo() -> None:
    from consult.demo import load_demo

    print(asyncio.run(load_demo()))


def _purge() -> None:
    """Delete responses past their consultation's retention date and expired drafts,
    and say what went (see consult/services/purge.py for what remains)."""
    from consult.services import purge

    print(asyncio.run(purge.purge()).summary())


def _backup(args: argparse.Namespace) -> None:
    from consult.backup import BackupRefused, backup

    try:
        written = backup(args.out)
    except BackupRefused as refused:
        print(f"consult backup: {refused}", file=sys.stderr)
        sys.exit(2)
    print(f"Wrote a consistent copy of the database to {args.out} ({written:,} bytes).")


def _createuser(args: argparse.Namespace) -> None:
    from consult import i18n
    from consult.services import passwords
    from consult.services.staff import create_user
    from consult.settings import get_settings
    from consult.tables import Role

    if args.role == Role.planner.value and not args.city.strip():
        # A planner without a city reaches no consultation at all (only an admin
        # sees every city): refuse rather than make an account that sees nothing.
        sys.exit("A planner works on one city's consultations: give it with --city CITY.")
    password = os.environ.get("CONSULT_NEW_PASSWORD") or getpass.getpass("Password: ")
    # The same policy as every other place a password is set, said in the site's
    # language; checked before the database is touched.
    refused = passwords.problem(password, args.username)
    if refused is not None:
        _ = i18n.translations(get_settings().default_locale).gettext
        sys.exit(_(passwords.MESSAGES[refused]) % passwords.limits())
    asyncio.run(create_user(args.username, password, Role(args.role), city=args.city))
    print(f"Created {args.role} {args.username}.")


def _analyse() -> None:
    from analysis.jobs import analyse_all_pending

    started = time.perf_counter()
    taken = asyncio.run(analyse_all_pending())
    print(f"Analysed {taken} text answers in {time.perf_counter() - started:.2f} s.")


def _text(args: argparse.Namespace) -> None:
    from analysis.text_cli import run

    sys.exit(run(args))


def _token(args: argparse.Namespace) -> None:
    """Make, list or revoke API tokens for a city's BI tools (as an admin can at
    /staff/api-tokens); a new token's secret is printed once and never again."""
    from consult.services import api_tokens

    if args.action == "create":
        try:
            secret = asyncio.run(api_tokens.create_token(args.name, None, args.city.strip()))
        except api_tokens.TokenNameInvalid:
            print(f"Give the token a name of 1 to {api_tokens.NAME_MAX} characters.")
            sys.exit(2)
        reads = f"{args.city.strip()}'s consultations" if args.city.strip() else "every city"
        print(f"Created API token {args.name!r}, reading {reads}. Its secret, shown only now:")
        print(secret)
    elif args.action == "list":
        for token in asyncio.run(api_tokens.list_tokens()):
            state = "revoked" if token.revoked_at else "active"
            city = token.city or "every city"
            print(f"{token.id}\t{state}\t{token.created_at:%Y-%m-%d}\t{city}\t{token.name}")
    elif not asyncio.run(api_tokens.revoke(args.id, None)):
        print(f"There is no API token {args.id}.")
        sys.exit(2)
    else:
        print(f"Revoked API token {args.id}.")


def _add_token_command(commands: Any) -> None:
    token = commands.add_parser("token", help="make, list or revoke read-only API tokens")
    actions = token.add_subparsers(dest="action", required=True)
    create = actions.add_parser("create", help="make a token and print its secret once")
    create.add_argument("name", help='what uses it, e.g. "City BI dashboard"')
    create.add_argument(
        "--city", default="", help="read only this city's consultations (default: every city)"
    )
    actions.add_parser("list", help="every token: id, state, date made, name")
    revoke = actions.add_parser("revoke", help="stop a token working at once")
    revoke.add_argument("id", type=int)


class _ProgressBar:
    """Progress on stderr: a bar redrawn in place on a terminal (at most ten times a
    second), else a plain line at most every few seconds (a log, a pipe)."""

    WIDTH = 30

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.every = 0.1 if self.tty else 5.0
        self._last = float("-inf")

    def _line(self, done: int, total: int) -> str:
        share = min(done / total, 1.0) if total else 1.0
        filled = round(share * self.WIDTH)
        return f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {share:4.0%} {done:,}/{total:,}"

    async def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        self._draw(done, total)

    def _draw(self, done: int, total: int) -> None:
        if self.tty:
            self.stream.write(f"\r{self._line(done, total)}")
        else:
            self.stream.write(f"{self._line(done, total)}\n")
        self.stream.flush()

    def finish(self, written: int) -> None:
        self._draw(written, written)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


class _Refused(Exception):
    """An export the operator asked for that cannot be made (exit status 2)."""


async def _run_export(args: argparse.Namespace, partial: Path) -> tuple[int, int]:
    """Write one survey's export to `partial`, as the background job would; the
    responses written and the survey's id."""
    from analysis.export_jobs import ExportFormat, writer_for
    from consult import i18n
    from consult.services import audit, consultations
    from consult.text_input import whole_number
    from surveys import services as surveys

    named = str(args.consultation)
    consultation = await consultations.by_slug(named)
    if consultation is None and (number := whole_number(named)) is not None:
        consultation = await consultations.by_id(number)
    if consultation is None:
        raise _Refused(f"no consultation with the slug or id {named!r}")
    if args.survey is not None:
        survey = await surveys.by_id(args.survey)
        if survey is None or survey.consultation != consultation.id:
            raise _Refused(f"consultation {consultation.slug!r} has no survey {args.survey}")
    else:
        current = await surveys.surveys_of(consultation.id, include_retired=False)
        if not current:
            raise _Refused(f"consultation {consultation.slug!r} has no survey in use")
        survey = current[0]
    if args.locale not in i18n.available_locales():
        known = ", ".join(i18n.available_locales())
        raise _Refused(f"no language {args.locale!r} (one of {known})")
    fmt = ExportFormat(args.format)
    bar = _ProgressBar(sys.stderr)
    written = await writer_for(fmt)(survey.id, args.locale, partial, bar)
    bar.finish(written)
    await audit.record(None, fmt.audit_action, "survey", survey.id, detail="cli", is_export=True)
    return written, survey.id


def _export(args: argparse.Namespace) -> None:
    out: Path = args.out
    # Written beside the target and moved into place, so a failed export leaves no
    # half-written file (and a file it replaces stays whole until then).
    partial = out.with_name(f".{out.name}.partial")
    try:
        if out.exists() and not args.force:
            raise _Refused(f"{out} exists; add --force to replace it")
        if not out.parent.is_dir():
            raise _Refused(f"no directory {out.parent}")
        written, survey_id = asyncio.run(_run_export(args, partial))
        os.replace(partial, out)
    except _Refused as refused:
        print(f"consult export: {refused}", file=sys.stderr)
        sys.exit(2)
    finally:
        partial.unlink(missing_ok=True)
    print(f"Wrote {written:,} responses of survey {survey_id} to {out}.")


def _add_export_command(commands: argparse._SubParsersAction) -> None:
    export = commands.add_parser(
        "export",
        help="write a survey's strategy-input workbook or CSV of responses to a file"
        " (audited, as an export by the operator)",
    )
    export.add_argument("consultation", metavar="CONSULTATION", help="its slug or id")
    export.add_argument("--format", choices=["xlsx", "csv"], required=True)
    export.add_argument("--out", type=Path, required=True, metavar="FILE")
    export.add_argument(
        "--survey", type=int, metavar="ID", help="default: the consultation's first survey in use"
    )
    export.add_argument("--locale", default="en", help="the language of headings and labels")
    export.add_argument("--force", action="store_true", help="replace FILE if it exists")


def _add_text_commands(commands: argparse._SubParsersAction) -> None:
    text = commands.add_parser(
        "text", help="text analysis on a CSV file of answers: themes, coding, redaction"
    )
    actions = text.add_subparsers(dest="text_command", required=True)
    themes = actions.add_parser("themes", help="print the suggested themes as JSON")
    themes.add_argument("file", type=Path, metavar="FILE.csv")
    themes.add_argument("--column", required=True, help="the column holding the answers")
    themes.add_argument("--max-themes", type=int, default=12)
    themes.add_argument("--min-size", type=int, default=3, help="fewest answers in a theme")
    code = actions.add_parser(
        "code", help="write the file back with themes, sentiment and language columns"
    )
    code.add_argument("file", type=Path, metavar="FILE.csv")
    code.add_argument("--column", required=True, help="the column holding the answers")
    code.add_argument("--codebook", required=True, type=Path, metavar="CODEBOOK.json")
    code.add_argument("--out", required=True, type=Path, metavar="CODED.csv")
    actions.add_parser("redact", help="copy stdin to stdout with personal data replaced")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="consult", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the app over HTTP")
    serve.add_argument("--host", help="the address to listen on (default: CONSULT_HOST)")
    serve.add_argument(
        "--port", type=int, help="the port (default: CONSULT_PORT; 0 picks a free one)"
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        help="app processes (default: CONSULT_WORKERS); more than 1 needs PostgreSQL",
    )
    commands.add_parser("migrate", help="apply the committed database migrations")
    commands.add_parser("demo", help="load the Reykjavik demo consultation (once)")
    commands.add_parser(
        "purge",
        help="delete responses past their consultation's retention date and expired drafts"
        " (the app also does this once a day)",
    )
    backup = commands.add_parser(
        "backup", help="write a consistent copy of the SQLite database, even while the app runs"
    )
    backup.add_argument("out", type=Path, metavar="OUT", help="the new file (never overwritten)")
    commands.add_parser(
        "analyse",
        help="analyse the text answers waiting for it, then stop (the app does this in"
        " the background unless CONSULT_TEXT_WORKER=0)",
    )
    user = commands.add_parser("createuser", help="create a staff user")
    user.add_argument("username")
    user.add_argument("--role", choices=["admin", "planner", "facilitator"], default="planner")
    user.add_argument("--city", default="", help="the city whose consultations a planner works on")
    _add_text_commands(commands)
    _add_export_command(commands)
    _add_token_command(commands)
    args = parser.parse_args(argv)
    if args.command == "serve":
        _serve(args)
    elif args.command == "migrate":
        _migrate()
    elif args.command == "demo":
        _demo()
    elif args.command == "purge":
        _purge()
    elif args.command == "backup":
        _backup(args)
    elif args.command == "analyse":
        _analyse()
    elif args.command == "createuser":
        _createuser(args)
    elif args.command == "text":
        _text(args)
    elif args.command == "export":
        _export(args)
    elif args.command == "token":
        _token(args)


if __name__ == "__main__":
    main()
