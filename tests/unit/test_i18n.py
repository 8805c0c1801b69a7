"""Which language a request gets."""

from consult.i18n import available_locales, negotiate, text_direction


def test_english_is_always_available():
    assert "en" in available_locales()


def test_unknown_languages_fall_back_to_the_default():
    assert negotiate(None, None, "xx-YY, zz;q=0.5", "en") == "en"
    assert negotiate("klingon", None, None, "en") == "en"


def test_explicit_choice_beats_the_browser():
    assert negotiate("en", None, "de", "en") == "en"


def test_accept_language_regions_match_their_language():
    assert negotiate(None, None, "en-GB;q=0.9, de;q=0.8", "en") == "en"


def test_direction():
    assert text_direction("en") == "ltr"
    assert text_direction("ar") == "rtl"
    assert text_direction("not-a-locale") == "ltr"
