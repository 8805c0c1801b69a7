"""Text features of an answer: language, lemmas, keywords, English sentiment and noun
phrases, computed offline on a fresh machine."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import text
from analysis.text import (
    SENTIMENT_LANGUAGES,
    SUPPORTED_LANGUAGES,
    TextFeatures,
    analyse,
    analyse_many,
    detect_language,
    normalise_locale,
)

ROOT = Path(__file__).resolve().parents[2]


def test_supported_languages_are_the_nordic_ones_polish_and_english():
    assert {"is", "fi", "sv", "nb", "nn", "da", "pl", "en"} == SUPPORTED_LANGUAGES
    assert {"en"} == SENTIMENT_LANGUAGES


@pytest.mark.parametrize(
    ("answer", "language"),
    [
        ("Ég er hrædd við að ganga heim á kvöldin.", "is"),
        ("Það vantar fleiri staði þar sem ungt fólk getur hist.", "is"),
        ("Pelkään kävellä kotiin illalla.", "fi"),
        ("Kaupungissa pitäisi olla enemmän valoja.", "fi"),
        ("Jag är rädd att gå hem på kvällen.", "sv"),
        ("Det behövs fler vuxna på fritidsgården.", "sv"),
        ("Jeg er redd for å gå hjem om kvelden.", "nb"),
        ("Politiet bør ta hatkriminalitet mer på alvor.", "nb"),
        ("Eg er redd for å gå heim om kvelden.", "nn"),
        ("Jeg er bange for at gå hjem om aftenen.", "da"),
        ("Min søster blev chikaneret i bussen.", "da"),
        ("Boję się wracać do domu wieczorem.", "pl"),
        ("Potrzeba więcej oświetlenia na ulicach.", "pl"),
        ("I am afraid to walk home at night.", "en"),
        ("More lights in the park please", "en"),
    ],
)
def test_language_of_a_short_sentence(answer, language):
    assert detect_language(answer) == language
    assert analyse(answer).language == language


def test_ui_locale_decides_a_close_call_between_danish_and_norwegian():
    answer = "Der mangler flere voksne i ungdomsklubben"
    assert detect_language(answer) == "da"
    assert detect_language(answer, hint="nb") == "nb"
    assert detect_language(answer, hint="nb-NO") == "nb"


def test_ui_locale_does_not_override_a_clear_language():
    assert detect_language("Jag är rädd att gå hem på kvällen.", hint="en") == "sv"


def test_one_word_answer_takes_the_ui_locale_or_stays_unknown():
    assert detect_language("takk", hint="nb") == "nb"
    assert detect_language("takk") is None
    assert detect_language("kiitos", hint="fi") == "fi"


def test_unsupported_language_is_unknown_whatever_the_ui_locale():
    assert detect_language("Ich habe Angst, nachts allein nach Hause zu gehen.", "sv") is None
    assert analyse("أنا خائف من المشي ليلا في الحي", "en").language is None


@pytest.mark.parametrize(
    ("locale", "code"),
    [("nb-NO", "nb"), ("no", "nb"), ("en_GB", "en"), ("IS", "is"), ("de", None), (None, None)],
)
def test_ui_locale_normalised_to_a_supported_code(locale, code):
    assert normalise_locale(locale) == code


@pytest.mark.parametrize(
    ("answer", "word", "lemma"),
    [
        ("Kaupungissa pitäisi olla enemmän valoja.", "kaupungissa", "kaupunki"),
        ("Pelkään kävellä kotiin illalla.", "illalla", "ilta"),
        ("Ég er hrædd við að ganga heim á kvöldin.", "kvöldin", "kvöld"),
        ("Ég er hrædd við að ganga heim á kvöldin.", "hrædd", "hræddur"),
        ("Jag är rädd att gå hem på kvällen.", "kvällen", "kväll"),
        ("Det behövs fler vuxna på fritidsgården.", "fritidsgården", "fritidsgård"),
        ("Det trengs flere voksne på ungdomsklubben.", "ungdomsklubben", "ungdomsklubb"),
        ("Jeg er bange for at gå hjem om aftenen.", "aftenen", "aften"),
        ("Potrzeba więcej oświetlenia na ulicach.", "ulicach", "ulica"),
        ("The police ignored our complaints.", "complaints", "complaint"),
    ],
)
def test_inflected_words_are_lemmatised_in_their_language(answer, word, lemma):
    features = analyse(answer)
    assert features.lemmas[features.tokens.index(word)] == lemma
    assert len(features.lemmas) == len(features.tokens)


def test_tokens_are_lowercased_words_without_punctuation_or_emoji():
    features = analyse("Bus STOP, at night!! 😡 Don't go.", "en")
    assert features.tokens == ("bus", "stop", "at", "night", "don't", "go")


def test_unknown_language_falls_back_to_the_lowercased_tokens():
    features = analyse("Ich habe Angst nachts allein nach Hause zu gehen")
    assert features.language is None
    assert features.lemmas == features.tokens
    assert features.polarity is None


def test_keywords_drop_stopwords_and_keep_order_without_repeats():
    swedish = analyse("Jag är rädd att gå hem på kvällen, varje kväll.")
    assert "jag" not in swedish.keywords
    assert "att" not in swedish.keywords
    assert "på" not in swedish.keywords
    assert swedish.keywords.count("kväll") == 1
    english = analyse("I am afraid to walk home at night, every night.", "en")
    assert english.keywords == ("afraid", "walk", "home", "night")


def test_icelandic_keywords_drop_function_words_without_a_stopwordsiso_list():
    features = analyse("Ég er hrædd við að ganga heim á kvöldin.", "is")
    assert {"ég", "er", "við", "að", "á"}.isdisjoint(features.keywords)
    assert "kvöld" in features.keywords


def test_keywords_drop_numbers():
    features = analyse("In 2023 the park had only 3 lights.", "en")
    assert "2023" in features.tokens
    assert "2023" not in features.keywords
    assert "3" not in features.keywords
    assert "park" in features.keywords


def test_english_sentiment_has_the_sign_a_reader_would_give():
    positive = analyse("I love the new youth club, the staff are wonderful and kind.", "en")
    negative = analyse("This is terrible, the police ignored our awful complaints.", "en")
    assert positive.polarity is not None
    assert positive.polarity > 0
    assert negative.polarity is not None
    assert negative.polarity < 0
    assert 0 <= positive.subjectivity <= 1


@pytest.mark.parametrize(
    "answer",
    [
        "I love the new youth club.",
        "I don't feel safe at the station, it's not good at all!",
        "Nobody listens. The city is terrible at this. Really bad.",
    ],
)
def test_english_sentiment_is_textblobs_own(answer):
    from textblob import TextBlob

    features = analyse(answer, "en")
    expected = TextBlob(answer).sentiment
    assert features.polarity == pytest.approx(expected.polarity)
    assert features.subjectivity == pytest.approx(expected.subjectivity)


def test_no_sentiment_outside_english():
    features = analyse("Nuorisotalo on ihana ja henkilökunta on mukavaa.", "fi")
    assert features.language == "fi"
    assert features.polarity is None
    assert features.subjectivity is None


def test_english_noun_phrases():
    features = analyse(
        "The bus station at night feels unsafe. The city centre needs more safe places.", "en"
    )
    assert "bus station" in features.noun_phrases
    assert "city centre" in features.noun_phrases
    assert "safe places" in features.noun_phrases
    assert all(phrase == phrase.lower() for phrase in features.noun_phrases)


def test_no_noun_phrases_outside_english():
    features = analyse("Kaupungin keskustassa pitäisi olla enemmän turvallisia paikkoja.", "fi")
    assert features.language == "fi"
    assert features.noun_phrases == ()


@pytest.mark.parametrize("answer", ["", "   \n\t", "😀🎉👍", "!!!", "123 456"])
def test_empty_or_wordless_answer_has_no_features(answer):
    features = analyse(answer, "en")
    assert features.language is None
    assert features.keywords == ()
    assert features.polarity is None
    assert features.noun_phrases == ()


def test_features_are_frozen():
    features = analyse("More lights in the park please", "en")
    with pytest.raises(dataclasses.FrozenInstanceError):
        features.language = "fi"  # type: ignore[misc]


def test_analyse_many_gives_what_analyse_gives():
    answers = [
        ("Pelkään kävellä kotiin illalla.", "fi"),
        ("takk", "nb"),
        ("I love the new youth club.", None),
        ("", None),
    ]
    batch = list(analyse_many(iter(answers)))
    assert batch == [analyse(answer, locale) for answer, locale in answers]
    assert all(isinstance(features, TextFeatures) for features in batch)


def test_only_analysis_text_imports_textblob():
    importers = [
        path.relative_to(ROOT).as_posix()
        for package in ("consult", "surveys", "analysis", "exports")
        for path in (ROOT / package).rglob("*.py")
        if any(
            line.lstrip().startswith(("import textblob", "from textblob"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert importers == ["analysis/text.py"]


# --- offline ---------------------------------------------------------------------------------

# Run in a child process: sockets refuse to connect before anything is imported.
_OFFLINE_SCRIPT = """
import json, socket, sys

