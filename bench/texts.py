"""Free text as residents write it, and never the same twice.

The app holds a response for review as "duplicate_text" when its free text, once
lowercased and stripped of punctuation and digits (surveys.abuse.normalise_text),
is another response's to the same survey within a day. Distinct residents write
distinct things, so every text made here is distinct in that normalised form: its
closing sentence (where it happened) and its language and first sentence are the
digits of a counter in a mixed radix, and each benchmark run takes counters from a
range no other run of the same day uses (bench.addresses.Allocation).

Lengths are those of a consultation's long answers: mostly one to four sentences,
a tenth of them a paragraph of ten or more.
"""

from __future__ import annotations

import random

from bench.text_analysis import SENTENCES

LANGUAGES = ("en", "is", "fi", "sv", "nb", "da", "pl", "nn")
# Where it happened: proper names read the same in every language.
STREETS = [
    "Laugavegur",
    "Hverfisgata",
    "Skólavörðustígur",
    "Bankastræti",
    "Austurstræti",
    "Hafnarstræti",
    "Tryggvagata",
    "Suðurgata",
    "Hringbraut",
    "Miklabraut",
    "Snorrabraut",
    "Sæbraut",
    "Borgartún",
    "Suðurlandsbraut",
    "Kringlumýrarbraut",
    "Grensásvegur",
    "Háaleitisbraut",
    "Bústaðavegur",
    "Sogavegur",
    "Réttarholtsvegur",
    "Hofsvallagata",
    "Ægisíða",
    "Nesvegur",
    "Fálkagata",
    "Dunhagi",
    "Hagamelur",
    "Birkimelur",
    "Njarðargata",
    "Barónsstígur",
    "Frakkastígur",
    "Klapparstígur",
    "Grettisgata",
    "Njálsgata",
    "Bergþórugata",
    "Freyjugata",
    "Lokastígur",
    "Baldursgata",
    "Óðinsgata",
    "Þórsgata",
    "Týsgata",
    "Bragagata",
    "Laufásvegur",
    "Fríkirkjuvegur",
    "Sóleyjargata",
    "Skothúsvegur",
    "Tjarnargata",
    "Vonarstræti",
    "Kirkjustræti",
    "Pósthússtræti",
    "Lækjargata",
    "Amtmannsstígur",
    "Bókhlöðustígur",
    "Þingholtsstræti",
    "Spítalastígur",
    "Bergstaðastræti",
    "Mímisvegur",
    "Egilsgata",
    "Eiríksgata",
    "Leifsgata",
    "Rauðarárstígur",
]
LANDMARKS = [
    "Kringlan",
    "Smáralind",
    "Harpa",
    "Hallgrímskirkja",
    "Perlan",
    "Laugardalshöll",
    "Egilshöll",
    "Mjódd",
    "Hlemmur",
    "Lækjartorg",
    "Ingólfstorg",
    "Klambratún",
    "Hljómskálagarður",
    "Elliðaárdalur",
    "Öskjuhlíð",
    "Nauthólsvík",
    "Grandi",
    "Kjarvalsstaðir",
    "Ráðhúsið",
    "Tjörnin",
    "Sundhöllin",
    "Vesturbæjarlaug",
    "Laugardalslaug",
    "Árbæjarlaug",
    "Breiðholtslaug",
    "Grafarvogslaug",
    "Borgarbókasafnið",
    "Gerðuberg",
    "Spöngin",
    "Skeifan",
]
DISTRICTS = [
    "Breiðholt",
    "Vesturbær",
    "Grafarvogur",
    "Laugardalur",
    "Miðborg",
    "Hlíðar",
    "Árbær",
    "Háaleiti",
    "Grafarholt",
    "Kjalarnes",
]
# (closing sentence, four times of day) per language.
PLACES: dict[str, tuple[str, tuple[str, ...]]] = {
    "en": (
        "It happened on {street} near {landmark} in {district}, {time}.",
        ("in the morning", "in the afternoon", "in the evening", "at night"),
    ),
    "is": (
        "Þetta gerðist á {street} nálægt {landmark} í {district}, {time}.",
        ("um morguninn", "eftir hádegi", "um kvöldið", "um nóttina"),
    ),
    "fi": (
        "Se tapahtui kadulla {street} lähellä paikkaa {landmark}, {district}, {time}.",
        ("aamulla", "iltapäivällä", "illalla", "yöllä"),
    ),
    "sv": (
        "Det hände på {street} nära {landmark} i {district}, {time}.",
        ("på morgonen", "på eftermiddagen", "på kvällen", "på natten"),
    ),
    "nb": (
        "Det skjedde i {street} ved {landmark} i {district}, {time}.",
        ("om morgenen", "om ettermiddagen", "om kvelden", "om natta"),
    ),
    "da": (
        "Det skete på {street} ved {landmark} i {district}, {time}.",
        ("om morgenen", "om eftermiddagen", "om aftenen", "om natten"),
    ),
    "pl": (
        "To się stało na ulicy {street} koło {landmark} w dzielnicy {district}, {time}.",
        ("rano", "po południu", "wieczorem", "w nocy"),
    ),
    "nn": (
        "Det hende i {street} ved {landmark} i {district}, {time}.",
        ("om morgonen", "om ettermiddagen", "om kvelden", "om natta"),
    ),
}
FIRST_SENTENCES = min(len(SENTENCES[language]) for language in LANGUAGES)
# How many distinct texts the digits can name; Allocation keeps runs within it.
CAPACITY = len(LANGUAGES) * FIRST_SENTENCES * len(STREETS) * len(LANDMARKS) * len(DISTRICTS) * 4
PHRASES = len(LANDMARKS) * len(STREETS) * len(STREETS) * len(DISTRICTS)


