"""Auto-coding: keywords first, then what the planner confirms or corrects, with reasons."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import coder as module
from analysis.codebook import Codebook, ThemeDef, parse_codebook
from analysis.coder import Coder, ReviewedAnswer, Suggestion
from analysis.text import analyse

DEMO = parse_codebook((Path(module.__file__).parent / "demo_codebook.json").read_bytes())
NIGHT = "unsafe-night-transport"


def reviewed(text: str, *theme_ids: str, hint: str = "en", scope=None) -> ReviewedAnswer:
    return ReviewedAnswer(
        text, analyse(text, hint), frozenset(theme_ids), None if scope is None else frozenset(scope)
    )


def suggested(coder: Coder, text: str, hint: str = "en", **options) -> dict[str, Suggestion]:
    return {s.theme_id: s for s in coder.suggest(text, analyse(text, hint), **options)}


@pytest.fixture(scope="module")
def demo_coder() -> Coder:
    """The demo codebook alone: its keywords and two examples per theme."""
    return Coder.from_codebook(DEMO)


# --- from the codebook alone ---


def test_with_the_codebook_alone_a_matching_answer_is_coded_with_the_keyword_as_reason(
    demo_coder,
):
    assert demo_coder.modelled_themes == ()  # two examples a theme are not enough for a model
    found = suggested(demo_coder, "Someone wrote hateful comments about me on TikTok")
    assert list(found) == ["online-hate"]
    assert found["online-hate"].score >= module.THRESHOLD
    assert "keyword 'tiktok' matched" in found["online-hate"].reasons
    assert "keyword 'comments' matched" in found["online-hate"].reasons


def test_more_keywords_matched_score_higher(demo_coder):
    one = suggested(demo_coder, "The bus is always full.")[NIGHT].score
    two = suggested(demo_coder, "The bus is scary at night.")[NIGHT].score
    assert module.THRESHOLD <= one < two <= 1


def test_an_answer_about_nothing_in_the_codebook_gets_no_theme(demo_coder):
    assert suggested(demo_coder, "The library has good opening hours.") == {}
    assert demo_coder.suggest("", analyse("")) == ()


def test_a_keyword_with_a_star_matches_inflected_icelandic_words(demo_coder):
    found = suggested(demo_coder, "Ég þori ekki að taka strætóinn á kvöldin", hint="is")
    reasons = found[NIGHT].reasons
    assert "keyword 'strætó*' matched 'strætóinn'" in reasons
    assert "keyword 'kvöld*' matched 'kvöldin'" in reasons


def test_a_keyword_matches_by_its_lemma_and_as_a_phrase():
    codebook = Codebook(
        (
            ThemeDef("police", "Police", keywords=("reported",)),
            ThemeDef("stop", "Stops", keywords=("bus stop",)),
        )
    )
    coder = Coder.from_codebook(codebook)
    assert (
        "keyword 'reported' matched 'reporting'"
        in suggested(coder, "I am reporting it to them")["police"].reasons
    )
    assert (
        "keyword 'bus stop' matched 'bus stops'"
        in suggested(coder, "The bus stops are dark")["stop"].reasons
    )
    assert "stop" not in suggested(coder, "Stop the bus")  # the words, not in that order


def test_examples_in_the_codebook_are_remembered_like_reviewed_answers(demo_coder):
    example = DEMO.theme("youth-spaces").examples[0]
    found = suggested(demo_coder, example.upper())
    assert list(found) == ["youth-spaces"]
    assert found["youth-spaces"].score == 1.0
    assert found["youth-spaces"].reasons == ("a planner coded this same text",)


# --- learning from reviews ---

BUS_FARES = [
    "The bus fare went up again, I cannot afford it.",
    "Bus tickets are too expensive for students.",
    "The bus is always late in the morning.",
    "I would like a cheaper bus pass.",
]
NIGHT_CONFIRMED = [
    "A man followed me from the bus at night.",
    "I'm scared walking home in the dark.",
    "Drunk men harass girls on the night bus.",
]


@pytest.fixture(scope="module")
def corrected_coder() -> Coder:
    """The demo codebook after a planner corrected bus-fare answers and confirmed night ones."""
    reviews = [reviewed(text) for text in BUS_FARES]
    reviews += [reviewed(text, NIGHT) for text in NIGHT_CONFIRMED]
    return Coder.from_codebook(DEMO, reviews)


def test_a_correction_stops_a_wrong_keyword_suggestion(demo_coder, corrected_coder):
    answer = "Bus tickets cost too much"
    assert NIGHT in suggested(demo_coder, answer)  # the keyword 'bus' alone says so
    assert NIGHT in corrected_coder.modelled_themes
    assert NIGHT not in suggested(corrected_coder, answer)
    low = suggested(corrected_coder, answer, threshold=0)[NIGHT]
    assert low.score < 0.3
    assert "keyword 'bus' matched" in low.reasons


def test_confirmed_answers_teach_words_the_keywords_lack(demo_coder, corrected_coder):
    answer = "A man followed me home"
    assert NIGHT not in suggested(demo_coder, answer)
    found = suggested(corrected_coder, answer)[NIGHT]
    assert found.score >= module.THRESHOLD
    assert found.reasons[0].startswith("model from ")
    assert any(reason.startswith("word 'home' weighs +") for reason in found.reasons)


def test_confirmed_and_keyword_agree_on_a_clear_answer(corrected_coder):
    found = suggested(corrected_coder, "Men harassed me at the bus stop late at night")[NIGHT]
    assert found.score > 0.8
    assert "word 'night' weighs" in " ".join(found.reasons)
    assert "keyword 'bus stop' matched" in found.reasons


def test_a_later_review_overrides_an_example():
    example = DEMO.theme(NIGHT).examples[0]
    coder = Coder.from_codebook(DEMO, [reviewed(example, "reporting-trust-police")])
    assert list(suggested(coder, example)) == ["reporting-trust-police"]


def test_a_review_scoped_to_one_theme_says_nothing_about_the_others():
    text = "The bus fare went up and the police stopped me at night."
    scoped = Coder.from_codebook(DEMO, [reviewed(text, scope={NIGHT})])
    found = suggested(scoped, text)
    assert NIGHT not in found  # rejected for that theme
    assert "reporting-trust-police" in found  # undecided: the keywords still speak


FINNISH = Codebook(
    (
        ThemeDef("harassment", "Häirintä", keywords=("häirintä",)),
        ThemeDef("parks", "Puistot", keywords=("puisto",)),
    )
)
FINNISH_REVIEWS = [
    ("Koin häirintää koulussa", "harassment"),
    ("Minua häirittiin bussissa", "harassment"),
    ("Häiriköt seurasivat minua kotiin", "harassment"),
    ("Häirinnästä pitäisi puhua enemmän", "harassment"),
    ("Puistossa on roskia", "parks"),
    ("Kirjasto on hyvä paikka", None),
    ("Bussit ovat liian kalliita", None),
    ("Puistoon tarvitaan valoja", "parks"),
]


def test_finnish_inflected_and_compound_words_match_by_their_letters():
    coder = Coder.from_codebook(
        FINNISH,
        [reviewed(text, *filter(None, [theme]), hint="fi") for text, theme in FINNISH_REVIEWS],
    )
    assert "harassment" in coder.modelled_themes
    answer = "Nettihäirintä on yleistä nuorilla"  # "online harassment", a compound
    features = analyse(answer, "fi")
    assert "häirintä" not in features.lemmas  # neither the keyword nor a word feature matches
    found = {s.theme_id: s for s in coder.suggest(answer, features)}
    assert "harassment" in found
    assert "'nettihäirintä' is spelled like words in reviewed answers" in " ".join(
        found["harassment"].reasons
    )


# --- batches and repeatability ---


def test_suggest_many_gives_what_suggest_gives_one_by_one(corrected_coder):
    texts = [*BUS_FARES, *NIGHT_CONFIRMED, "Racist comments online", "Ekkert að segja", ""]
    items = [(text, analyse(text, "en")) for text in texts]
    one_by_one = [corrected_coder.suggest(text, features) for text, features in items]
    assert list(corrected_coder.suggest_many(items, batch_size=3)) == one_by_one


def test_the_same_reviews_give_the_same_suggestions():
    reviews = [reviewed(text) for text in BUS_FARES]
    reviews += [reviewed(text, NIGHT) for text in NIGHT_CONFIRMED]
    first, second = Coder.from_codebook(DEMO, reviews), Coder.from_codebook(DEMO, reviews)
    answer = "Someone followed me from the bus stop"
    assert first.suggest(answer, analyse(answer, "en")) == second.suggest(
        answer, analyse(answer, "en")
    )


def test_reasons_can_be_translated():
    icelandic = {"keyword '{keyword}' matched": "lykilorðið '{keyword}' fannst"}
    coder = Coder.from_codebook(DEMO, translate=lambda text: icelandic.get(text, text))
    found = suggested(coder, "I hate the bus")
    assert "lykilorðið 'bus' fannst" in found[NIGHT].reasons
