"""Candidate themes: what a planner is offered from the answers, in every language."""

from __future__ import annotations

import random
import re

from analysis.codebook import ID_PATTERN
from analysis.text import analyse
from analysis.themes import CandidateTheme, suggest_themes

NIGHT_BUS = [
    "I feel unsafe on the bus at night.",
    "The bus stop near my home is dark at night and men shout at me.",
    "Waiting for the night bus is scary, there is no street lighting.",
    "At night on the bus people harass women.",
]
ONLINE = [
    "People post hateful comments online about refugees.",
    "Online comments about Muslims are horrible.",
    "My daughter was harassed online by classmates and the comments were cruel.",
]
POLICE = [
    "I reported the attack to the police but nothing happened.",
    "The police did not believe me when I reported it.",
    "Reported it twice, the police never called back.",
]
YOUTH = [
    "We need a youth centre open in the evening.",
    "Teenagers have nowhere to go, the youth centre closes early.",
    "The youth centre in Breiðholt is too small.",
]
ICELANDIC_BUS = [
    "Ég er hrædd í strætó á kvöldin.",
    "Strætó á kvöldin er óöruggur, menn áreita konur.",
    "Það er myrkur við biðskýlið og strætó kemur seint á kvöldin.",
]


def features_of(groups: dict[str, list[str]], hint: str | None = None):
    return [
        (f"{name}-{index}", analyse(text, hint))
        for name, texts in groups.items()
        for index, text in enumerate(texts)
    ]


ENGLISH = features_of(
    {"night": NIGHT_BUS, "online": ONLINE, "police": POLICE, "youth": YOUTH}, "en"
)
ICELANDIC = features_of({"strætó": ICELANDIC_BUS}, "is")


def theme_with(themes: tuple[CandidateTheme, ...], lemma: str) -> CandidateTheme:
    found = [theme for theme in themes if lemma in theme.lemmas]
    assert found, f"no theme with {lemma!r} in {[theme.label for theme in themes]}"
    return found[0]


def test_each_topic_the_answers_share_becomes_a_candidate_with_its_answers():
    themes = suggest_themes(ENGLISH)
    night = theme_with(themes, "bus")
    assert "night" in night.lemmas
    assert night.size == 4
    assert night.languages == ("en",)
    assert set(night.example_keys) <= {f"night-{index}" for index in range(4)}
    assert len(night.example_keys) == 3
    assert theme_with(themes, "police").size == 3
    assert theme_with(themes, "online").size == 3


def test_a_shared_noun_phrase_names_the_theme():
    youth = theme_with(suggest_themes(ENGLISH), "youth")
    assert youth.label == "youth centre"
    assert "youth centre" in youth.noun_phrases


def test_candidates_are_ranked_by_size_and_none_is_smaller_than_min_size():
    themes = suggest_themes(ENGLISH, min_size=3)
    sizes = [theme.size for theme in themes]
    assert sizes == sorted(sizes, reverse=True)
    assert min(sizes) >= 3
    assert themes[0].lemmas[:2] == ("bus", "night")
    assert all(theme.size >= 4 for theme in suggest_themes(ENGLISH, min_size=4))


def test_an_icelandic_only_cluster_is_found_next_to_a_larger_english_group():
    many_english = ENGLISH * 5  # the English topics dwarf the three Icelandic answers
    many_english = [(f"{key}-{copy}", f) for copy, (key, f) in enumerate(many_english)]
    themes = suggest_themes(many_english + ICELANDIC, max_themes=3)
    assert len(themes) == 3
    icelandic = theme_with(themes, "strætó")
    assert icelandic.languages == ("is",)
    assert icelandic.size == 3
    assert "kvöld" in icelandic.lemmas
    assert set(icelandic.example_keys) == {"strætó-0", "strætó-1", "strætó-2"}


def test_the_same_answers_in_another_order_give_the_same_candidates():
    answers = ENGLISH + ICELANDIC
    first = suggest_themes(answers)
    shuffled = list(answers)
    random.Random(7).shuffle(shuffled)
    assert suggest_themes(shuffled) == first
    assert suggest_themes(answers) == first


def test_keys_are_unique_and_valid_codebook_ids():
    themes = suggest_themes(ENGLISH + ICELANDIC)
    keys = [theme.key for theme in themes]
    assert len(set(keys)) == len(keys)
    assert all(re.match(ID_PATTERN, key) for key in keys)
    assert theme_with(themes, "strætó").key.isascii()


def test_max_themes_limits_and_nothing_in_gives_nothing_out():
    assert len(suggest_themes(ENGLISH, max_themes=2)) == 2
    assert suggest_themes([]) == ()
    assert suggest_themes(ENGLISH, max_themes=0) == ()
    assert suggest_themes([("a", analyse("")), ("b", analyse("!!"))]) == ()


def test_examples_are_the_answers_most_about_the_theme():
    answers = [
        ("short", analyse("Bus at night.", "en")),
        ("typical", analyse("The night bus is scary at night, the bus stop is dark.", "en")),
        ("other", analyse("I take the bus to work at night sometimes.", "en")),
        ("off", analyse("My bus pass is expensive and I walk instead.", "en")),
    ]
    night = theme_with(suggest_themes(answers), "night")
    assert night.size == 4
    # "off" only touches the theme (the bus, no night): it is the least typical.
    assert night.example_keys == ("short", "other", "typical")
