"""Features of one free-text answer (language, lemmas, keywords, English sentiment
and noun phrases), computed once and stored. Pure code; the only module that
imports TextBlob.

Everything here works offline on a fresh machine: py3langid, simplemma and
stopwordsiso ship their models and lists inside their packages, and of TextBlob
only the bundled pattern code is used (its lexicon, sentiment file and
rule-based tagger and chunker live in ``textblob/en``). TextBlob's default word
tokenizer and noun-phrase extractors would need NLTK corpora (punkt, brown,
conll2000) that are downloaded, so they are never called.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

import py3langid.langid
import simplemma
import stopwordsiso
from textblob.en import parser as _pattern_parser
from textblob.en import sentiment as _pattern_sentiment

SUPPORTED_LANGUAGES: frozenset[str] = frozenset({"is", "fi", "sv", "nb", "nn", "da", "pl", "en"})
# TextBlob's sentiment lexicon is English; a score on other text would be noise.
SENTIMENT_LANGUAGES: frozenset[str] = frozenset({"en"})


@dataclass(frozen=True)
class TextFeatures:
    language: str | None  # ISO 639-1, None when too short or unsure
    tokens: tuple[str, ...]  # lowercased word tokens, in order
    lemmas: tuple[str, ...]  # one lemma per token
    keywords: tuple[str, ...]  # lemmas without stopwords and numbers, unique, in order
    polarity: float | None  # -1..1, English only
    subjectivity: float | None  # 0..1, English only
    noun_phrases: tuple[str, ...]  # English only; () elsewhere


EMPTY = TextFeatures(
    language=None,
    tokens=(),
    lemmas=(),
    keywords=(),
    polarity=None,
    subjectivity=None,
    noun_phrases=(),
)

# --- language ---------------------------------------------------------------------------------

# py3langid's "no" is trained mostly on Bokmål, the written standard of most
# Norwegians; it has a separate "nn" (Nynorsk), which we keep as it is.
_LANGID_TO_ISO = {"no": "nb"}
_LANGID_CODES = frozenset({"is", "fi", "sv", "no", "nn", "da", "pl", "en"})
# Below this probability for the best supported language the answer is
# probably in another language (German, Arabic, ...) or too short to tell.
_MIN_CONFIDENCE = 0.5
# The respondent's UI language wins a close call (Bokmål vs Danish, Nynorsk vs
# Bokmål) when it has at least this share of the winner's probability.
_HINT_SHARE = 0.2
# Answers of at most this many words ("takk", "ei mitään") carry too few
# character n-grams to identify; the UI language is the better guess for them.
_SHORT_ANSWER_WORDS = 2

_identifier: py3langid.langid.LanguageIdentifier | None = None
# (our code, column of its language in the identifier's score vector)
_identifier_columns: tuple[tuple[str, int], ...] = ()
_identifier_lock = threading.Lock()


def _language_identifier() -> py3langid.langid.LanguageIdentifier:
    """The py3langid model, loaded once per process (loading takes most of a second)."""
    global _identifier, _identifier_columns
    if _identifier is None:
        with _identifier_lock:
            if _identifier is None:
                # All of its languages, not only ours: a German or Arabic answer
                # must come out as unsupported, not as the nearest of ours.
                identifier = py3langid.langid.LanguageIdentifier.from_model_file(
                    py3langid.langid.MODEL_FILE, norm_probs=True
                )
                _identifier_columns = tuple(
                    (_LANGID_TO_ISO.get(code, code), identifier.nb_classes.index(code))
                    for code in sorted(_LANGID_CODES)
                )
                _identifier = identifier
    return _identifier


def _language_probabilities(text: str) -> dict[str, float]:
    """Probability of each supported language, normalised over all py3langid knows."""
    identifier = _language_identifier()
    if hasattr(identifier, "_decide"):
        # rank() sorts all 140 languages into a list for every answer; reading
        # our eight columns of the score vector (py3langid 0.4, pinned) is a
        # fifth of the pipeline's time cheaper and gives the same numbers.
        scores = identifier._decide(text)
        return {code: float(scores[column]) for code, column in _identifier_columns}
    return {
        _LANGID_TO_ISO.get(code, code): probability
        for code, probability in identifier.rank(text)
        if code in _LANGID_CODES
    }


def normalise_locale(locale: str | None) -> str | None:
    """The supported ISO 639-1 code of a UI locale ("nb-NO", "no", "en_GB"), or None."""
    if not locale:
        return None
    code = re.split(r"[-_]", locale.strip().lower(), maxsplit=1)[0]
    code = _LANGID_TO_ISO.get(code, code)
    return code if code in SUPPORTED_LANGUAGES else None


_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str, hint: str | None = None) -> str | None:
    """The supported language an answer is written in, or None when too short or unsure.

    `hint` is the respondent's UI locale: it decides close calls between
    neighbouring languages and stands in for answers of one or two words.
    """
    if not _LETTER.search(text):
        return None
    hinted = normalise_locale(hint)
    probabilities = _language_probabilities(text)
    best = max(probabilities, key=probabilities.__getitem__)
    best_probability = probabilities[best]
    hint_probability = probabilities.get(hinted, 0.0) if hinted else 0.0
    if best_probability >= _MIN_CONFIDENCE:
        if hinted and hint_probability >= _HINT_SHARE * best_probability:
            return hinted
        return best
    if (
        len(text.split()) <= _SHORT_ANSWER_WORDS
        and hint_probability >= _HINT_SHARE * best_probability
    ):
        return hinted
    return None


# --- tokens, lemmas, keywords ----------------------------------------------------------------

# Words (letters, with inner apostrophes or hyphens: "don't", "fritids-gården")
# and numbers ("2023", "1,5"); everything else (punctuation, emoji) separates them.
_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*")

# stopwordsiso has one Norwegian list ("no") for both written standards.
_STOPWORD_LISTS = {"nb": "no", "nn": "no"}
# stopwordsiso has no Icelandic list: the commonest function words, inflected
# forms included, since a token is checked as well as its lemma.
_ICELANDIC_STOPWORD_TEXT = """
að af alla allan allar allir allra allt alltaf allur á án bara báðir eða ef
eftir eg ég ein eina einhver eins einn eitt ekki ekkert en enda enn er eru fá
fyrir frá fram gegnum get geta getur gera gerir hafa hafði hann hans hefur hefði
heldur hennar hér hérna hjá hún hvað hvar hver hvern hvers hvert hvort hvernig í
inn já líka má mér mig mikið mín mína minn mínir mitt mjög mun munu með meðan
meira milli nei né nema nú núna og okkar okkur oft of sá sem sér sig sín sína
sinn sitt sjálf sjálfur skal skulu sú svo til um undir upp úr út var vera verða
verður við vil vilja voru væri yfir ykkar ykkur það þá þær þar þau þegar þeir
þeim þeirra þess þessa þessi þessu þessum þetta þig þín þinn þitt þó þú því
annar annað önnur
"""
_ICELANDIC_STOPWORDS = frozenset(_ICELANDIC_STOPWORD_TEXT.split())
# Words stopwords-iso's long English list drops that carry meaning in answers
# about safety and belonging ("no safe place for young people at home").
_ENGLISH_CONTENT_WORDS = frozenset(
    {"area", "fire", "free", "group", "help", "home", "place", "problem", "room", "school"}
    | {"welcome", "work", "world", "young", "old", "safe", "night", "people"}
)


@cache
def _stopwords(language: str) -> frozenset[str]:
    if language == "is":
        return _ICELANDIC_STOPWORDS
    words = frozenset(stopwordsiso.stopwords(_STOPWORD_LISTS.get(language, language)))
    if language == "en":
        words -= _ENGLISH_CONTENT_WORDS
    return words


_lemmatizer = simplemma.Lemmatizer()


@lru_cache(maxsize=200_000)
def _lemma_and_keyword(token: str, language: str | None) -> tuple[str, bool]:
    """A token's lemma, and whether that lemma is a keyword; cached per (token, language)."""
    lemma = _lemmatizer.lemmatize(token, language).lower() if language else token
    stopwords = _stopwords(language) if language else frozenset()
    is_keyword = (
        len(lemma) > 1
        and not any(character.isdigit() for character in lemma)
        and token not in stopwords
        and lemma not in stopwords
    )
    return lemma, is_keyword


