"""Join codes of hosted sessions: how they are made, read back and shown."""

from __future__ import annotations

import math

import pytest

from consult.join_codes import (
    ACCEPTED,
    ALPHABET,
    CODE_LENGTH,
    ENTROPY_BITS,
    display,
    new_code,
    normalise,
)


def test_a_new_code_is_ten_characters_of_the_alphabet():
    code = new_code()
    assert len(code) == CODE_LENGTH == 10
    assert set(code) <= set(ALPHABET)


def test_a_code_carries_at_least_forty_bits():
    assert len(ALPHABET) == len(set(ALPHABET)) == 24
    assert math.isclose(ENTROPY_BITS, CODE_LENGTH * math.log2(24))
    assert ENTROPY_BITS >= 40
    assert round(ENTROPY_BITS, 1) == 45.8


def test_the_alphabet_leaves_out_both_of_every_look_alike_pair():
    for char in "0O1IL5S2Z8B":
        assert char not in ALPHABET


def test_new_codes_are_unique():
    codes = {new_code() for _ in range(20_000)}
    assert len(codes) == 20_000


def test_new_codes_use_every_character_of_the_alphabet():
    seen = set("".join(new_code() for _ in range(500)))
    assert seen == set(ALPHABET)


def test_every_new_code_reads_back_as_itself():
    for _ in range(200):
        code = new_code()
        assert normalise(code) == code
        assert normalise(display(code)) == code


@pytest.mark.parametrize(
    "typed",
    [
        "acdefghjkm",
        "ACD-EFG-HJKM",
        " acd efg hjkm ",
        "Acd.Efg.Hjkm",
        "ACD–EFG–HJKM",
        "acd_efg-hjkm",
    ],
)
def test_case_spaces_and_dashes_do_not_matter(typed):
    assert normalise(typed) == "ACDEFGHJKM"


def test_older_codes_with_s_z_b_and_their_digits_still_read_back():
    assert set(ALPHABET) <= ACCEPTED
    assert normalise("sz2b8-5abcd") == "SZ2B85ABCD"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "ACD",
        "ACDEFGHJKMACDEFGH",
        "ACDEFGHJK0",
        "ACDEFGHJKO",
        "ACDEFGHJK1",
        "ACDEFGHJKI",
        "ACDEFGHJKL",
        "ACDEFGHJKÆ",
        "ACDEFG/HJK",
        "<script>",
    ],
)
def test_what_cannot_be_a_code_is_none(typed):
    assert normalise(typed) is None


def test_normalise_refuses_what_is_not_text():
    assert normalise(None) is None  # type: ignore[arg-type]


def test_display_groups_three_three_four():
    assert display("ACDEFGHJKM") == "ACD-EFG-HJKM"
    assert display("ACDEFG") == "ACD-EFG"
    assert display("ACDEFGH") == "ACD-EFGH"
    assert display("ACDE") == "ACDE"
