"""Auto-coding: which codebook themes an answer belongs to, and why. Pure code.

Every suggestion starts from the codebook's keywords, so coding works before a
planner has reviewed anything. Each keyword is matched as written, as its lemma
in the answer's language (the keyword "reported" matches "reporting"), and with
a trailing `*` as the start of a word ("strætó*" matches "strætóinn").

The coder then learns from the answers a planner has reviewed; a codebook's
examples count exactly as answers confirmed for their theme. Once a theme has at
least `MIN_REVIEWED` answers on each side (with and without it), it gets its own
logistic regression over word TF-IDF (of lemmas) and character 2-4-grams within
words (which also catch inflected Icelandic and Finnish forms the lemmatiser
misses). A linear model keeps every suggestion explainable: the reasons name the
words of the answer that weigh most for the theme. The model's probability and
the keywords are combined on the log-odds scale, the keywords counting less the
more reviewed answers the theme has, so a planner's corrections win over a
keyword that misleads.

Speed: texts are vectorised in batches and scored against all theme models with
one sparse matrix product (`suggest_many`); reasons are worked out only for the
themes suggested.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice

import numpy as np
import simplemma
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from analysis.codebook import Codebook
from analysis.text import SUPPORTED_LANGUAGES, TextFeatures
from analysis.text import analyse as analyse_text
from consult.i18n import N_

THRESHOLD = 0.5  # a theme is suggested from this score up
MIN_REVIEWED = 3  # answers with, and answers without, a theme before it gets a model
# Strength of the regularisation: the inverse, as scikit-learn takes it. Training
# sets are small and TF-IDF rows have unit length, so a weak penalty is needed for
# the model to say anything beyond the base rate.
_C = 10.0
# How much the keywords still count beside a model fitted on n reviewed answers:
# k / (k + n), so 1/2 at 4 answers, 1/6 at 20.
_KEYWORD_PRIOR = 4.0
_REASONS_PER_KIND = 3
_MIN_WEIGHT = 0.05  # a word below this weight is not worth naming
_BATCH = 2_000

REASON_KEYWORD = N_("keyword '{keyword}' matched")
REASON_KEYWORD_FORM = N_("keyword '{keyword}' matched '{word}'")
REASON_MODEL = N_("model from {reviewed} reviewed answers ({positive} with this theme) gives {p}")
REASON_WORD = N_("word '{word}' weighs {weight:+.1f} in reviewed answers")
REASON_LETTERS = N_("'{word}' is spelled like words in reviewed answers ({weight:+.1f})")
REASON_SAME = N_("a planner coded this same text")


@dataclass(frozen=True)
class ReviewedAnswer:
    """An answer whose codes a planner confirmed or corrected.

    `theme_ids` are the themes it belongs to. `scope` is the themes the planner
    decided on: for each of them the answer is a positive (in `theme_ids`) or a
    negative; None means every theme of the codebook (the answer was coded in full).
    """

    text: str
    features: TextFeatures
    theme_ids: frozenset[str]
    scope: frozenset[str] | None = None


@dataclass(frozen=True)
class Suggestion:
    theme_id: str
    score: float  # 0..1
    reasons: tuple[str, ...]  # human-readable, strongest first


@dataclass(frozen=True)
class _Keyword:
    theme: int
    text: str  # as the codebook has it
    parts: tuple[str, ...]  # lowercased words
    prefix: bool  # ends in "*": the last part is the start of a word


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(doc: str) -> list[str]:
    return doc.split()


def _word_doc(features: TextFeatures) -> str:
    return " ".join(features.keywords or features.lemmas)


def _letters_doc(features: TextFeatures) -> str:
    return " ".join(features.tokens)


def _keyword(theme: int, text: str, tokenise: Callable[[str], TextFeatures]) -> _Keyword | None:
    parts = tokenise(text.rstrip("*")).tokens
    return _Keyword(theme, text, parts, text.endswith("*")) if parts else None


_Forms = tuple[frozenset[str], ...]


def _forms(keyword: _Keyword, language: str | None) -> _Forms:
    """What each word of the keyword may be in an answer in `language`: as written,
    or its lemma in that language (a Danish answer is matched with Danish lemmas)."""
    forms = []
    for position, part in enumerate(keyword.parts):
        lemma = part
        if language in SUPPORTED_LANGUAGES and not (
            keyword.prefix and position == len(keyword.parts) - 1  # a stem, as written
        ):
            try:
                lemma = simplemma.lemmatize(part, lang=language).lower()
            except ValueError:  # a language simplemma lacks
                lemma = part
        forms.append(frozenset({part, lemma}))
    return tuple(forms)


def _matches(keyword: _Keyword, forms: _Forms, features: TextFeatures) -> str | None:
    """The answer's word (or words) the keyword matched, or None."""
    last = len(forms) - 1
    tokens, lemmas = features.tokens, features.lemmas
    for start in range(len(tokens) - last):
        for offset, wanted in enumerate(forms):
            token, lemma = tokens[start + offset], lemmas[start + offset]
            if keyword.prefix and offset == last:
                (stem,) = wanted
                if not (token.startswith(stem) or lemma.startswith(stem)):
                    break
            elif token not in wanted and lemma not in wanted:
                break
        else:
            return " ".join(tokens[start : start + last + 1])
    return None


