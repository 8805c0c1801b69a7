"""What a submission tells by itself: the honeypot, the time taken, the digest of
its free text (copies alike however they are typed, short answers never compared)."""

from __future__ import annotations

import pytest

from surveys.abuse import (
    SECONDS_PER_PAGE,
    form_flags,
    join_flags,
    normalise_text,
    split_flags,
    text_digest,
)

LONG = "Please put street lights on the path along Fairview Road"


@pytest.fixture
def checks_on(monkeypatch):
    from consult.settings import get_settings

    monkeypatch.setenv("CONSULT_ABUSE_CHECKS", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_copies_are_alike_however_typed():
    assert normalise_text("  STOP it!!! 2024\tnow ") == "stop it now"
    copies = [LONG, LONG.upper() + "!!!", f"{LONG}, 2024.", LONG.replace(" ", "   ")]
    assert len({text_digest([copy]) for copy in copies}) == 1
    assert len(text_digest([LONG])) == 32


def test_other_texts_differ_and_short_ones_are_never_compared():
    assert text_digest([LONG]) != text_digest([LONG + " and Main Street"])
    for short in ("No.", "More police!", "nothing 123", ""):
        assert text_digest([short]) == ""


def test_the_digest_covers_every_text_of_the_response():
    assert text_digest(["Street lights", "on Fairview Road please"]) != ""
    assert text_digest(["Street lights", "on Fairview Road please"]) == text_digest(
        ["street lights on fairview road please"]
    )


def test_a_filled_honeypot_is_flagged_even_with_the_checks_off():
    assert form_flags("http://spam.example", 0.0, 10_000.0, 1, resumed=False) == ("honeypot",)
    assert form_flags("   ", 0.0, 10_000.0, 1, resumed=False) == ()


@pytest.mark.usefixtures("checks_on")
def test_faster_than_three_seconds_a_page_is_too_fast():
    pages = 5
    minimum = SECONDS_PER_PAGE * pages
    assert form_flags("", 100.0, 100.0 + minimum - 1, pages, resumed=False) == ("too_fast",)
    assert form_flags("", 100.0, 100.0 + minimum, pages, resumed=False) == ()
    # Never begun here: too fast; resumed with a code: not timed.
    assert form_flags("", None, 100.0, pages, resumed=False) == ("too_fast",)
    assert form_flags("", None, 100.0, pages, resumed=True) == ()


def test_flags_are_stored_once_each_in_order():
    assert join_flags(["rate", "honeypot", "rate", ""]) == "rate,honeypot"
    assert split_flags("rate,honeypot") == ("rate", "honeypot")
    assert split_flags("") == ()
