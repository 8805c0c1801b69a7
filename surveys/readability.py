"""How hard a text is to read, in the languages it can be measured in (pure code).

Plain-language guidance (GOV.UK, selkokieli, lättläst, klarspråk) agrees on two
things a machine can count in any language written with spaces between words:
sentence length and word length. A long sentence is hard for every reader; what
counts as a long word depends on the language (Finnish and Icelandic build long
compounds that are ordinary words, Arabic words are short), so each language has
its own limit. For Swedish, Danish and Norwegian the Scandinavian readability
index LIX (Björnsson) is also given: it was made for them.

A language with no limit here (none today) is not measured: the builder says so
rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from consult.i18n import N_

# Sentences longer than this are flagged (GOV.UK: about 25 words at most; easy-read
# guidance keeps to about 15). 20 flags what a planner should look at again.
MAX_SENTENCE_WORDS = 20
# Letters in a word past which it is flagged, per language.
LONG_WORD_LETTERS = {
    "en": 14,
    "is": 18,
    "fi": 18,
    "sv": 17,
    "nb": 17,
    "da": 17,
    "pl": 15,
    "uk": 15,
    "so": 15,
    "ar": 11,
    "fa": 12,
}
# LIX above this is "hard" (Björnsson's scale: 40-50 everyday news, 50-60 official texts).
LIX_HARD = 50
LIX_LANGUAGES = frozenset({"sv", "da", "nb"})
LIX_LONG_WORD = 6

# Sentence ends: . ! ? and the Arabic question mark, then space or the end; a line
# break ends a sentence too (a help text's bullet points).
_SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u06d4])\s+|\n+")
_WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")


@dataclass(frozen=True)
class Readability:
    """What a planner needs to see about one text."""

    locale: str
    sentences: int
    words: int
    longest_sentence: int
    long_words: tuple[str, ...]
    lix: float | None

    @property
    def long_sentence(self) -> bool:
        return self.longest_sentence > MAX_SENTENCE_WORDS

    @property
    def hard_index(self) -> bool:
        return self.lix is not None and self.lix > LIX_HARD

    @property
    def hard(self) -> bool:
        return self.long_sentence or bool(self.long_words) or self.hard_index


def measurable(locale: str) -> bool:
    return _language(locale) in LONG_WORD_LETTERS


def _language(locale: str) -> str:
    return locale.replace("_", "-").split("-", 1)[0].lower()


def assess(text: str, locale: str) -> Readability | None:
    """The text's sentence and word lengths in `locale`, or None when the language
    cannot be measured or the text is empty."""
    language = _language(locale)
    limit = LONG_WORD_LETTERS.get(language)
    if limit is None or not text.strip():
        return None
    sentence_words = [
        _WORD.findall(sentence) for sentence in _SENTENCE_END.split(text.strip()) if sentence
    ]
    sentence_words = [words for words in sentence_words if words]
    words = [word for sentence in sentence_words for word in sentence]
    if not words:
        return None
    letters = [(word, sum(char.isalpha() for char in word)) for word in words]
    long_words = tuple(dict.fromkeys(word for word, count in letters if count > limit))
    lix = None
    if language in LIX_LANGUAGES:
        lix_long = sum(1 for _word, count in letters if count > LIX_LONG_WORD)
        lix = round(len(words) / len(sentence_words) + 100 * lix_long / len(words), 1)
    return Readability(
        locale=language,
        sentences=len(sentence_words),
        words=len(words),
        longest_sentence=max(len(sentence) for sentence in sentence_words),
        long_words=long_words,
        lix=lix,
    )


def notes(text: str, locale: str, gettext: Callable[[str], str]) -> list[str]:
    """What a planner reads beside a hard text, in their own language (`gettext`),
    about the text in `locale`; nothing for an easy text or one not measured."""
    found = assess(text, locale)
    if found is None or not found.hard:
        return []
    said = []
    if found.long_sentence:
        said.append(
            gettext(N_("A sentence of %(words)s words: aim for %(limit)s or fewer."))
            % {"words": found.longest_sentence, "limit": MAX_SENTENCE_WORDS}
        )
    if found.long_words:
        said.append(
            gettext(N_("Long words: %(words)s.")) % {"words": ", ".join(found.long_words[:5])}
        )
    if found.hard_index:
        said.append(
            gettext(N_("Readability index (LIX) %(lix)s: over %(limit)s is hard to read."))
            % {"lix": round(found.lix or 0), "limit": LIX_HARD}
        )
    return said