def _digits(number: int, radices: tuple[int, ...]) -> list[int]:
    digits = []
    for radix in radices:
        number, digit = divmod(number, radix)
        digits.append(digit)
    return digits


class FreeText:
    """Texts numbered `start`, `start + 1` ... below `stop`: each distinct once
    normalised, the rest of each (its length, its middle sentences) from `rng`."""

    def __init__(self, rng: random.Random, start: int, stop: int) -> None:
        if not 0 <= start < stop <= CAPACITY:
            raise ValueError(f"texts {start}..{stop} are outside 0..{CAPACITY}")
        self.rng = rng
        self._next = start
        self._stop = stop

    def _take(self) -> int:
        if self._next >= self._stop:
            raise RuntimeError("this run has used every text of its range")
        number, self._next = self._next, self._next + 1
        return number

    def _where(self, language: str, street: int, landmark: int, district: int, time: int) -> str:
        template, times = PLACES[language]
        return template.format(
            street=STREETS[street],
            landmark=LANDMARKS[landmark],
            district=DISTRICTS[district],
            time=times[time],
        )

    def long(self) -> str:
        """A long answer: what happened or what would help, and where."""
        radices = (len(LANGUAGES), FIRST_SENTENCES, len(STREETS), len(LANDMARKS), len(DISTRICTS), 4)
        language_digit, first, street, landmark, district, time = _digits(self._take(), radices)
        language = LANGUAGES[language_digit]
        pool = SENTENCES[language]
        roll = self.rng.random()
        if roll < 0.1:  # a paragraph
            middle = self.rng.choices(pool, k=self.rng.randint(9, 14))
        else:
            middle = self.rng.sample(pool, min(len(pool), self.rng.choice((0, 0, 1, 1, 2, 3))))
        sentences = [pool[first], *middle, self._where(language, street, landmark, district, time)]
        return " ".join(sentences)

    def phrase(self) -> str:
        """A short answer beside "Something else": a place, named in full (distinct
        for any PHRASES numbers in a row: no run takes nearly as many)."""
        radices = (len(LANDMARKS), len(STREETS), len(STREETS), len(DISTRICTS))
        landmark, street, corner, district = _digits(self._take() % PHRASES, radices)
        return (
            f"{LANDMARKS[landmark]}, {STREETS[street]} / {STREETS[corner]}, {DISTRICTS[district]}"
        )

    def district(self) -> str:
        """What residents write for "which part of the city": often the same."""
        return self.rng.choice(DISTRICTS)