class _KeywordIndex:
    """The keywords' forms in one language, indexed by their first word, so that an
    answer is checked only against keywords that could match it."""

    def __init__(self, keywords: Sequence[_Keyword], language: str | None) -> None:
        self.forms = tuple(_forms(keyword, language) for keyword in keywords)
        self._exact: dict[str, list[int]] = {}
        self._stems: dict[str, list[int]] = {}
        for position, (keyword, forms) in enumerate(zip(keywords, self.forms, strict=True)):
            if keyword.prefix and len(forms) == 1:
                (stem,) = forms[0]
                self._stems.setdefault(stem, []).append(position)
                continue
            for form in forms[0]:
                self._exact.setdefault(form, []).append(position)
        self._stem_lengths = sorted({len(stem) for stem in self._stems})

    def candidates(self, features: TextFeatures) -> list[int]:
        """Positions of the keywords whose first word is in the answer, in order."""
        found: set[int] = set()
        for word in {*features.tokens, *features.lemmas}:
            found.update(self._exact.get(word, ()))
            for length in self._stem_lengths:
                if length > len(word):
                    break
                found.update(self._stems.get(word[:length], ()))
        return sorted(found)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x > -700 else 0.0


class Coder:
    """Suggests themes for answers from a codebook and the planner's reviews."""

    def __init__(
        self,
        codebook: Codebook,
        keywords: Sequence[_Keyword],
        memory: dict[str, dict[int, bool]],
        word_vectorizer: TfidfVectorizer | None,
        letters_vectorizer: TfidfVectorizer | None,
        models: dict[int, tuple[np.ndarray, float, int, int]],
        threshold: float,
        translate: Callable[[str], str],
    ) -> None:
        self.codebook = codebook
        self.threshold = threshold
        self._ids = codebook.ids
        self._keywords = tuple(keywords)
        # Keyword forms per answer language, worked out when a language first
        # appears (loading a lemma dictionary takes up to seconds).
        self._forms: dict[str | None, _KeywordIndex] = {}
        self._memory = memory
        self._word_vectorizer = word_vectorizer
        self._letters_vectorizer = letters_vectorizer
        self._models = models
        self._translate = translate
        self._modelled = tuple(sorted(models))
        if models:
            self._coef = np.vstack([models[theme][0] for theme in self._modelled]).T
            self._intercept = np.array([models[theme][1] for theme in self._modelled])
            self._word_count = len(word_vectorizer.vocabulary_)
            names = [*word_vectorizer.get_feature_names_out()]
            names += list(letters_vectorizer.get_feature_names_out())
            self._names = names

    @classmethod
    def from_codebook(
        cls,
        codebook: Codebook,
        reviewed: Sequence[ReviewedAnswer] = (),
        *,
        analyse: Callable[[str], TextFeatures] | None = None,
        threshold: float = THRESHOLD,
        translate: Callable[[str], str] = str,
    ) -> Coder:
        """A coder for `codebook`, trained on its examples and the `reviewed` answers.

        `analyse` computes the features of the examples and keywords (by default
        `analysis.text.analyse`); `translate` translates the reasons' templates.
        """
        analyse = analyse or analyse_text
        index = {theme_id: position for position, theme_id in enumerate(codebook.ids)}
        keywords = [
            found
            for position, theme in enumerate(codebook.themes)
            for text in theme.keywords
            if (found := _keyword(position, text, analyse)) is not None
        ]
        # One training row per distinct text; a later decision on a theme wins,
        # so a planner's correction overrides an example or an earlier review.
        labels: dict[str, dict[int, bool]] = {}
        features: dict[str, TextFeatures] = {}
        # An example is an answer coded with its theme (with all of them, when
        # several themes share the same example) and with no other.
        example_themes: dict[str, set[int]] = {}
        for position, theme in enumerate(codebook.themes):
            for text in theme.examples:
                example_themes.setdefault(text, set()).add(position)
        training = [(text, analyse(text), themes, None) for text, themes in example_themes.items()]
        for answer in reviewed:
            themes = {index[theme_id] for theme_id in answer.theme_ids if theme_id in index}
            scope = None
            if answer.scope is not None:
                scope = {index[theme_id] for theme_id in answer.scope if theme_id in index}
            training.append((answer.text, answer.features, themes, scope))
        for text, text_features, positives, scope in training:
            key = _normal(text)
            if not key:
                continue
            features.setdefault(key, text_features)
            decided = labels.setdefault(key, {})
            for theme in range(len(index)) if scope is None else sorted(scope | positives):
                decided[theme] = theme in positives
        word_vectorizer = letters_vectorizer = None
        models: dict[int, tuple[np.ndarray, float, int, int]] = {}
        texts = list(labels)
        trainable = [
            theme
            for theme in range(len(index))
            if sum(labels[text].get(theme) is True for text in texts) >= MIN_REVIEWED
            and sum(labels[text].get(theme) is False for text in texts) >= MIN_REVIEWED
        ]
        if trainable:
            word_vectorizer = TfidfVectorizer(analyzer=_words, sublinear_tf=True)
            letters_vectorizer = TfidfVectorizer(
                analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True
            )
            matrix = sparse.hstack(
                [
                    word_vectorizer.fit_transform([_word_doc(features[t]) for t in texts]),
                    letters_vectorizer.fit_transform([_letters_doc(features[t]) for t in texts]),
                ]
            ).tocsr()
            for theme in trainable:
                rows = [row for row, text in enumerate(texts) if theme in labels[text]]
                target = np.array([labels[texts[row]][theme] for row in rows], dtype=int)
                model = LogisticRegression(
                    C=_C, class_weight="balanced", max_iter=1000, random_state=0
                )
                model.fit(matrix[rows], target)
                models[theme] = (
                    model.coef_[0].copy(),
                    float(model.intercept_[0]),
                    len(rows),
                    int(target.sum()),
                )
        return cls(
            codebook,
            keywords,
            labels,
            word_vectorizer,
            letters_vectorizer,
            models,
            threshold,
            translate,
        )

    @property
    def modelled_themes(self) -> tuple[str, ...]:
        """The themes with enough reviewed answers to have a model of their own."""
        return tuple(self._ids[theme] for theme in self._modelled)

    def suggest(
        self, text: str, features: TextFeatures, *, threshold: float | None = None
    ) -> tuple[Suggestion, ...]:
        """The themes `text` belongs to, best first (pass threshold=0 to score all)."""
        return next(self.suggest_many([(text, features)], threshold=threshold))

    def suggest_many(
        self,
        items: Iterable[tuple[str, TextFeatures]],
        *,
        threshold: float | None = None,
        batch_size: int = _BATCH,
    ) -> Iterator[tuple[Suggestion, ...]]:
        """`suggest` over (text, features) pairs, in order, vectorising a batch at a time."""
        cutoff = self.threshold if threshold is None else threshold
        iterator = iter(items)
        while batch := list(islice(iterator, batch_size)):
            probabilities = rows = None
            if self._models:
                rows = self._vectorise([features for _, features in batch])
                probabilities = 1 / (1 + np.exp(-(rows @ self._coef + self._intercept)))
            for position, (text, features) in enumerate(batch):
                yield self._suggestions(
                    text,
                    features,
                    None if probabilities is None else probabilities[position],
                    None if rows is None else rows.getrow(position),
                    cutoff,
                )

    def _vectorise(self, features: Sequence[TextFeatures]) -> sparse.csr_matrix:
        return sparse.hstack(
            [
                self._word_vectorizer.transform([_word_doc(f) for f in features]),
                self._letters_vectorizer.transform([_letters_doc(f) for f in features]),
            ]
        ).tocsr()

    def _suggestions(
        self,
        text: str,
        features: TextFeatures,
        probabilities: np.ndarray | None,
        row: sparse.csr_matrix | None,
        cutoff: float,
    ) -> tuple[Suggestion, ...]:
        say = self._translate
        matched: dict[int, list[str]] = {}
        index = self._forms.get(features.language)
        if index is None:
            index = self._forms[features.language] = _KeywordIndex(
                self._keywords, features.language
            )
        for position in index.candidates(features):
            keyword = self._keywords[position]
            word = _matches(keyword, index.forms[position], features)
            if word is None:
                continue
            template = REASON_KEYWORD if word == keyword.text.casefold() else REASON_KEYWORD_FORM
            matched.setdefault(keyword.theme, []).append(
                say(template).format(keyword=keyword.text, word=word)
            )
        remembered = self._memory.get(_normal(text), {})
        found = []
        for theme in range(len(self._ids)):
            if theme in remembered:
                score = 1.0 if remembered[theme] else 0.0
                reasons = [say(REASON_SAME)]
            else:
                hits = matched.get(theme, [])
                # 0.6 for one keyword, 0.8 for two, 0.9 for three...
                keyword_score = 1 - 0.4 * 0.5 ** (len(hits) - 1) if hits else 0.0
                model = self._models.get(theme)
                if model is None:
                    score, reasons = keyword_score, hits
                else:
                    reviewed, positive = model[2], model[3]
                    p = float(probabilities[self._modelled.index(theme)])
                    logit = _logit(p)
                    if hits:
                        logit += (
                            _KEYWORD_PRIOR / (_KEYWORD_PRIOR + reviewed) * _logit(keyword_score)
                        )
                    score = _sigmoid(logit)
                    reasons = [*hits]
                    if score >= cutoff:
                        model_reason = say(REASON_MODEL).format(
                            reviewed=reviewed, positive=positive, p=f"{p:.2f}"
                        )
                        reasons = [model_reason, *self._explain(theme, row, features), *hits]
            if score >= cutoff and score > 0:
                found.append(Suggestion(self._ids[theme], round(score, 4), tuple(reasons)))
        found.sort(key=lambda suggestion: -suggestion.score)  # stable: codebook order on ties
        return tuple(found)

    def _explain(self, theme: int, row: sparse.csr_matrix, features: TextFeatures) -> list[str]:
        """The answer's words that weigh most for `theme` in its model."""
        say = self._translate
        coef = self._models[theme][0]
        words: list[tuple[float, str]] = []
        spelled: dict[str, float] = {}
        keywords = set(features.keywords)
        # Only content words are named: "the" shares letters with everything.
        lemma_of = {
            token: lemma
            for token, lemma in zip(features.tokens, features.lemmas, strict=True)
            if lemma in keywords
        }
        for column, value in zip(row.indices, row.data, strict=True):
            contribution = float(value * coef[column])
            name = self._names[column]
            if column < self._word_count:
                words.append((contribution, name))
                continue
            # A character n-gram is credited to the words of the answer it occurs in.
            holders = [token for token in lemma_of if name in f" {token} "]
            for token in holders:
                spelled[token] = spelled.get(token, 0.0) + contribution / len(holders)
        strongest = [
            (weight, word)
            for weight, word in sorted(words, key=lambda item: (-item[0], item[1]))
            if weight >= _MIN_WEIGHT
        ][:_REASONS_PER_KIND]
        reasons = [say(REASON_WORD).format(word=word, weight=weight) for weight, word in strongest]
        named = {word for _, word in strongest}
        reasons += [
            say(REASON_LETTERS).format(word=token, weight=weight)
            for token, weight in sorted(spelled.items(), key=lambda item: (-item[1], item[0]))
            if weight >= _MIN_WEIGHT and lemma_of[token] not in named
        ][:_REASONS_PER_KIND]
        return reasons
