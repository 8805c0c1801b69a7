"""Resume codes and the sealing of draft answers. Pure code.

A draft's code is 16 characters of Crockford's base32 (80 random bits), shown as
four groups (7KQF-3MXA-9PRT-2WHN): no I, L, O or U to misread, any case, spaces
and hyphens ignored. The database never sees the code: rows are found by a hash
of it, and the answers are sealed with AES-GCM under a key derived from it.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 x 5 bits = 80 bits of entropy
GROUP = 4
# What people type for a character the alphabet leaves out (Crockford's rules).
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NONCE_BYTES = 12


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """The code as a person reads and writes it: 7KQF-3MXA-9PRT-2WHN."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(typed: str) -> str | None:
    """The code a person typed, in canonical form; None if it cannot be one."""
    code = "".join(typed.split()).replace("-", "").upper().translate(_READ_AS)
    if len(code) != CODE_LENGTH or any(character not in ALPHABET for character in code):
        return None
    return code


def code_hash(code: str) -> str:
    """What the database keeps to find a draft (the code has 80 random bits, so an
    unsalted hash cannot be reversed by guessing)."""
    return hashlib.sha256(f"consult-draft-id:{code}".encode()).hexdigest()


def _key(code: str) -> bytes:
    # The code is 80 uniformly random bits, so one SHA-256 under its own label
    # (unlike the lookup hash's) is a sound key; read on every page, it must be cheap.
    return hashlib.sha256(f"consult-draft-key:{code}".encode()).digest()


class UnreadableDraft(Exception):
    """The sealed answers do not open with this code (tampered with, or not its own)."""


def seal(code: str, content: dict[str, Any]) -> bytes:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    plain = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return nonce + AESGCM(_key(code)).encrypt(nonce, plain, None)


def unseal(code: str, sealed: bytes) -> dict[str, Any]:
    try:
        plain = AESGCM(_key(code)).decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], None)
    except (InvalidTag, ValueError):
        raise UnreadableDraft from None
    content = json.loads(plain)
    if not isinstance(content, dict):
        raise UnreadableDraft
    return content
