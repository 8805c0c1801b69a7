"""Personal data in free text, replaced before a planner reads it. Pure code.

Found: email addresses, links, phone numbers (Nordic and international forms),
the Nordic national identity numbers (Icelandic kennitala, Finnish henkilötunnus,
Swedish personnummer, Norwegian fødselsnummer, Danish CPR), and street addresses
with a house number. Identity numbers are recognised by their check digits where
they have them (and by a valid date), so that years, amounts and counts stay:
"in 2023 about 1 500 people" is kept as written.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


class Kind(enum.StrEnum):
    email = "email"
    link = "link"
    id_number = "id number"
    phone = "phone"
    address = "address"


@dataclass(frozen=True)
class Redaction:
    text: str
    found: tuple[Kind, ...]  # what was replaced, in order of appearance

    @property
    def changed(self) -> bool:
        return bool(self.found)


def placeholder(kind: Kind) -> str:
    return f"[{kind.value}]"


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"']+", re.IGNORECASE)


def _valid_date(day: int, month: int, year: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _kennitala(digits: str) -> bool:
    """Icelandic: DDMMYY RRC Ö; C is a mod-11 check digit, Ö the century (9, 0, 8)."""
    if len(digits) != 10 or digits[9] not in "980":
        return False
    day, month = int(digits[:2]) % 40, int(digits[2:4])  # companies add 40 to the day
    century = {"9": 1900, "0": 2000, "8": 1800}[digits[9]]
    if not _valid_date(day, month, century + int(digits[4:6])):
        return False
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = 11 - sum(int(d) * w for d, w in zip(digits[:8], weights, strict=True)) % 11
    return (0 if remainder == 11 else remainder) == int(digits[8])


_FI_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"
_FI_CENTURY = {"+": 1800, "-": 1900, "Y": 1900, "X": 1900, "W": 1900, "V": 1900, "U": 1900}
_FI_CENTURY.update(dict.fromkeys("ABCDEF", 2000))


def _henkilotunnus(value: str) -> bool:
    """Finnish: DDMMYY, a century sign, three digits and a check character (mod 31)."""
    body, sign, number, check = value[:6], value[6].upper(), value[7:10], value[10].upper()
    if not (body.isdigit() and number.isdigit()) or sign not in _FI_CENTURY:
        return False
    if not _valid_date(int(body[:2]), int(body[2:4]), _FI_CENTURY[sign] + int(body[4:6])):
        return False
    return _FI_CHECK[int(body + number) % 31] == check


def _luhn(digits: str) -> bool:
    total = 0
    for index, digit in enumerate(int(d) for d in digits):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _personnummer(digits: str) -> bool:
    """Swedish: (YY)YYMMDD NNNC with a Luhn check digit over the last ten digits;
    a samordningsnummer adds 60 to the day."""
    ten = digits[-10:]
    if len(ten) != 10:
        return False
    year = int(digits[:4]) if len(digits) == 12 else 2000 + int(ten[:2])
    day = int(ten[4:6])
    if not _valid_date(day - 60 if day > 60 else day, int(ten[2:4]), year):
        return False
    return _luhn(ten)


def _fodselsnummer(digits: str) -> bool:
    """Norwegian: DDMMYY III K1 K2, two mod-11 check digits (D-numbers add 40 to the day)."""
    if len(digits) != 11:
        return False
    day = int(digits[:2])
    if not _valid_date(day - 40 if day > 40 else day, int(digits[2:4]), 2000 + int(digits[4:6])):
        return False
    values = [int(d) for d in digits]
    for weights, position in (
        ((3, 7, 6, 1, 8, 9, 4, 5, 2), 9),
        ((5, 4, 3, 2, 7, 6, 5, 4, 3, 2), 10),
    ):
        check = 11 - sum(v * w for v, w in zip(values, weights, strict=False)) % 11
        check = 0 if check == 11 else check
        if check == 10 or check != values[position]:
            return False
    return True


def _cpr(digits: str) -> bool:
    """Danish: DDMMYY-SSSS. The mod-11 check was given up in 2007, so a valid date
    written with the hyphen is what marks one."""
    return len(digits) == 10 and _valid_date(
        int(digits[:2]), int(digits[2:4]), 2000 + int(digits[4:6])
    )


# Identity numbers as people write them: digits with an optional separator where
# each country puts one. The written hyphen matters for the Danish CPR (no check).
_ID_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = (
    (re.compile(r"(?<![\w-])\d{6}[-\s]?\d{4}(?![\w-])"), lambda m: _kennitala(_digits(m))),
    (re.compile(r"(?<![\w-])\d{6}[-+A-FU-Y]\d{3}[0-9A-Y](?![\w-])", re.I), _henkilotunnus),
    (
        re.compile(r"(?<![\w-])(?:\d{2})?\d{6}[-+]?\d{4}(?![\w-])"),
        lambda m: _personnummer(_digits(m)),
    ),
    (re.compile(r"(?<![\w-])\d{6}\s?\d{5}(?![\w-])"), lambda m: _fodselsnummer(_digits(m))),
    (re.compile(r"(?<![\w-])\d{6}-\d{4}(?![\w-])"), lambda m: _cpr(_digits(m))),
)


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


# A phone number: an optional +country code or a leading 0, then groups of digits
# separated by spaces, hyphens, dots or brackets, 7 to 15 digits in all.
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s().-]{5,20}\d(?![\w])")
# 1 000 000 or 12,500 or 1.250.000: an amount written with thousands separators.
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ ,.]\d{3})+$")
_YEAR_RANGE = re.compile(r"^(?:1[89]|20)\d{2}\s?[-–]\s?(?:1[89]|20)?\d{2}$")
# 12.05.2024, 12-05-2024, 2024-05-12: a date, written as digits.
_DATE = re.compile(r"^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}[./-]\d{1,2}[./-]\d{1,2})$")


def _is_phone(candidate: str) -> bool:
    digits = _digits(candidate)
    if not 7 <= len(digits) <= 15:
        return False
    text = candidate.strip()
    international = text.startswith(("+", "00"))
    if not international and any(p.match(text) for p in (_THOUSANDS, _YEAR_RANGE, _DATE)):
        return False
    # A lone run of digits is a phone number only at a phone's length (7 or 8 in
    # the Nordic countries, more with a trunk 0), and not a round amount.
    if text.isdigit() and not text.startswith("0"):
        return len(text) in (7, 8) and not text.endswith("000")
    return True


# Street names end with the word for "street" or "road" in the languages the app
# serves; an address is such a name followed by a house number (and maybe a letter).
_STREET_SUFFIXES = (
    "vegur|gata|stígur|stigur|braut|tún|hlíð|gerði|leiti|sund|"  # Icelandic
    "katu|tie|kuja|polku|väylä|raitti|"  # Finnish
    "gatan|vägen|väg|gränd|torget|stigen|"  # Swedish
    "gate|gata|veien|vegen|vei|veg|"  # Norwegian
    "gade|vej|allé|alle|stræde|"  # Danish
    "straße|strasse"
)
_ADDRESS = re.compile(
    rf"(?:\b(?:ul\.|al\.|ulica|aleja)\s+[\wÀ-ÿ.-]+(?:\s+[\wÀ-ÿ.-]+)?"
    rf"|\b[A-ZÀ-ÞŁŚŻŹ][\wÀ-ÿ-]*(?:{_STREET_SUFFIXES})"
    rf"|\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Way|gate|vei|vej|gatan))"
    rf"\s+\d{{1,4}}(?:\s?[A-Za-z]\b)?"
    # English order: the number first (10 Downing Street).
    rf"|\b\d{{1,4}}\s[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s(?:Street|Road|Avenue|Lane|Close|Drive)\b",
    re.UNICODE,
)


def redact(text: str) -> Redaction:
    """`text` with every piece of personal data found replaced by a placeholder."""
    spans: list[tuple[int, int, Kind]] = []

    def claim(start: int, end: int, kind: Kind) -> None:
        if all(end <= s or start >= e for s, e, _ in spans):
            spans.append((start, end, kind))

    for pattern, kind in ((_EMAIL, Kind.email), (_LINK, Kind.link)):
        for match in pattern.finditer(text):
            claim(match.start(), match.end(), kind)
    for pattern, is_valid in _ID_PATTERNS:
        for match in pattern.finditer(text):
            if is_valid(match.group()):
                claim(match.start(), match.end(), Kind.id_number)
    for match in _PHONE.finditer(text):
        if _is_phone(match.group()):
            claim(match.start(), match.end(), Kind.phone)
    for match in _ADDRESS.finditer(text):
        claim(match.start(), match.end(), Kind.address)
    if not spans:
        return Redaction(text, ())
    spans.sort()
    pieces, last = [], 0
    for start, end, kind in spans:
        pieces += [text[last:start], placeholder(kind)]
        last = end
    pieces.append(text[last:])
    return Redaction("".join(pieces), tuple(kind for _, _, kind in spans))
