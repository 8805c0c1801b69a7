"""Answers that describe threats, violence or self-harm are flagged for human review in
every supported language; ordinary answers are not."""

from __future__ import annotations

import pytest

from analysis.safeguarding import CONCERNS, NOT_SIGNALS, SIGNALS, concerns
from analysis.text import EMPTY, SUPPORTED_LANGUAGES, analyse


def flags(answer: str, locale: str | None = None) -> tuple[str, ...]:
    return concerns(analyse(answer, locale), answer)


@pytest.mark.parametrize(
    ("answer", "locale", "expected"),
    [
        ("He threatened to kill me at the bus stop.", "en", ("threat", "violence")),
        ("They beat me up and I was attacked.", "en", ("violence",)),
        ("Sometimes I want to kill myself.", "en", ("self_harm",)),
        ("I have suicidal thoughts.", "en", ("self_harm",)),
        ("Hann hótaði að drepa mig.", "is", ("threat", "violence")),
        ("Ég varð fyrir ofbeldi og var barinn.", "is", ("violence",)),
        ("Mig langar að fremja sjálfsvíg.", "is", ("self_harm",)),
        ("Þeir réðust á mig í strætó.", "is", ("violence",)),
        ("Meitä uhkailtiin koulussa.", "fi", ("threat",)),
        ("Minua pahoinpideltiin ja lyötiin.", "fi", ("violence",)),
        ("Olen ajatellut itsemurhaa.", "fi", ("self_harm",)),
        ("De hotade mig på bussen.", "sv", ("threat",)),
        ("Jag blev misshandlad och knivhuggen.", "sv", ("violence",)),
        ("Jag har självmordstankar.", "sv", ("self_harm",)),
        ("Jag vill ta livet av mig.", "sv", ("self_harm",)),
        ("De truet meg på skolen.", "nb", ("threat",)),
        ("Jeg ble utsatt for vold og banket opp.", "nb", ("violence",)),
        ("Han ble knivstukket i går.", "nb", ("violence",)),
        ("Jeg har tenkt på selvmord.", "nb", ("self_harm",)),
        ("Eg vart utsett for vald.", "nb", ("violence",)),
        ("De truede mig i toget.", "da", ("threat",)),
        ("Jeg blev overfaldet og tæsket.", "da", ("violence",)),
        ("Jeg har tænkt på selvmord.", "da", ("self_harm",)),
        ("Grozili mi w szkole.", "pl", ("threat",)),
        ("Zostałem pobity i zaatakowany.", "pl", ("violence",)),
        ("Myślę o samobójstwie.", "pl", ("self_harm",)),
        ("Chcę się zabić.", "pl", ("self_harm",)),
    ],
)
def test_describing_harm_is_flagged(answer, locale, expected):
    assert flags(answer, locale) == expected


@pytest.mark.parametrize(
    ("answer", "locale"),
    [
        ("We play cards to kill time at the youth club.", "en"),
        ("I had a panic attack before the exam.", "en"),
        ("That is true, the park is safe now.", "en"),
        ("so true", None),
        ("The new hot dog stand is great.", "en"),
        ("Ég fór á barinn með vinum mínum.", "is"),
        ("Ég vil stinga upp á fleiri ljósum.", "is"),
        ("Kaupungissa pitäisi olla enemmän valoja.", "fi"),
        ("Lyön vetoa, että kukaan ei tule.", "fi"),
        ("Vi spelar kort för att döda tiden.", "sv"),
        ("Banke på døren før du går inn.", "nb"),
        ("Vi trenger flere trygge møteplasser.", "nb"),
        ("Vi har brug for flere voksne.", "da"),
        ("Potrzeba więcej oświetlenia.", "pl"),
        ("", None),
        ("👍", "en"),
    ],
)
def test_ordinary_answers_are_not_flagged(answer, locale):
    assert flags(answer, locale) == ()


def test_a_concern_is_reported_once_in_a_fixed_order():
    answer = "They threatened us, attacked us, and beat up my brother; another threat came later."
    assert flags(answer, "en") == ("threat", "violence")


def test_english_is_checked_in_answers_in_other_languages():
    assert flags("Jeg ble threatened på trikken i går kveld av noen gutter", "nb") == ("threat",)


def test_answer_without_stored_features_is_still_read():
    assert concerns(EMPTY, "They threatened me") == ("threat",)


def test_every_supported_language_has_a_list_for_every_concern():
    norwegian = {"nb", "nn"}  # one list serves both written standards
    for concern in CONCERNS:
        listed = set(SIGNALS[concern])
        assert listed | norwegian == SUPPORTED_LANGUAGES | {"nb"} | norwegian, concern
    assert set(NOT_SIGNALS) <= SUPPORTED_LANGUAGES
