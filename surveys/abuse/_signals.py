"""What a submission tells by itself, before the database is asked: the honeypot,
the time taken, and a digest of its free text. No HTTP, no database."""

from __future__ import annotations

import enum
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from consult.settings import get_settings

# A field no person fills: hidden from sight and from assistive technology, out of
# the tab order, never autofilled (templates/surveys/check.html). A name that no
# browser's autofill recognises, and unlike any question's field (q<id>).
HONEYPOT_FIELD = "homepage"
# Fewer seconds than this per page shown, from the start to sending: faster than a
# person reads. Eight pages in under 24 seconds is a script.
SECONDS_PER_PAGE = 3
# A free text shorter than this (letters and spaces, normalised) gets no digest:
# "no", "more police" or "nothing" are written alike by many people.
DIGEST_MIN_LENGTH = 20


class Flag(enum.StrEnum):
    """Why a response is held for review (Response.flags, comma-separated)."""

    honeypot = "honeypot"
    too_fast = "too_fast"
    rate = "rate"
    repeat_browser = "repeat_browser"
    repeat_address = "repeat_address"
    spike = "spike"
    duplicate_text = "duplicate_text"


# Not a reason but the planner's decision: held, looked at and kept out of the count.
KEPT_OUT = "kept_out"


def join_flags(flags: Iterable[str]) -> str:
    """Flags as stored: each once, in the order first given, comma-separated."""
    return ",".join(dict.fromkeys(flag for flag in flags if flag))


def split_flags(stored: str) -> tuple[str, ...]:
    return tuple(flag for flag in (stored or "").split(",") if flag)


@dataclass(frozen=True)
class Signals:
    """What the respondent routes know of one submission, for surveys.abuse.judge.

    `address` and `browser` are hashed before they are stored or compared and are
    never logged; `shared` is a kiosk's or a hosted session's submission (one
    address, perhaps one device, for many people), `kiosk` a shared tablet's.
    """

    flags: tuple[str, ...]
    address: str
    browser: str | None
    shared: bool = False
    kiosk: bool = False


def form_flags(
    honeypot: str, started: float | None, now: float, pages: int, resumed: bool
) -> tuple[str, ...]:
    """The flags the form itself earns: the honeypot filled, or sent too fast.

    `started` is when the respondent began (the session's, None when it never
    began here); a resumed draft has no start here and is not timed, since saving
    and coming back is itself time taken. The timing follows CONSULT_ABUSE_CHECKS.
    """
    flags = []
    if honeypot.strip():
        flags.append(Flag.honeypot.value)
    if get_settings().abuse_checks and not resumed:
        minimum = SECONDS_PER_PAGE * max(1, pages)
        if started is None or now - started < minimum:
            flags.append(Flag.too_fast.value)
    return tuple(flags)


_NOT_LETTERS = re.compile(r"[\W\d_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Free text as compared for near-copies: lowercase, punctuation and digits
    gone, spaces collapsed (so "Stop it!!! 2024" and "stop   it" are alike)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NOT_LETTERS.sub(" ", folded).split())


def text_digest(texts: Iterable[str]) -> str:
    """32 hex digits naming a response's free text, normalised; "" when it has too
    little text to tell copies from people who think alike. Keyed, so that a
    digest cannot be tested against guessed texts without the secret key."""
    normalised = " ".join(part for part in (normalise_text(t) for t in texts) if part)
    if len(normalised) < DIGEST_MIN_LENGTH:
        return ""
    key = hashlib.sha256(f"text-digest:{get_settings().secret_key}".encode()).digest()
    return hashlib.blake2b(normalised.encode(), key=key[:32], digest_size=16).hexdigest()
