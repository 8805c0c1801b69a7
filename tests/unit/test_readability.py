"""The builder's readability flags: long sentences and long words, per language."""

import pytest

from surveys.readability import LONG_WORD_LETTERS, MAX_SENTENCE_WORDS, assess, measurable

SHIPPED = ("en", "is", "fi", "sv", "nb", "da", "ar", "fa", "so", "pl", "uk")


def test_every_shipped_language_can_be_measured():
    assert all(measurable(locale) for locale in SHIPPED)
    assert set(LONG_WORD_LETTERS) == set(SHIPPED)


def test_a_short_plain_question_is_not_flagged():
    result = assess("Have you felt unsafe in your neighbourhood in the last 12 months?", "en")
    assert result is not None
    assert not result.hard
    assert result.words == 11  # "12" is not a word


def test_a_long_sentence_is_flagged_in_finnish():
    text = (
        "Olet ehkä kokenut turvattomuutta asuinalueellasi, ja tämä kysely kysyy siitä, miten"
        " kaupunki voisi parantaa turvallisuutta yhteistyössä järjestöjen, koulujen,"
        " nuorisotalojen ja poliisin kanssa seuraavan viiden vuoden aikana."
    )
    result = assess(text, "fi")
    assert result.longest_sentence > MAX_SENTENCE_WORDS
    assert result.long_sentence
    assert result.hard


def test_sentences_are_counted_apart():
    result = assess("Are you safe? Yes. Tell us more!", "en")
    assert (result.sentences, result.longest_sentence) == (3, 3)


def test_long_compounds_are_flagged_by_the_languages_own_limit():
    swedish = assess("Planen gäller förebyggandeverksamhetsplanering i kommunen.", "sv")
    assert swedish.long_words == ("förebyggandeverksamhetsplanering",)
    # An ordinary Finnish compound of 15 letters is not long for Finnish ...
    assert not assess("Kerro nuorisotalosta.", "fi").long_words
    # ... nor "neighbourhood" for English, while a longer English word is.
    assert not assess("Your neighbourhood.", "en").long_words
    assert assess("Your institutionalisation.", "en").long_words == ("institutionalisation",)


def test_lix_for_the_scandinavian_languages_only():
    danish = assess("Har du oplevet had i dit lokalområde?", "da")
    assert danish.lix is not None
    assert danish.lix < 50
    assert assess("Have you felt unsafe?", "en").lix is None


def test_a_long_official_swedish_sentence_is_hard_by_lix():
    text = (
        "Kommunstyrelsens förvaltningsövergripande samverkansstruktur möjliggör"
        " kunskapsbaserade förebyggande insatser."
    )
    assert assess(text, "sv").hard_index


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ar", "هل شعرت بعدم الأمان في حيك خلال الاثني عشر شهرا الماضية؟"),
        ("fa", "آیا در محله خود احساس ناامنی کرده‌اید؟"),
        ("uk", "Чи відчували ви себе в небезпеці у своєму районі?"),
        ("is", "Hefur þú fundið fyrir óöryggi í hverfinu þínu?"),
    ],
)
def test_non_latin_and_nordic_scripts_are_measured(locale, text):
    result = assess(text, locale)
    assert result is not None
    assert result.words >= 5
    assert not result.hard


def test_nothing_to_measure():
    assert assess("", "en") is None
    assert assess("123 456", "en") is None
    assert assess("Hallo Welt", "de") is None
    assert not measurable("de")