# --- English: sentiment and noun phrases -------------------------------------------------------

# Penn tags of the words that make a noun phrase: adjectives then nouns.
_ADJECTIVE_TAGS = frozenset({"JJ", "JJR", "JJS", "VBN", "VBG"})
_NOUN_TAGS = frozenset({"NN", "NNS", "NNP", "NNPS"})
_PHRASE_TAGS = _NOUN_TAGS | _ADJECTIVE_TAGS
# Tagged as adjectives, but they say how much, not what: "more safe places".
_QUANTIFIERS = frozenset(
    {"more", "most", "less", "least", "many", "much", "few", "other", "several"}
)


def _noun_phrases(sentences: list[list[str]]) -> tuple[str, ...]:
    """Noun phrases ("safe places", "bus station") from the bundled pattern chunker.

    A noun-phrase chunk is cut into runs of adjectives followed by nouns, as
    TextBlob's own extractor merges them (determiners, pronouns and "and" end a
    run); a run counts when it has two words or more, or is one proper noun.
    """
    phrases: dict[str, None] = {}

    def keep(run: list[tuple[str, str]]) -> None:
        while run and run[0][0].lower() in _QUANTIFIERS:
            run.pop(0)
        while run and run[-1][1] not in _NOUN_TAGS:
            run.pop()
        if len(run) >= 2 or (run and run[0][1].startswith("NNP")):
            phrases.setdefault(" ".join(word.lower() for word, _ in run))

    for words in sentences:
        run: list[tuple[str, str]] = []
        for word, tag, chunk, *_ in _pattern_parser.find_chunks(_pattern_parser.find_tags(words)):
            if not (chunk.endswith("-NP") and tag in _PHRASE_TAGS and _LETTER.search(word)):
                keep(run)
                run = []
                continue
            if chunk.startswith("B-") or (
                tag in _ADJECTIVE_TAGS and run and run[-1][1] in _NOUN_TAGS
            ):
                keep(run)
                run = []
            run.append((word, tag))
        keep(run)
    return tuple(phrases)


