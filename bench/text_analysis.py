"""The text-analysis benchmark: the whole per-answer pipeline (analysis.text.analyse
and analysis.safeguarding.concerns) vs a bare TextBlob sentiment loop over the
same answers, in the same process and the same run.

No server and no database: the pipeline is pure code, run by a background job.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from bench.demo_site import DemoSite
from bench.measurement import Measurement, say

ANSWERS = 3000
ROUNDS = 5
SEED = 8
# Roughly the languages a Nordic city hears, as (language, UI locale, share).
LANGUAGE_MIX = (
    ("en", "en", 0.25),
    ("is", "is", 0.14),
    ("fi", "fi", 0.12),
    ("sv", "sv", 0.12),
    ("nb", "nb", 0.12),
    ("da", "da", 0.08),
    ("pl", "pl", 0.10),
    ("nn", "nb", 0.03),
    ("short", None, 0.04),
)
# Sentences of the kind residents write; an answer joins one to four of them.
SENTENCES: dict[str, tuple[str, ...]] = {
    "en": (
        "I don't feel safe walking home from the bus station at night.",
        "The youth club is wonderful and the staff are really kind.",
        "People shouted racist things at my sister on the metro.",
        "We need more light in the park and more adults around in the evenings.",
        "Nobody from the city listens when we report hate speech online.",
        "My neighbours are friendly, but I still worry about my children.",
        "The police came quickly and were helpful, which surprised me.",
        "Someone threatened my friend outside the mosque last winter.",
        "It would help to have a place where young people can meet safely.",
        "Honestly the situation has got worse since the elections.",
    ),
    "is": (
        "Mér finnst ég ekki örugg þegar ég geng heim á kvöldin.",
        "Það vantar fleiri staði þar sem ungt fólk getur hist.",
        "Ég hef heyrt fordómafull ummæli um innflytjendur í skólanum.",
        "Lögreglan mætti hlusta betur á fólk af erlendum uppruna.",
        "Félagsmiðstöðin í hverfinu mínu er frábær.",
        "Það þarf betri lýsingu við strætóskýlin í Breiðholti.",
        "Sumir krakkar eru lagðir í einelti vegna trúar sinnar.",
        "Borgin ætti að styðja við íþróttafélögin meira.",
    ),
    "fi": (
        "En tunne oloani turvalliseksi kävellessäni kotiin illalla.",
        "Kaupungissa pitäisi olla enemmän valoja ja aikuisia iltaisin.",
        "Nuorisotalo on tärkeä paikka meidän alueen nuorille.",
        "Olen kuullut rasistisia kommentteja bussissa monta kertaa.",
        "Poliisi ei ottanut ilmoitustamme vakavasti.",
        "Naapurustossa on paljon ystävällisiä ihmisiä.",
        "Koulussa pitäisi puhua enemmän vihapuheesta.",
        "Kaupungin pitäisi kuunnella maahanmuuttajia paremmin.",
    ),
    "sv": (
        "Jag känner mig inte trygg när jag går hem på kvällen.",
        "Det behövs fler vuxna på fritidsgården och i centrum.",
        "Min kompis blev utsatt för hatbrott på tunnelbanan.",
        "Föreningarna i området gör ett fantastiskt arbete.",
        "Polisen borde finnas mer på plats i förorten.",
        "Skolan borde prata mer om rasism och fördomar.",
        "Det är mörkt och otryggt vid busshållplatsen.",
        "Kommunen lyssnar inte på oss som bor här.",
    ),
    "nb": (
        "Jeg føler meg ikke trygg når jeg går hjem om kvelden.",
        "Det trengs flere voksne på ungdomsklubben i helgene.",
        "Vennen min ble trakassert på trikken på grunn av hijaben.",
        "Idrettslaget er et godt sted for barn fra alle bakgrunner.",
        "Politiet bør ta hatkriminalitet mer på alvor.",
        "Det er for lite lys i parken ved skolen.",
        "Kommunen burde samarbeide mer med moskeene og kirkene.",
        "Mange unge opplever hatefulle kommentarer på nett.",
    ),
    "nn": (
        "Eg kjenner meg ikkje trygg når eg går heim om kvelden.",
        "Det trengst fleire vaksne på ungdomsklubben.",
        "Kommunen bør lytte meir til dei som bur her.",
        "Det er for lite lys ved busshaldeplassen.",
    ),
    "da": (
        "Jeg føler mig ikke tryg, når jeg går hjem om aftenen.",
        "Der mangler flere voksne i ungdomsklubben.",
        "Min søster blev chikaneret i bussen på grund af sin hudfarve.",
        "Foreningerne i området gør et stort stykke arbejde.",
        "Politiet burde være mere synligt i vores kvarter.",
        "Kommunen skal lytte mere til de unge.",
    ),
    "pl": (
        "Nie czuję się bezpiecznie, wracając wieczorem do domu.",
        "Potrzeba więcej oświetlenia na ulicach i w parkach.",
        "Słyszałem rasistowskie komentarze w autobusie.",
        "Klub sportowy to dobre miejsce dla dzieci z różnych krajów.",
        "Policja powinna bardziej słuchać imigrantów.",
        "W szkole powinno się więcej mówić o mowie nienawiści.",
        "Sąsiedzi są bardzo życzliwi i pomocni.",
    ),
    "short": ("takk", "nei", "ok", "kiitos", "tack", "já", "no", "👍", "-", "dzięki", "?"),
}


def corpus(answers: int = ANSWERS, seed: int = SEED) -> list[tuple[str, str | None]]:
    """Generated (answer, UI locale) pairs in the LANGUAGE_MIX proportions."""
    generator = random.Random(seed)
    languages = [language for language, _, _ in LANGUAGE_MIX]
    locales = {language: locale for language, locale, _ in LANGUAGE_MIX}
    weights = [share for _, _, share in LANGUAGE_MIX]
    texts: list[tuple[str, str | None]] = []
    for language in generator.choices(languages, weights, k=answers):
        pool = SENTENCES[language]
        if language == "short":
            locale = generator.choice(["nb", "fi", "sv", "is", "pl", "en", None])
            texts.append((generator.choice(pool), locale))
            continue
        count = min(len(pool), generator.choice([1, 1, 2, 2, 3, 4]))
        texts.append((" ".join(generator.sample(pool, count)), locales[language]))
    return texts


def _timed(
    step: Callable[[str, str | None], object], texts: list[tuple[str, str | None]]
) -> list[float]:
    """Seconds per answer, one entry per answer."""
    timings = []
    clock = time.perf_counter
    for text, locale in texts:
        started = clock()
        step(text, locale)
        timings.append(clock() - started)
    return timings


def _p99_ms(timings: list[float]) -> float:
    return statistics.quantiles(timings, n=100)[98] * 1000


def text_pipeline(site: DemoSite, workdir: Path) -> Measurement:
    """Answers/s of analyse + safeguarding.concerns vs `TextBlob(t).sentiment` alone."""
    del site, workdir  # pure code: no server, no database, no files
    # Imported here, so that the other benchmarks do not pay for loading TextBlob.
    from textblob import TextBlob

    from analysis import safeguarding, text

    def pipeline(answer: str, locale: str | None) -> object:
        features = text.analyse(answer, locale)
        return features, safeguarding.concerns(features, answer)

    def baseline(answer: str, locale: str | None) -> object:
        return TextBlob(answer).sentiment

    texts = corpus()
    detected = Counter(features.language or "none" for features in text.analyse_many(texts))
    say(
        f"text_pipeline: {len(texts)} generated answers "
        f"(detected: {dict(detected.most_common())}), "
        f"{ROUNDS} rounds alternating the pipeline (language, lemmas, keywords, English "
        "sentiment and noun phrases, safeguarding) and a bare TextBlob(t).sentiment loop"
    )
    # Warm-up on other answers: models and lexicons loaded, as in a running job.
    warmup = corpus(500, SEED + 1)
    _timed(pipeline, warmup)
    _timed(baseline, warmup)
    app_timings: list[float] = []
    baseline_timings: list[float] = []
    for round_number in range(ROUNDS):
        # Alternate which goes first, so neither always runs on a warmer machine.
        if round_number % 2:
            baseline_timings += _timed(baseline, texts)
            app_timings += _timed(pipeline, texts)
        else:
            app_timings += _timed(pipeline, texts)
            baseline_timings += _timed(baseline, texts)
    app_rate = len(app_timings) / sum(app_timings)
    baseline_rate = len(baseline_timings) / sum(baseline_timings)
    say(
        f"  pipeline: {app_rate:.0f} answers/s, p99 {_p99_ms(app_timings):.2f} ms; "
        f"baseline: {baseline_rate:.0f} answers/s, p99 {_p99_ms(baseline_timings):.2f} ms; "
        f"ratio {app_rate / baseline_rate:.2f} (target >= 0.5)"
    )
    return Measurement(
        "text_pipeline",
        app_rate,
        "answers/s",
        baseline_rate,
        _p99_ms(app_timings),
        _p99_ms(baseline_timings),
    )
