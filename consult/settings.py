"""One settings object, read from the environment, every value documented."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from consult.text_input import is_ascii_number

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _var_dir() -> Path:
    return Path(os.environ.get("CONSULT_VAR_DIR", PROJECT_ROOT / "var"))


def secret_in_var(name: str, random_bytes: int = 32) -> str:
    """A random secret made once per machine and kept in var/ (never committed)."""
    path = _var_dir() / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(random_bytes))
        path.chmod(0o600)
    return path.read_text().strip()


def _secret_key() -> str:
    """The signing key: CONSULT_SECRET_KEY, or one generated once per machine.

    A generated key lets `make run` need no set-up; production sets the variable so
    that every worker shares one key.
    """
    return os.environ.get("CONSULT_SECRET_KEY") or secret_in_var("secret_key")


def _seconds(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return max(1, int(raw)) if is_ascii_number(raw.strip()) else default


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    """Every setting the app reads; each line documents one environment variable."""

    # DATABASE_URL: sqlite:///relative/or/absolute/path or postgres://user@host/db.
    database_url: str = field(
        default_factory=lambda: os.environ.get(
            "DATABASE_URL", f"sqlite:///{_var_dir() / 'consult.sqlite3'}"
        )
    )
    # CONSULT_SECRET_KEY: signs session and CSRF cookies; shared by every worker.
    secret_key: str = field(default_factory=_secret_key)
    # CONSULT_PUBLIC_URL: where residents reach the app; https turns on Secure cookies.
    public_url: str = field(
        default_factory=lambda: os.environ.get("CONSULT_PUBLIC_URL", "http://127.0.0.1:8000")
    )
    # CONSULT_HOST / CONSULT_PORT: where `consult serve` listens.
    host: str = field(default_factory=lambda: os.environ.get("CONSULT_HOST", "127.0.0.1"))
    port: int = field(default_factory=lambda: int(os.environ.get("CONSULT_PORT", "8000")))
    # CONSULT_WORKERS: app processes for `consult serve` (PostgreSQL: several; SQLite: 1).
    workers: int = field(default_factory=lambda: int(os.environ.get("CONSULT_WORKERS", "1")))
    # CONSULT_POSTGRES_WRITERS: on PostgreSQL, batches of submissions each process
    # writes at once (consult/group_commit.py). With the database on the same small
    # box 1 was as fast as 3 (the cores are the limit); more help when it is on
    # another machine, where every statement waits for the network. SQLite: always 1.
    postgres_writers: int = field(
        default_factory=lambda: max(1, int(os.environ.get("CONSULT_POSTGRES_WRITERS", "1")))
    )
    # CONSULT_DEFAULT_LOCALE: the language a page falls back to.
    default_locale: str = field(
        default_factory=lambda: os.environ.get("CONSULT_DEFAULT_LOCALE", "en")
    )
    # CONSULT_SQLITE_BUSY_TIMEOUT_MS: how long a SQLite writer waits for another process.
    sqlite_busy_timeout_ms: int = field(
        default_factory=lambda: int(os.environ.get("CONSULT_SQLITE_BUSY_TIMEOUT_MS", "5000"))
    )
    # CONSULT_DEFINITION_CACHE_SECONDS: how long a worker reuses a survey's questions
    # before reading them again (a draft edit shows on the public page after at most this).
    definition_cache_seconds: float = field(
        default_factory=lambda: float(os.environ.get("CONSULT_DEFINITION_CACHE_SECONDS", "2"))
    )
    # CONSULT_PAGE_CACHE: serve a question page nobody has answered yet from a copy
    # the worker rendered (at most CONSULT_DEFINITION_CACHE_SECONDS old); off renders
    # every page (the benchmark compares both).
    page_cache: bool = field(default_factory=lambda: _bool("CONSULT_PAGE_CACHE", True))
    # CONSULT_TEXT_WORKER: analyse new text answers in the background of each app
    # process (analysis.jobs); off leaves them queued, e.g. for a separate process.
    text_worker: bool = field(default_factory=lambda: _bool("CONSULT_TEXT_WORKER", True))
    # CONSULT_JOB_WORKER: run queued background jobs (large exports) in each app
    # process; off leaves them queued for another process to take.
    job_worker: bool = field(default_factory=lambda: _bool("CONSULT_JOB_WORKER", True))
    # CONSULT_JOB_ATTEMPTS: how often a background job is tried (a crash or an error
    # each counts once) before it is marked failed with its error (consult.jobs).
    job_attempts: int = field(
        default_factory=lambda: max(1, int(os.environ.get("CONSULT_JOB_ATTEMPTS", "3")))
    )
    # CONSULT_JOB_DIR: where finished exports wait to be downloaded (shared by every
    # app process of one site; files are deleted when their job expires).
    job_dir: Path = field(
        default_factory=lambda: Path(os.environ.get("CONSULT_JOB_DIR", str(_var_dir() / "jobs")))
    )
    # CONSULT_TIMEZONE: the city's clock, in which staff type and read the times of
    # sessions (stored in UTC). Reykjavik's clock is UTC all year.
    timezone: str = field(
        default_factory=lambda: os.environ.get("CONSULT_TIMEZONE", "Atlantic/Reykjavik")
    )
    # CONSULT_KIOSK_IDLE_SECONDS: on a shared tablet, seconds without input on a
    # survey page before "Are you still there?" (WCAG 2.2.1: the person may extend).
    kiosk_idle_seconds: int = field(
        default_factory=lambda: _seconds("CONSULT_KIOSK_IDLE_SECONDS", 90)
    )
    # CONSULT_KIOSK_WARNING_SECONDS: from that warning until the answers are cleared.
    kiosk_warning_seconds: int = field(
        default_factory=lambda: _seconds("CONSULT_KIOSK_WARNING_SECONDS", 30)
    )
    # CONSULT_KIOSK_THANKS_SECONDS: the thank-you page before the next person's start.
    kiosk_thanks_seconds: int = field(
        default_factory=lambda: _seconds("CONSULT_KIOSK_THANKS_SECONDS", 10)
    )
    # CONSULT_STAFF_IDLE_MINUTES: a staff session unused this long is signed out.
    staff_idle_minutes: int = field(
        default_factory=lambda: _seconds("CONSULT_STAFF_IDLE_MINUTES", 30)
    )
    # CONSULT_STAFF_SESSION_HOURS: a staff session ends this long after sign-in, used or not.
    staff_session_hours: int = field(
        default_factory=lambda: _seconds("CONSULT_STAFF_SESSION_HOURS", 10)
    )
    # CONSULT_ABUSE_CHECKS: hold for review a survey sent too fast, too often, twice
    # from one browser, in a spike or with copied text, and refuse a flood (surveys/
    # abuse); off only for load tests and benchmarks that send thousands from one address.
    abuse_checks: bool = field(default_factory=lambda: _bool("CONSULT_ABUSE_CHECKS", True))
    # CONSULT_SPIKE_PER_MINUTE: with abuse checks on, responses to one survey beyond
    # this many a minute (from all addresses together) are held for review as a
    # "spike"; raise it before a consultation is announced on the news (a real surge
    # looks like one), 0 turns the spike check off.
    spike_per_minute: int = field(
        default_factory=lambda: max(0, int(os.environ.get("CONSULT_SPIKE_PER_MINUTE", "60")))
    )
    # CONSULT_DEBUG: tracebacks in responses; never in production.
    debug: bool = field(default_factory=lambda: _bool("CONSULT_DEBUG", False))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        """The database file named by a sqlite:/// URL (relative to the project)."""
        raw = self.database_url.split(":///", 1)[1] if ":///" in self.database_url else ""
        path = Path(raw or "var/consult.sqlite3")
        return path if path.is_absolute() else PROJECT_ROOT / path


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
