"""Resume codes: what a person is given, what they may type back, and the sealed draft."""

from __future__ import annotations

import math

import pytest

from surveys.resume_codes import (
    ALPHABET,
    CODE_LENGTH,
    UnreadableDraft,
    code_hash,
    format_code,
    new_code,
    normalise_code,
    seal,
    unseal,
)

CODE = "7KQF3MXA9PRT2WHN"
OTHER_CODE = "7KQF3MXA9PRT2WHM"
DRAFT = {"page": 3, "values": {"q1": ["101"], "q2": ["Fleiri félagsmiðstöðvar, please"]}}


# New codes


def test_a_new_code_is_sixteen_characters_of_the_alphabet():
    code = new_code()
    assert len(code) == CODE_LENGTH == 16
    assert set(code) <= set(ALPHABET)


def test_a_code_carries_eighty_bits():
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert CODE_LENGTH * math.log2(len(ALPHABET)) == 80


def test_the_alphabet_leaves_out_letters_that_are_misread():
    assert not set("ILOU") & set(ALPHABET)


def test_new_codes_are_all_different():
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000


# What a person reads and types


def test_a_code_is_shown_in_four_groups():
    assert format_code(CODE) == "7KQF-3MXA-9PRT-2WHN"


@pytest.mark.parametrize(
    "typed",
    [
        "7KQF-3MXA-9PRT-2WHN",
        "7KQF3MXA9PRT2WHN",
        "7kqf-3mxa-9prt-2whn",
        "  7KQF 3MXA 9PRT 2WHN  ",
        "7KQF - 3MXA\t9PRT\n2WHN",
        "7-K-Q-F-3MXA9PRT2WHN",
    ],
)
def test_a_code_may_be_typed_in_any_case_with_spaces_and_hyphens(typed):
    assert normalise_code(typed) == CODE


def test_letters_that_look_like_digits_are_read_as_the_digits():
    assert normalise_code("OKQF-IMXA-LPRT-2WHN") == "0KQF1MXA1PRT2WHN"
    assert normalise_code("okqf-imxa-lprt-2whn") == "0KQF1MXA1PRT2WHN"


def test_a_formatted_new_code_reads_back():
    code = new_code()
    assert normalise_code(format_code(code)) == code
    assert normalise_code(format_code(code).lower()) == code


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "7KQF-3MXA-9PRT-2WH",  # one short
        "7KQF-3MXA-9PRT-2WHNX",  # one over
        "7KQF-3MXA-9PRT-2WHU",  # U is not in the alphabet
        "7KQF_3MXA_9PRT_2WHN",
        "7KQF-3MXA-9PRT-2WH!",
        "７KQF-3MXA-9PRT-2WHN",  # a full-width digit
    ],
)
def test_anything_that_cannot_be_a_code_is_refused(typed):
    assert normalise_code(typed) is None


# What the database keeps


def test_the_hash_is_stable_and_differs_between_codes():
    assert code_hash(CODE) == code_hash(CODE)
    assert code_hash(CODE) != code_hash(OTHER_CODE)
    assert len(code_hash(CODE)) == 64
    assert int(code_hash(CODE), 16) >= 0  # hexadecimal


def test_the_hash_does_not_contain_the_code():
    digest = code_hash(CODE)
    assert CODE not in digest.upper()
    assert CODE.lower() not in digest


def test_a_sealed_draft_opens_with_its_code():
    assert unseal(CODE, seal(CODE, DRAFT)) == DRAFT


def test_a_sealed_draft_does_not_show_the_answers():
    sealed = seal(CODE, DRAFT)
    assert "félagsmiðstöðvar".encode() not in sealed
    assert b"please" not in sealed
    assert b"q2" not in sealed
    assert CODE.encode() not in sealed


def test_sealing_the_same_draft_twice_gives_different_bytes():
    assert seal(CODE, DRAFT) != seal(CODE, DRAFT)


def test_a_draft_does_not_open_with_another_code():
    with pytest.raises(UnreadableDraft):
        unseal(OTHER_CODE, seal(CODE, DRAFT))


@pytest.mark.parametrize("where", [0, 11, 12, -17, -1])  # nonce, text, tag
def test_a_tampered_draft_does_not_open(where):
    sealed = bytearray(seal(CODE, DRAFT))
    sealed[where] ^= 0x01
    with pytest.raises(UnreadableDraft):
        unseal(CODE, bytes(sealed))


@pytest.mark.parametrize("sealed", [b"", b"short", b"x" * 40])
def test_bytes_that_were_never_sealed_do_not_open(sealed):
    with pytest.raises(UnreadableDraft):
        unseal(CODE, sealed)


def test_a_truncated_draft_does_not_open():
    with pytest.raises(UnreadableDraft):
        unseal(CODE, seal(CODE, DRAFT)[:-1])


def test_a_sealed_value_that_is_not_a_draft_is_refused():
    with pytest.raises(UnreadableDraft):
        unseal(CODE, seal(CODE, ["not", "a", "draft"]))  # type: ignore[arg-type]
