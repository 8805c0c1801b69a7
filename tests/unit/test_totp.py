"""TOTP codes as RFC 6238 defines them: its appendix B vectors for HMAC-SHA-1,
and the window of one step either side that a phone's clock may be off by."""

from __future__ import annotations

import base64

import pytest

from consult.services import totp

# RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
RFC_KEY = b"12345678901234567890"
RFC_SECRET = base64.b32encode(RFC_KEY).decode()
RFC_VECTORS = [
    (59, "94287082"),
    (1111111109, "07081804"),
    (1111111111, "14050471"),
    (1234567890, "89005924"),
    (2000000000, "69279037"),
    (20000000000, "65353130"),
]


@pytest.mark.parametrize(("moment", "expected"), RFC_VECTORS)
def test_codes_are_those_of_rfc_6238_appendix_b(moment, expected):
    assert totp.code_at(RFC_KEY, totp.step_at(moment), digits=8) == expected


@pytest.mark.parametrize(("moment", "expected"), RFC_VECTORS)
def test_a_six_digit_code_is_the_last_six_digits(moment, expected):
    assert totp.matching_step(RFC_SECRET, expected[-6:], moment) == totp.step_at(moment)


def test_a_code_from_the_step_before_or_after_is_accepted_but_not_two_away():
    moment = 1111111111
    step = totp.step_at(moment)
    for offset, accepted in ((-2, False), (-1, True), (1, True), (2, False)):
        code = totp.code_at(RFC_KEY, step + offset)
        assert (totp.matching_step(RFC_SECRET, code, moment) is not None) is accepted


def test_what_is_not_six_digits_is_no_code():
    moment = 1111111111
    code = totp.code_at(RFC_KEY, totp.step_at(moment))
    assert totp.matching_step(RFC_SECRET, f"{code[:3]} {code[3:]}", moment) is not None
    for typed in ("", "12345", "1234567", "abcdef", "١٢٣٤٥٦", code[:5] + "x"):
        assert totp.matching_step(RFC_SECRET, typed, moment) is None


def test_a_new_secret_is_160_random_bits_in_base32():
    secrets = {totp.new_secret() for _ in range(20)}
    assert len(secrets) == 20
    assert all(len(base64.b32decode(secret)) == 20 for secret in secrets)


def test_the_otpauth_address_names_the_issuer_the_user_and_the_secret():
    uri = totp.otpauth_uri("JBSWY3DPEHPK3PXP", "pia.planner")
    assert uri.startswith("otpauth://totp/consult%3Apia.planner?")
    assert "secret=JBSWY3DPEHPK3PXP" in uri
    assert "issuer=consult" in uri
