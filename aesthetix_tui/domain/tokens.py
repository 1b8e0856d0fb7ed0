"""Secrets: Private Integration Tokens and legacy keys. Only hashes are stored."""

from __future__ import annotations

import hashlib
import re
import secrets
import zlib

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
PIT_PREFIX = "pit-"
RANDOM_LENGTH = 40
CHECKSUM_LENGTH = 6
PIT_PATTERN = re.compile(r"^pit-[0-9A-Za-z]{46}$")
# For scanners: finds candidate tokens in any text; confirm each with is_well_formed.
PIT_SCAN_PATTERN = re.compile(r"\bpit-[0-9A-Za-z]{46}\b")
LEGACY_LENGTH = 40


def random_base62(length: int) -> str:
    return "".join(secrets.choice(BASE62) for _ in range(length))


PAIRS = [high + low for high in BASE62 for low in BASE62]  # two base62 digits at a time: the hot path


def base62(number: int, width: int) -> str:
    """NUMBER's last WIDTH base62 digits, most significant first."""
    digits = []
    for _ in range(width // 2):
        number, rest = divmod(number, 3844)
        digits.append(PAIRS[rest])
    if width % 2:
        digits.append(BASE62[number % 62])
    return "".join(reversed(digits))


def checksum(random_part: str) -> str:
    return base62(zlib.crc32(random_part.encode()), CHECKSUM_LENGTH)


def new_pit() -> str:
    body = random_base62(RANDOM_LENGTH)
    return PIT_PREFIX + body + checksum(body)


def is_well_formed(token: str) -> bool:
    """Offline check: the shape and the checksum. No database needed."""
    if not PIT_PATTERN.match(token):
        return False
    body = token[len(PIT_PREFIX):]
    return checksum(body[:RANDOM_LENGTH]) == body[RANDOM_LENGTH:]


def find_in_text(text: str) -> list[str]:
    """Every real-looking token in a text: what a secret scanner would flag."""
    return [m for m in PIT_SCAN_PATTERN.findall(text) if is_well_formed(m)]


def new_legacy_key() -> str:
    return random_base62(LEGACY_LENGTH)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def pit_hint(token: str) -> str:
    return PIT_PREFIX + token[-4:]


def legacy_hint(key: str) -> str:
    return key[-4:]
