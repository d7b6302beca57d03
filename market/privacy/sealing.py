"""Sealing one personal value with its person's key (AES-256-GCM), and opening it again.

The nonce is derived from the key, the field and the text (a synthetic IV, as AES-GCM-SIV
does): sealing the same value twice gives the same bytes, so a repeated command keeps its
idempotency fingerprint, and a nonce is never reused for two different texts under one key.
The associated data binds a sealed value to its person and field: a value copied onto
another person, or from a name into a phone, does not open.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from domain.personal_data import ERASED, is_legacy_clear, is_sealed

NONCE_BYTES = 12


class SealBroken(Exception):
    """A sealed value that does not open under its person's key: altered, or moved."""


def _aad(subject: str, field: str) -> bytes:
    return f"person:{subject}:{field}".encode()


def key_id(key: bytes) -> str:
    """Which of a person's keys sealed a value: one erased and named again later gets a new key, and
    values sealed under the destroyed one must read as erased, not as broken."""
    return hashlib.sha256(b"person-key-id\x00" + key).hexdigest()[:16]


def seal(key: bytes, subject: str, field: str, text: str) -> dict[str, str]:
    aad, plain = _aad(subject, field), text.encode()
    nonce = hmac.new(key, b"nonce\x00" + aad + b"\x00" + plain, hashlib.sha256).digest()[:NONCE_BYTES]
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, aad)
    return {"subject": subject, "key": key_id(key), "sealed": base64.b64encode(sealed).decode("ascii")}


def open_value(value: dict[str, str], field: str, keys: dict[str, bytes]) -> tuple[str, bool]:
    """The text of a stored personal value and whether it is erased (its person's key destroyed)."""
    if is_legacy_clear(value):
        return value["clear"], False
    if not is_sealed(value):
        raise SealBroken(f"{field}: not a sealed value")
    key = keys.get(value["subject"])
    if key is None or key_id(key) != value.get("key"):
        return ERASED, True
    raw = base64.b64decode(value["sealed"])
    try:
        text = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(value["subject"], field))
    except InvalidTag:
        raise SealBroken(f"{field}: does not open under its person's key") from None
    return text.decode(), False