def _english(text: str) -> tuple[float, float, tuple[str, ...]]:
    """Polarity, subjectivity and noun phrases of English text, tokenised once."""
    sentences = [sentence.split(" ") for sentence in _pattern_parser.find_tokens(text)]
    # The same lowercased pattern tokens TextBlob(text).sentiment scores.
    score = _pattern_sentiment([word.lower() for words in sentences for word in words])
    return float(score[0]), float(score[1]), _noun_phrases(sentences)


# --- the pipeline ------------------------------------------------------------------------------


def analyse(text: str, hint: str | None = None) -> TextFeatures:
    """Every stored feature of one answer; `hint` is the respondent's UI locale."""
    tokens = tuple(match.lower() for match in _TOKEN.findall(text))
    if not tokens:
        return EMPTY
    language = detect_language(text, hint)
    lemmas: list[str] = []
    keywords: dict[str, None] = {}
    for token in tokens:
        lemma, is_keyword = _lemma_and_keyword(token, language)
        lemmas.append(lemma)
        if is_keyword:
            keywords.setdefault(lemma)
    polarity = subjectivity = None
    noun_phrases: tuple[str, ...] = ()
    if language in SENTIMENT_LANGUAGES:
        polarity, subjectivity, noun_phrases = _english(text)
    return TextFeatures(
        language=language,
        tokens=tokens,
        lemmas=tuple(lemmas),
        keywords=tuple(keywords),
        polarity=polarity,
        subjectivity=subjectivity,
        noun_phrases=noun_phrases,
    )


def analyse_many(texts: Iterable[tuple[str, str | None]]) -> Iterator[TextFeatures]:
    """`analyse` over (text, UI locale) pairs, loading the models once for the batch."""
    _language_identifier()
    for text, hint in texts:
        yield analyse(text, hint)
