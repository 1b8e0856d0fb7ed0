"""Token format: pit- + 40 base62 + a 6-character base62 CRC32 of the random part."""

from __future__ import annotations

import hashlib
import re
import string
import zlib

from hypothesis import given, settings
from hypothesis import strategies as st

from aesthetix_tui.domain import tokens

ALPHABET = string.digits + string.ascii_uppercase + string.ascii_lowercase  # base62, written out here


def expected_checksum(body: str) -> str:
    """CRC32 of the random part in 6 base62 digits, most significant first: computed independently."""
    value = zlib.crc32(body.encode("ascii"))
    digits = ""
    for _ in range(6):
        value, rest = divmod(value, 62)
        digits = ALPHABET[rest] + digits
    assert value == 0  # 62**6 > 2**32: six digits always suffice
    return digits


@given(st.integers(min_value=0, max_value=2**64), st.integers(min_value=0, max_value=9))
def test_base62_is_the_last_digits_most_significant_first(number, width):
    """Two digits at a time (the hot path) gives the same digits as one at a time, odd widths too."""
    expected, left = "", number
    for _ in range(width):
        left, rest = divmod(left, 62)
        expected = ALPHABET[rest] + expected
    assert tokens.base62(number, width) == expected


def make_token(body: str) -> str:
    return "pit-" + body + expected_checksum(body)


bodies = st.text(alphabet=ALPHABET, min_size=40, max_size=40)


def test_new_token_shape():
    token = tokens.new_pit()
    assert len(token) == 4 + 40 + 6
    assert re.fullmatch(r"pit-[0-9A-Za-z]{46}", token)
    body = token[4:44]
    assert token[44:] == expected_checksum(body)
    assert tokens.is_well_formed(token)


def test_new_tokens_are_random():
    issued = [tokens.new_pit() for _ in range(200)]
    assert len(set(issued)) == 200
    # The random part uses the whole alphabet, not a narrow slice of it.
    assert len(set("".join(t[4:44] for t in issued))) == 62


def test_known_checksum():
    body = "0" * 40
    assert tokens.checksum(body) == expected_checksum(body)
    assert tokens.is_well_formed(make_token(body))
    assert tokens.is_well_formed(make_token("z" * 40))


@given(bodies)
def test_any_body_with_its_checksum_is_well_formed(body):
    assert tokens.is_well_formed(make_token(body))
    assert tokens.checksum(body) == expected_checksum(body)


def test_malformed_shapes():
    good = tokens.new_pit()
    for bad in [
        "",
        "pit-",
        good[:-1],  # too short
        good + "0",  # too long
        "PIT-" + good[4:],
        "pit_" + good[4:],
        good[4:],  # no prefix
        " " + good,
        good + "\n",
        good[:20] + "-" + good[21:],
        good[:20] + "é" + good[21:],
        "pit-" + good[4:44] + "000000",  # a wrong checksum
    ]:
        assert not tokens.is_well_formed(bad), bad


@settings(max_examples=300)
@given(bodies, st.integers(min_value=0, max_value=49), st.sampled_from(ALPHABET))
def test_a_single_character_change_is_always_caught(body, index, replacement):
    """CRC32 catches every error burst up to 32 bits, so one changed character never passes."""
    token = make_token(body)
    if token[index] == replacement:
        replacement = ALPHABET[(ALPHABET.index(replacement) + 1) % 62]
    mutated = token[:index] + replacement + token[index + 1:]
    assert mutated != token
    assert not tokens.is_well_formed(mutated)


@settings(max_examples=200)
@given(bodies, st.text(alphabet=ALPHABET, min_size=6, max_size=6))
def test_a_random_checksum_is_rejected(body, checksum):
    token = "pit-" + body + checksum
    assert tokens.is_well_formed(token) == (checksum == expected_checksum(body))


@given(bodies, st.integers(min_value=4, max_value=48).filter(lambda i: i != 43))
def test_swapping_two_neighbours_is_caught(body, index):
    """Within the random part (a 16-bit burst for CRC32) or within the checksum."""
    token = make_token(body)
    swapped = token[:index] + token[index + 1] + token[index] + token[index + 2:]
    if swapped != token:
        assert not tokens.is_well_formed(swapped)


def test_find_in_text_flags_only_real_tokens():
    a, b = tokens.new_pit(), tokens.new_pit()
    fake = "pit-" + a[4:44] + ("000000" if a[44:] != "000000" else "111111")
    text = (f"export TOKEN={a}\n"
            f"curl -H 'Authorization: Bearer {b}' https://api.example\n"
            f"not this one: {fake}\n"
            f"glued: x{a} and {b}x\n")
    assert tokens.find_in_text(text) == [a, b]
    assert tokens.find_in_text("nothing to see") == []


def test_hints():
    token = tokens.new_pit()
    assert tokens.pit_hint(token) == "pit-" + token[-4:]
    key = tokens.new_legacy_key()
    assert tokens.legacy_hint(key) == key[-4:]


def test_legacy_key_shape():
    key = tokens.new_legacy_key()
    assert re.fullmatch(r"[0-9A-Za-z]{40}", key)
    assert tokens.new_legacy_key() != key


def test_digest_is_sha256_hex():
    token = tokens.new_pit()
    assert tokens.digest(token) == hashlib.sha256(token.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", tokens.digest(token))
    other = token[:-1] + ("x" if token[-1] != "x" else "y")  # one character changed (never the same)
    assert tokens.digest(token) != tokens.digest(other)