def refuse(*args, **kwargs):
    raise OSError("network unreachable (test)")

socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse

from analysis.safeguarding import concerns
from analysis.text import analyse

english = analyse("The bus station at night feels terrible. I love the youth club.", "en")
finnish = analyse("Kaupungissa pitäisi olla enemmän valoja.", "fi")
print(json.dumps({
    "polarity": english.polarity,
    "noun_phrases": english.noun_phrases,
    "finnish": [finnish.language, finnish.lemmas],
    "concerns": concerns(analyse("They threatened me", "en"), "They threatened me"),
}))
"""


def _network_namespace_available() -> bool:
    unshare = shutil.which("unshare")
    if not unshare:
        return False
    completed = subprocess.run(
        [unshare, "--net", "--map-root-user", "true"], capture_output=True, check=False
    )
    return completed.returncode == 0


def test_analysis_runs_offline_on_a_fresh_machine(tmp_path):
    home, nltk_data = tmp_path / "home", tmp_path / "nltk_data"
    home.mkdir()
    nltk_data.mkdir()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "NLTK_DATA": str(nltk_data),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PYTHONPATH": str(ROOT),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
    }
    command = [sys.executable, "-c", _OFFLINE_SCRIPT]
    if _network_namespace_available():
        # No network device at all, on top of the refused sockets.
        command = ["unshare", "--net", "--map-root-user", *command]
    completed = subprocess.run(
        command, env=environment, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["polarity"] is not None
    assert "bus station" in result["noun_phrases"]
    assert result["finnish"][0] == "fi"
    assert result["finnish"][1][:3] == ["kaupunki", "pitää", "olla"]
    assert result["concerns"] == ["threat"]
    assert list(home.rglob("*")) == []
    assert list(nltk_data.rglob("*")) == []


def test_language_identifier_is_loaded_once():
    first = text._language_identifier()
    analyse("Pelkään kävellä kotiin illalla.")
    assert text._language_identifier() is first
