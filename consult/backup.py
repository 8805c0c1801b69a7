"""`consult backup OUT`: a consistent copy of the SQLite database, while the app runs.

SQLite's online backup API copies every page inside one read transaction (WAL lets
writers go on meanwhile), so the copy is the database as it was at one moment:
every response committed before it began, none half-written. The copy is made
beside OUT, checked with `PRAGMA integrity_check`, flushed to disk and only then
given its name, which never replaces an existing file. PostgreSQL has pg_dump for
this (see the README's "Backups").
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from consult.settings import get_settings


class BackupRefused(Exception):
    """A backup that cannot be made; the message says why and what to do."""


PG_DUMP_HINT = (
    "the database is PostgreSQL: back it up with pg_dump, for example"
    ' pg_dump --format=custom --file=consult.dump "$DATABASE_URL"'
)


def backup(out: Path) -> int:
    """Copy the SQLite database to `out` (which must not exist); its size in bytes."""
    settings = get_settings()
    if not settings.is_sqlite:
        raise BackupRefused(PG_DUMP_HINT)
    source = settings.sqlite_path
    if not source.is_file():
        raise BackupRefused(f"there is no database at {source}")
    if out.exists():
        raise BackupRefused(f"{out} exists; a backup never replaces a file")
    if not out.parent.is_dir():
        raise BackupRefused(f"no directory {out.parent}")
    if out.resolve() == source.resolve():
        raise BackupRefused("OUT is the database itself")
    partial = out.with_name(f".{out.name}.partial")
    try:
        _copy(source, partial, settings.sqlite_busy_timeout_ms / 1000)
        try:
            # A hard link gives the copy its name only if the name is free (a
            # rename would replace a file made there meanwhile).
            os.link(partial, out)
        except FileExistsError as exists:
            raise BackupRefused(f"{out} exists; a backup never replaces a file") from exists
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
    _sync_directory(out.parent)
    return out.stat().st_size


def _copy(source: Path, target: Path, timeout_s: float) -> None:
    target.unlink(missing_ok=True)  # a partial copy a crashed run left
    reading = sqlite3.connect(source, timeout=timeout_s)
    try:
        writing = sqlite3.connect(target)
        try:
            # pages=-1: all in one step, so one read transaction sees one moment.
            reading.backup(writing, pages=-1)
            # A copy in rollback-journal mode is one self-contained file.
            writing.execute("PRAGMA journal_mode = DELETE")
            verdict = writing.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise BackupRefused(f"the copy failed its integrity check: {verdict}")
        finally:
            writing.close()
    finally:
        reading.close()
    with open(target, "rb") as copied:
        os.fsync(copied.fileno())


def _sync_directory(directory: Path) -> None:
    """Make the new name itself durable (a crash could otherwise lose it)."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
