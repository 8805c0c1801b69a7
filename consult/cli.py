"""The `consult` command: serve, migrate, demo, purge, createuser."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
import time
from pathlib import Path

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
    import uvicorn

    from consult.settings import get_settings

    settings = get_settings()
    # No access log: it would write residents' IP addresses and user agents.
    uvicorn.run(
        "consult.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=settings.workers,
        access_log=False,
        proxy_headers=True,
    )


def _demo() -> None:
    from consult.demo import load_demo

    print(asyncio.run(load_demo()))


def _purge() -> None:
    from surveys.drafts import purge_expired

    print(f"Deleted {asyncio.run(purge_expired())} expired drafts.")


def _createuser(args: argparse.Namespace) -> None:
    from consult.services.staff import create_user
    from consult.tables import Role

    password = os.environ.get("CONSULT_NEW_PASSWORD") or getpass.getpass("Password: ")
    if len(password) < 10:
        sys.exit("Choose a password of at least 10 characters.")
    asyncio.run(create_user(args.username, password, Role(args.role)))
    print(f"Created {args.role} {args.username}.")


def _analyse() -> None:
    from analysis.jobs import analyse_all_pending

    started = time.perf_counter()
    taken = asyncio.run(analyse_all_pending())
    print(f"Analysed {taken} text answers in {time.perf_counter() - started:.2f} s.")


def _text(args: argparse.Namespace) -> None:
    from analysis.text_cli import run

    sys.exit(run(args))


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
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    commands.add_parser("migrate", help="apply the committed database migrations")
    commands.add_parser("demo", help="load the Reykjavik demo consultation (once)")
    commands.add_parser(
        "purge", help="delete expired drafts of unfinished answers (run daily, e.g. from cron)"
    )
    commands.add_parser(
        "analyse",
        help="analyse the text answers waiting for it, then stop (the app does this in"
        " the background unless CONSULT_TEXT_WORKER=0)",
    )
    user = commands.add_parser("createuser", help="create a staff user")
    user.add_argument("username")
    user.add_argument("--role", choices=["admin", "planner", "facilitator"], default="planner")
    _add_text_commands(commands)
    args = parser.parse_args(argv)
    if args.command == "serve":
        _serve(args)
    elif args.command == "migrate":
        _migrate()
    elif args.command == "demo":
        _demo()
    elif args.command == "purge":
        _purge()
    elif args.command == "analyse":
        _analyse()
    elif args.command == "createuser":
        _createuser(args)
    elif args.command == "text":
        _text(args)


if __name__ == "__main__":
    main()
