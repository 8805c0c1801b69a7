"""Which free-text answers describe threats, violence or self-harm, so that a person
reviews them and can start a safeguarding follow-up. Pure code.

A flag only routes an answer to human review. Nothing is hidden or deleted
because of it: in a consultation about hate and extremism, testimony of a threat
or an attack is the evidence the strategy needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from analysis.text import TextFeatures

CONCERNS: tuple[str, ...] = ("threat", "violence", "self_harm")

# The reviewed signal lists: concern -> language -> expressions, comma-separated.
# An expression is one or more words matched in order against the answer's
# tokens or lemmas (so "hotade" matches "hota", and "mig" matches "mig" where the
# lemmatiser maps it to "jag"). A word ending in "*" matches any word it begins:
# compounds ("självmordstankar"), and English words in answers in other
# languages, which are not lemmatised as English. Lists stay short: each entry
# should rarely appear in an ordinary answer. Norwegian lists serve Bokmål and
# Nynorsk alike.
SIGNALS: dict[str, dict[str, str]] = {
    "threat": {
        "en": "threat*, intimidat*, blackmail*, death threat*",
        "is": "hóta, hótaði, hótun, hótanir, ógna, ógnun, líflát*",
        "fi": "uhata, uhkasi, uhkasivat, uhkailla, uhkaus, uhkailu, tappouhka*",
        "sv": "hota, hotade, hotelse, hotelser, dödshot*, hot mot",
        "nb": "true, truet, trussel, trusler, trusel, truga, trugsmål, drapstrus*",
        "da": "true, truede, trussel, trusler, dødstrussel*",
        "pl": "grozić, groźba, groźby, pogróżka, pogróżki, zastraszać",
    },
    "violence": {
        "en": "violence, violent, assault*, attack*, beat up, beaten up, beat me up, punched, "
        "stab, stabbed, stabbing, kill, killed, killing, murder*, rape, raped, shot at",
        "is": "ofbeldi, líkamsárás*, lemja, berja, vera barinn, barin, barði, drepa, nauðga, "
        "nauðgun, stinga, réðust á, réðst á, kýla",
        "fi": "väkivalta, väkivaltainen, pahoinpidellä, pahoinpitely, lyödä, hakata, puukottaa, "
        "puukotus, tappaa, raiskata, raiskaus, hyökätä",
        "sv": "våld, våldsam, misshandel, misshandla, knivhugg*, knivskur*, döda, mörda, våldta, "
        "våldtäkt, attackera, överfalla, överfallen, slog mig",
        "nb": "vold, voldelig, vald, valdeleg, voldtekt, valdtekt, voldta, banke, knivstikk*, "
        "drepe, angripe, overfalle, mishandle, slo meg, juling",
        "da": "vold, voldelig, voldtægt, voldtage, tæske, banke, knivstik*, dræbe, overfald, "
        "overfalde, angribe, slog mig",
        "pl": "przemoc, pobić, bić, napaść, zaatakować, atakować, zabić, zgwałcić, gwałt, dźgnąć",
    },
    "self_harm": {
        "en": "suicid*, kill myself, hurt myself, harm myself, self-harm*, selfharm*, "
        "end my life, cut myself",
        "is": "sjálfsvíg*, sjálfsmorð*, sjálfsskað*, fyrirfara mér, drepa sjálfa mig, "
        "drepa sjálfan mig, meiða sjálfa mig, meiða sjálfan mig",
        "fi": "itsemurha*, itsetuho*, tappaa itseni, satuttaa itseäni, viiltely",
        "sv": "självmord*, självskad*, skada mig själv, ta livet av mig, ta mitt liv",
        "nb": "selvmord*, sjølvmord*, selvskad*, sjølvskad*, ta livet av meg, skade meg selv",
        "da": "selvmord*, selvskad*, tage mit liv, skade mig selv, tage livet af mig",
        "pl": "samobój*, samookalecz*, zabić się, się zabić, okaleczać się",
    },
}

# Ordinary expressions containing a signal word ("kill time", "banke på" is to
# knock on a door, "stinga upp á" to suggest, "lyödä vetoa" to bet): a signal inside one of them is
# not counted.
NOT_SIGNALS: dict[str, str] = {
    "en": "kill time, killing time, killing it, killed it, panic attack*, heart attack*",
    "is": "stinga upp, stakk upp",
    "fi": "tappaa aikaa, lyödä vetoa, lyön vetoa",
    "sv": "slå ihjäl tid*, döda tid*",
    "nb": "banke på, banket på, hjertet banket, drepe tid*, slå i hjel tid*",
    "da": "banke på, bankede på, slå tid*, slå tiden ihjel",
    "pl": "zabić czas",
}

# Languages written so alike that an answer detected as one may well be another.
_NEIGHBOURS = {"sv": ("nb", "da"), "nb": ("da", "sv"), "nn": ("nb",), "da": ("nb", "sv")}
_NORWEGIAN = {"nn": "nb"}
# Words of our lists that are everyday English ("that's true"): not counted when
# the language of an answer is unknown and every list is tried.
_ENGLISH_LOOKALIKES = frozenset({"true", "hot"})
# A word as analysis.text sees one, for answers whose features carry no tokens.
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class _Expression:
    concern: str  # one of CONCERNS, or _ORDINARY for an expression of NOT_SIGNALS
    words: tuple[str, ...]


_ORDINARY = ""


@dataclass(frozen=True)
class _Index:
    """The expressions to look for in one language's answers, by their first word."""

    exact: dict[str, tuple[_Expression, ...]]
    prefixed: tuple[tuple[str, _Expression], ...]
    prefixes: tuple[str, ...]


