"""The Ed25519 key that signs checkpoints: a PEM file outside the database, never stored in it.

``MARKET_CHECKPOINT_KEY_FILE`` names the private key (PKCS#8 PEM). Demos and tests get one
generated on first use (mode 0600); production provisions its own and backs it up apart from
the database backups, since whoever holds both could re-sign a rewritten history. Retired
public keys stay trusted for old checkpoints through ``MARKET_CHECKPOINT_PUBLIC_KEYS``.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


def key_id(public_key: bytes) -> str:
    """A short, stable name for a public key: the first 16 hex digits of its SHA-256."""
    return hashlib.sha256(public_key).hexdigest()[:16]


class SigningKey:
    def __init__(self, private: Ed25519PrivateKey) -> None:
        self._private = private
        self.public_key = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.key_id = key_id(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return self._private.sign(message)

    @classmethod
    def load(cls, path: Path) -> SigningKey:
        key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} holds no Ed25519 private key")
        return cls(key)

    @classmethod
    def load_or_create(cls, path: Path) -> SigningKey:
        """Load the key, or generate one (demo and tests) readable by its owner only."""
        path = Path(path)
        if path.exists():
            return cls.load(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        private = Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        try:  # O_EXCL: two processes starting together must not each write a different key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return cls.load(path)
        with os.fdopen(fd, "wb") as f:
            f.write(pem)
        return cls(private)


class TrustedKeys:
    """The public keys whose checkpoints are believed, by key id."""

    def __init__(self, public_keys: list[bytes]) -> None:
        self.keys = {key_id(k): k for k in public_keys}

    @classmethod
    def from_settings(cls, key_file: Path, retired: str = "") -> TrustedKeys:
        keys = [bytes.fromhex(h.strip()) for h in retired.split(",") if h.strip()]
        if Path(key_file).exists():
            keys.append(SigningKey.load(key_file).public_key)
        return cls(keys)

    def __call__(self, kid: str, message: bytes, signature: bytes) -> bool:
        public = self.keys.get(kid)
        if public is None:
            return False
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
        except InvalidSignature:
            return False
        return True
