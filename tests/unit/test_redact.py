"""Personal data in free text is replaced; ordinary numbers are kept."""

from __future__ import annotations

import pytest

from analysis.redact import Kind, redact


@pytest.mark.parametrize(
    ("text", "kind", "left"),
    [
        ("Write to anna.jons@example.is please", Kind.email, "Write to [email] please"),
        ("See https://evil.example/x?y=1 now", Kind.link, "See [link] now"),
        ("or www.hate.example", Kind.link, "or [link]"),
        ("call +354 555 1234.", Kind.phone, "call [phone]."),
        ("ring 070-123 45 67", Kind.phone, "ring [phone]"),
        ("soita 040 123 4567", Kind.phone, "soita [phone]"),
        ("ring 12 34 56 78", Kind.phone, "ring [phone]"),
        ("ring +47 912 34 567", Kind.phone, "ring [phone]"),
        ("símanúmer 5551234", Kind.phone, "símanúmer [phone]"),
        ("kt. 120174-3399", Kind.id_number, "kt. [id number]"),
        ("kennitala 1201743399", Kind.id_number, "kennitala [id number]"),
        ("hetu 131052-308T", Kind.id_number, "hetu [id number]"),
        ("pnr 811228-9874", Kind.id_number, "pnr [id number]"),
        ("pnr 19811228-9874", Kind.id_number, "pnr [id number]"),
        ("fnr 01010750160", Kind.id_number, "fnr [id number]"),
        ("cpr 010203-1234", Kind.id_number, "cpr [id number]"),
        ("I live at Laugavegur 12 now", Kind.address, "I live at [address] now"),
        ("Storgatan 5B is where", Kind.address, "[address] is where"),
        ("mieszkam ul. Marszałkowska 10", Kind.address, "mieszkam [address]"),
        ("Karl Johans gate 22", Kind.address, "[address]"),
        ("Mannerheimintie 5", Kind.address, "[address]"),
        ("10 Downing Street", Kind.address, "[address]"),
    ],
)
def test_personal_data_is_replaced(text, kind, left):
    redaction = redact(text)
    assert redaction.text == left
    assert kind in redaction.found


@pytest.mark.parametrize(
    "text",
    [
        "In 2023 about 1 500 people came to the open day.",
        "It cost 12,500 kr and 1.250.000 kr in all.",
        "Between 2019-2021 it happened 35 times.",
        "The meeting was on 12.05.2024 at 18:30.",
        "A budget of 1500000 kr for youth work.",
        "Bus 14 stops at 22:15, we were 300.",
        # Shaped like a kennitala and a personnummer, but the check digits are wrong.
        "Order 1201743391 and reference 8112289875.",
        "Fleiri félagsmiðstöðvar fyrir ungt fólk á kvöldin.",
    ],
)
def test_ordinary_numbers_and_text_are_kept(text):
    redaction = redact(text)
    assert redaction.text == text
    assert not redaction.changed


def test_a_date_shaped_number_with_a_hyphen_is_taken_for_a_cpr_number():
    """The Danish CPR has no check digit since 2007: DDMMYY-NNNN is enough."""
    assert redact("Order 120174-3391").text == "Order [id number]"


def test_several_kinds_in_one_answer_in_order():
    redaction = redact("Mail a@b.fi or call 040 123 4567, I live at Laugavegur 3.")
    assert redaction.text == "Mail [email] or call [phone], I live at [address]."
    assert redaction.found == (Kind.email, Kind.phone, Kind.address)