def _entries(listed: str) -> list[str]:
    return [entry.strip() for entry in listed.split(",")]


def _languages_to_check(language: str | None) -> tuple[str, ...]:
    if language is None:
        return tuple(dict.fromkeys(code for lists in SIGNALS.values() for code in lists))
    own = _NORWEGIAN.get(language, language)
    # English too: answers in every language borrow English words.
    return tuple(dict.fromkeys((own, *_NEIGHBOURS.get(language, ()), "en")))


@cache
def _index(language: str | None) -> _Index:
    """The index for answers detected as `language` (None: not known)."""
    expressions: list[_Expression] = []
    for code in _languages_to_check(language):
        for concern, by_language in SIGNALS.items():
            expressions += [
                _Expression(concern, tuple(entry.split()))
                for entry in _entries(by_language.get(code, ""))
                if entry and not (language is None and entry in _ENGLISH_LOOKALIKES)
            ]
        expressions += [
            _Expression(_ORDINARY, tuple(entry.split()))
            for entry in _entries(NOT_SIGNALS.get(code, ""))
            if entry
        ]
    exact: dict[str, list[_Expression]] = {}
    prefixed: list[tuple[str, _Expression]] = []
    for expression in dict.fromkeys(expressions):
        first = expression.words[0]
        if first.endswith("*"):
            prefixed.append((first[:-1], expression))
        else:
            exact.setdefault(first, []).append(expression)
    return _Index(
        exact={word: tuple(found) for word, found in exact.items()},
        prefixed=tuple(prefixed),
        prefixes=tuple(prefix for prefix, _ in prefixed),
    )


@lru_cache(maxsize=100_000)
def _starting_with(token: str, lemma: str, language: str | None) -> tuple[_Expression, ...]:
    """The expressions whose first word is this token or lemma; cached, as words repeat."""
    index = _index(language)
    found = [*index.exact.get(token, ()), *index.exact.get(lemma, ())]
    if token.startswith(index.prefixes) or lemma.startswith(index.prefixes):
        found += [
            expression
            for prefix, expression in index.prefixed
            if token.startswith(prefix) or lemma.startswith(prefix)
        ]
    return tuple(dict.fromkeys(found))


def _word_matches(pattern: str, token: str, lemma: str) -> bool:
    if pattern.endswith("*"):
        return token.startswith(pattern[:-1]) or lemma.startswith(pattern[:-1])
    return pattern in (token, lemma)


def concerns(features: TextFeatures, text: str) -> tuple[str, ...]:
    """The safeguarding concerns an answer raises, in CONCERNS order, for human review.

    `text` is the answer as written; it is read only when `features` carry no
    tokens (features stored empty), so that a missing analysis never hides a
    concern.
    """
    tokens, lemmas = features.tokens, features.lemmas
    if not tokens and text.strip():
        tokens = lemmas = tuple(word.lower() for word in _WORD.findall(text))
    matches: list[tuple[int, int, _Expression]] = []
    for start, (token, lemma) in enumerate(zip(tokens, lemmas, strict=True)):
        for expression in _starting_with(token, lemma, features.language):
            end = start + len(expression.words)
            if end <= len(tokens) and all(
                _word_matches(pattern, tokens[position], lemmas[position])
                for position, pattern in enumerate(expression.words[1:], start + 1)
            ):
                matches.append((start, end, expression))
    if not matches:
        return ()
    ordinary = {
        position
        for start, end, expression in matches
        if expression.concern == _ORDINARY
        for position in range(start, end)
    }
    signals = [
        (start, end, expression)
        for start, end, expression in matches
        if expression.concern != _ORDINARY and not ordinary.issuperset(range(start, end))
    ]
    # "kill myself" is self-harm, not violence too: a word inside a longer
    # expression of another concern does not count on its own.
    found = {
        expression.concern
        for start, end, expression in signals
        if not any(
            other.concern != expression.concern
            and other_start <= start
            and end <= other_end
            and other_end - other_start > end - start
            for other_start, other_end, other in signals
        )
    }
    return tuple(concern for concern in CONCERNS if concern in found)
