"""Join codes of hosted sessions: made, read back from what a person typed, shown.

Pure code (no web framework, no ORM). A code is read off a poster or a screen and
typed on a phone, so its alphabet leaves out every character that looks like another
one: both of 0/O, 1/I/L, 5/S, 2/Z and 8/B (and 9, which reads as g or q).
"""

from __future__ import annotations

import math
import re
import secrets

# 20 letters and 4 digits, none of them a look-alike of another.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY3467"
CODE_LENGTH = 10
# log2(24) * 10 = 45.85 bits: a guesser limited to a few tries per minute per address
# needs longer than any consultation lasts to find one of a city's few hundred codes.
ENTROPY_BITS = CODE_LENGTH * math.log2(len(ALPHABET))

# What older codes (the demo's, made with an alphabet that keeps S/5, Z/2, B/8) may
# contain, so that they still read back: any letter or digit except 0, O, 1, I and L.
# A new code only ever uses ALPHABET, a subset of this.
ACCEPTED = frozenset("ABCDEFGHJKMNPQRSTUVWXYZ23456789")
# The database column holds at most 16 characters; a code is never shorter than 6.
MIN_LENGTH = 6
MAX_LENGTH = 16

# What people put between groups when they copy a code: spaces, dashes, dots.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212._]+")


def new_code() -> str:
    """A new random join code: 10 characters of ALPHABET, about 45.8 bits of entropy."""
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise(typed: str) -> str | None:
    """The code a person meant, or None when what they typed cannot be a code.

    Case does not matter and spaces, dashes and dots between groups are ignored
    ("acd-efg hjkm" is "ACDEFGHJKM"). No character is guessed at: a code never
    contains 0, O, 1, I or L, so one of those means a mistyped code, not another one.
    """
    if not isinstance(typed, str):
        return None
    cleaned = _SEPARATORS.sub("", typed.strip()).upper()
    if not MIN_LENGTH <= len(cleaned) <= MAX_LENGTH:
        return None
    if any(char not in ACCEPTED for char in cleaned):
        return None
    return cleaned


def display(code: str) -> str:
    """A code grouped for reading aloud and copying: "ACD-EFG-HJKM".

    Groups of three from the left with the last group taking the rest (of up to four
    characters), so a 10-character code reads 3-3-4.
    """
    if len(code) <= 4:
        return code
    groups = []
    rest = code
    while len(rest) > 4:
        groups.append(rest[:3])
        rest = rest[3:]
    groups.append(rest)
    return "-".join(groups)


__all__ = [
    "ACCEPTED",
    "ALPHABET",
    "CODE_LENGTH",
    "ENTROPY_BITS",
    "display",
    "new_code",
    "normalise",
]
