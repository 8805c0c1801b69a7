"""The policy for a password a person chooses: the one check every place that sets
a password calls (`consult createuser`, accepting an invitation, create_user).

At least 12 characters; not the username; not on zxcvbn's bundled lists of common
and leaked passwords; not one word (a name, a city) with digits or symbols around
it, like reykjavik2026; and not something zxcvbn guesses in under about 10^8 tries
(repeats, sequences, keyboard rows). A few unrelated words pass easily, which is
what the invitation page suggests.
"""

from __future__ import annotations

import re

from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

from consult.i18n import N_

MIN_LENGTH = 12
MAX_LENGTH = 128  # Piccolo refuses longer ones
# zxcvbn's score 3: about 10^8 guesses or more ("safely unguessable" online).
MIN_SCORE = 3
# zxcvbn is slow on long input and refuses more than this; a longer password is
# judged by its start, which alone is then long enough to be strong.
_JUDGED_LENGTH = 72

# Words people here reach for that zxcvbn's English lists lack or rank low.
LOCAL_WORDS = frozenset(
    {
        "consult",
        "consultation",
        "planner",
        "facilitator",
        "admin",
        "reykjavik",
        "helsinki",
        "oslo",
        "stockholm",
        "copenhagen",
        "kobenhavn",
        "goteborg",
        "bergen",
        "tampere",
        "espoo",
        "iceland",
        "island",
        "suomi",
        "finland",
        "norge",
        "norway",
        "sverige",
        "sweden",
        "danmark",
        "denmark",
    }
)
_WORDS = frozenset().union(*FREQUENCY_LISTS.values(), LOCAL_WORDS)
_COMMON = frozenset(FREQUENCY_LISTS["passwords"])
# What people put in place of a letter (p@ssw0rd).
_UNLEET = str.maketrans("@4310$57!", "aaeiosstl")
_AROUND = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")

# Each reason's message, shown in the person's language (%(min)s and %(max)s are
# the lengths).
MESSAGES = {
    "short": N_("Enter a password of at least %(min)s characters."),
    "long": N_("Enter a password of at most %(max)s characters."),
    "username": N_("Choose a password that does not contain your username."),
    "common": N_(
        "This password is on a list of common or leaked passwords, so it is among "
        "the first an attacker tries. Choose another."
    ),
    "word": N_(
        "One word with numbers or symbols around it, like a city and a year, is "
        "among the first an attacker tries. Use three or four unrelated words."
    ),
    "guessable": N_(
        "This password is easy to guess: it repeats characters or follows a pattern "
        "such as abcd or qwerty. Use three or four unrelated words."
    ),
}


def _core(password: str) -> str:
    """The password as a word: the digits and symbols around it taken away, lower
    case, and letters for the look-alikes left inside it."""
    match = _AROUND.match(password.casefold())
    return match.group(1).translate(_UNLEET) if match else ""


def problem(password: str, username: str = "") -> str | None:
    """Why `password` may not be used (a key of MESSAGES), or None when it may."""
    if len(password) < MIN_LENGTH:
        return "short"
    if len(password) > MAX_LENGTH:
        return "long"
    folded = password.casefold()
    name = username.strip().casefold()
    # A name of one or two letters is in many good passwords by chance.
    if name and (folded in name or (len(name) >= 3 and name in folded)):
        return "username"
    core = _core(password)
    if folded in _COMMON or core in _COMMON:
        return "common"
    if core in _WORDS:
        return "word"
    judged = zxcvbn(password[:_JUDGED_LENGTH], user_inputs=[name] if name else [])
    if judged["score"] < MIN_SCORE:
        return "guessable"
    return None


def limits() -> dict[str, int]:
    """The values a message's %(min)s and %(max)s stand for."""
    return {"min": MIN_LENGTH, "max": MAX_LENGTH}


__all__ = ["MAX_LENGTH", "MESSAGES", "MIN_LENGTH", "limits", "problem"]
