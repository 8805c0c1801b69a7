"""Candidate themes found in free-text answers, for a planner to accept, rename,
merge or discard into a codebook. Pure code over stored text features.

How: every answer contributes its terms (keywords, which are lemmas without
stopwords, and English noun phrases). Terms used by at least `min_size` answers
are seeds, taken from the most used down; a seed whose answers lie mostly inside
an existing candidate's core (the answers of that candidate's first seed) joins
it as a co-occurring term, otherwise it starts a new candidate. A candidate's
answers are those holding any of its terms.

Counting is per language as well as overall, so a small Icelandic group next to a
large English one still yields its own candidates, and every language that has a
candidate keeps at least one place among the `max_themes` returned. Everything is
deterministic: ties are broken by the text of the term, so the same answers give
the same candidates, in the same order, with the same keys.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from analysis.text import TextFeatures

# A seed joins a candidate when this share of its answers are in the candidate's core.
_JOIN_SHARE = 0.6
# A term in more than this share of a language's answers is the question's own
# subject ("safe" in a survey about safety), not a theme, once there are enough.
_MAX_SHARE = 0.5
_MAX_SHARE_FROM = 20
# Work bounds that keep 100,000 answers to seconds: seeds and candidates per language.
_SEEDS_PER_LANGUAGE = 300
_CANDIDATES_PER_LANGUAGE = 60
_LEMMAS_SHOWN = 8
_PHRASES_SHOWN = 5
_EXAMPLES = 3
# A term that many of a candidate's answers share is shown among its lemmas.
_SHOWN_SHARE = 0.3
UNDETERMINED = ""  # the language of answers too short or unsure to tell


@dataclass(frozen=True)
class CandidateTheme:
    key: str  # stable across runs on the same answers; usable as a codebook theme id
    label: str
    lemmas: tuple[str, ...]  # the words that make the theme, most shared first
    noun_phrases: tuple[str, ...]
    languages: tuple[str, ...]  # of its answers, most answers first
    size: int  # answers holding any of the theme's terms
    example_keys: tuple[str, ...]  # the most typical answers, most typical first


@dataclass
class _Cluster:
    core: int  # bitmask of the answers of the first seed
    members: int  # bitmask of the answers holding any term
    language: str  # the language most of the core is in
    terms: list[str] = field(default_factory=list)


def _mask(indexes: list[int], count: int) -> int:
    """The answers at `indexes` as bits of one integer (fast AND and bit_count)."""
    bits = bytearray((count + 7) // 8)
    for index in indexes:
        bits[index >> 3] |= 1 << (index & 7)
    return int.from_bytes(bits, "little")


def _indexes(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def _terms(features: TextFeatures) -> tuple[str, ...]:
    # Noun phrases hold a space and keywords never do, so one namespace serves both.
    return tuple(dict.fromkeys((*features.keywords, *features.noun_phrases)))


_FOLD = str.maketrans({"ð": "d", "þ": "th", "æ": "ae", "ø": "o", "ß": "ss", "ł": "l", "œ": "oe"})


def _slug(words: Sequence[str]) -> str:
    ascii_words = []
    for word in words:
        folded = unicodedata.normalize("NFKD", word.lower().translate(_FOLD))
        plain = re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")
        if plain:
            ascii_words.append(plain)
    return "-".join(ascii_words)[:48].strip("-")


def _key(lemmas: Sequence[str], taken: set[str]) -> str:
    base = _slug(lemmas[:2])
    if not base:  # a script without a Latin transliteration: name it by its terms
        base = "theme-" + hashlib.sha256(" ".join(lemmas).encode()).hexdigest()[:8]
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    taken.add(key)
    return key


def suggest_themes(
    answers: Sequence[tuple[str, TextFeatures]], *, max_themes: int = 12, min_size: int = 3
) -> tuple[CandidateTheme, ...]:
    """Candidate themes in `answers` ((answer key, features) pairs), largest first."""
    if max_themes < 1 or not answers:
        return ()
    min_size = max(1, min_size)
    count = len(answers)
    languages = [features.language or UNDETERMINED for _, features in answers]
    answer_terms = [_terms(features) for _, features in answers]
    per_language = Counter(languages)
    postings: dict[str, list[int]] = defaultdict(list)
    by_language: dict[str, Counter[str]] = defaultdict(Counter)
    for index, terms in enumerate(answer_terms):
        for term in terms:
            postings[term].append(index)
            by_language[term][languages[index]] += 1

    # Seeds: each language's most used terms, so that no language is crowded out.
    seeds: set[str] = set()
    ranked_by_language: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for term, counts in by_language.items():
        if len(postings[term]) < min_size:
            continue
        language, used = max(counts.items(), key=lambda item: (item[1], item[0]))
        total = per_language[language]
        if total >= _MAX_SHARE_FROM and used / total > _MAX_SHARE:
            continue
        for language, used in counts.items():
            ranked_by_language[language].append((-used, term))
    for ranked in ranked_by_language.values():
        seeds.update(term for _, term in sorted(ranked)[:_SEEDS_PER_LANGUAGE])
    # Most used first; at equal use a phrase reads better than a single word.
    ordered = sorted(seeds, key=lambda term: (-len(postings[term]), " " not in term, term))

    masks = {term: _mask(postings[term], count) for term in ordered}
    clusters: list[_Cluster] = []
    opened: Counter[str] = Counter()
    for term in ordered:
        mask, used = masks[term], len(postings[term])
        best, best_overlap = None, 0
        for cluster in clusters:
            overlap = (mask & cluster.core).bit_count()
            if overlap >= _JOIN_SHARE * used and overlap > best_overlap:
                best, best_overlap = cluster, overlap
        if best is not None:
            best.terms.append(term)
            best.members |= mask
            continue
        language = max(by_language[term].items(), key=lambda item: (item[1], item[0]))[0]
        if opened[language] >= _CANDIDATES_PER_LANGUAGE:
            continue
        opened[language] += 1
        clusters.append(_Cluster(core=mask, members=mask, language=language, terms=[term]))

    described = [_describe(cluster, answers, answer_terms, languages) for cluster in clusters]
    described.sort(key=lambda item: (-item[0], item[1], item[2]))
    taken: set[str] = set()
    candidates = [
        CandidateTheme(
            key=_key(lemmas or phrases, taken),
            label=label,
            lemmas=lemmas,
            noun_phrases=phrases,
            languages=theme_languages,
            size=size,
            example_keys=examples,
        )
        for size, label, lemmas, phrases, theme_languages, examples in described
    ]
    return _choose(candidates, max_themes)


def _describe(
    cluster: _Cluster,
    answers: Sequence[tuple[str, TextFeatures]],
    answer_terms: list[tuple[str, ...]],
    languages: list[str],
) -> tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    members = _indexes(cluster.members)
    size = len(members)
    shared: Counter[str] = Counter()
    for index in members:
        shared.update(answer_terms[index])
    # The cluster's own terms always show; others when many of its answers share them.
    shown = {
        term
        for term, used in shared.items()
        if term in cluster.terms or used >= max(2, _SHOWN_SHARE * size)
    }
    by_use = sorted(shown, key=lambda term: (-shared[term], term))
    lemmas = tuple(term for term in by_use if " " not in term)[:_LEMMAS_SHOWN]
    phrases = tuple(term for term in by_use if " " in term)[:_PHRASES_SHOWN]
    if phrases and shared[phrases[0]] >= _SHOWN_SHARE * size:
        label = phrases[0]
    else:
        label = " / ".join(lemmas[:2]) or phrases[0]
    # Typical: shares the most of what the theme's answers share, per word it has.
    weights = {term: shared[term] / size for term in (*lemmas, *phrases)}

    def typical(index: int) -> tuple[float, str]:
        terms = answer_terms[index]
        score = sum(weights.get(term, 0.0) for term in terms) / math.sqrt(len(terms))
        return (-score, answers[index][0])

    examples = tuple(answers[index][0] for index in sorted(members, key=typical)[:_EXAMPLES])
    spoken = Counter(languages[index] for index in members if languages[index] != UNDETERMINED)
    theme_languages = tuple(
        language for language, _ in sorted(spoken.items(), key=lambda item: (-item[1], item[0]))
    )
    return size, label, lemmas, phrases, theme_languages, examples


def _choose(candidates: list[CandidateTheme], max_themes: int) -> tuple[CandidateTheme, ...]:
    """The largest `max_themes`, with the largest of each language's own kept in."""

    def language(candidate: CandidateTheme) -> str:
        return candidate.languages[0] if candidate.languages else UNDETERMINED

    chosen = candidates[:max_themes]
    held = Counter(language(candidate) for candidate in chosen)
    for candidate in candidates[max_themes:]:
        if language(candidate) == UNDETERMINED or held[language(candidate)]:
            continue
        # Give up the smallest place held by a language that has more than one.
        for position in range(len(chosen) - 1, -1, -1):
            if held[language(chosen[position])] > 1:
                held[language(chosen.pop(position))] -= 1
                chosen.append(candidate)
                held[language(candidate)] += 1
                break
    order = {candidate.key: position for position, candidate in enumerate(candidates)}
    return tuple(sorted(chosen, key=lambda candidate: order[candidate.key]))
