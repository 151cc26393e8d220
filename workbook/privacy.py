"""Encryption of private entries with a partner's passphrase.

A passphrase is stretched with scrypt (memory-hard: about 32 MiB per guess) into a 256-bit key;
each private text is sealed with AES-GCM (authenticated) under a fresh 96-bit nonce, with the
table, row kind and author bound in as associated data so a ciphertext cannot be moved to
another partner's row. Only a check value derived from the key is stored, never the key or the
passphrase, so a lost passphrase means the private text cannot be recovered by anyone.

`cryptography` is imported when a key is first made or used, not with this module: most pages
never touch a private entry, and each served page is a kernel of its own (about 7 MB each).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from .domain import ValidationError
from .i18n import N_

# scrypt cost: n=2**15, r=8 -> 128 * r * n = 32 MiB of memory and ~0.1 s per derivation here.
SCRYPT_N = 2**15
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE = 8
_CHECK_PLAINTEXT = b"healing-together key check v1"


class WrongPassphrase(ValidationError):
    """The passphrase does not open this partner's private entries."""


class Locked(ValidationError):
    """Private entries need the partner's passphrase first."""


class SealBroken(Exception):
    """A sealed text does not open with this key: wrong key, or damaged or moved data."""


def check_passphrase_text(passphrase: object) -> None:
    """Refuse a passphrase that cannot be what the person meant to type.

    Half of an emoji (a lone surrogate, from a cut paste) cannot be encoded: without this the
    page would fail with a general error, or a passphrase would be set that nobody can type.
    """
    if not isinstance(passphrase, str):
        raise ValidationError(N_("Type your passphrase."))
    try:
        passphrase.encode("utf-8")
    except UnicodeEncodeError as err:
        raise ValidationError(
            N_(
                "That passphrase has a broken character in it (part of an emoji?). Nothing was "
                "changed; please type it again."
            )
        ) from err


def check_passphrase_strength(passphrase: str) -> None:
    """Refuse passphrases that are too short to protect anything."""
    check_passphrase_text(passphrase)
    if not isinstance(passphrase, str) or len(passphrase.strip()) < MIN_PASSPHRASE:
        raise ValidationError(
            N_(
                "Choose a passphrase of at least %(least)d characters; "
                "a few words you will remember work well."
            ),
            least=MIN_PASSPHRASE,
        )
    if len(passphrase) > 1024:
        raise ValidationError(N_("That passphrase is too long (1,024 characters at most)."))


def derive_key(passphrase: str, salt: bytes, *, n: int = SCRYPT_N) -> bytes:
    """Stretch a passphrase into a 256-bit key with scrypt."""
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    kdf = Scrypt(salt=salt, length=32, n=n, r=SCRYPT_R, p=SCRYPT_P)
    return kdf.derive(passphrase.encode("utf-8"))


@dataclass(frozen=True)
class KeyRecord:
    """What is stored for a partner's passphrase: salt, scrypt cost and a key check."""

    salt: bytes
    n: int
    check: bytes


def new_key(passphrase: str, *, n: int = SCRYPT_N) -> tuple[bytes, KeyRecord]:
    """Make a key from a new passphrase and the record that lets it be checked later."""
    check_passphrase_strength(passphrase)
    salt = secrets.token_bytes(SALT_BYTES)
    key = derive_key(passphrase, salt, n=n)
    return key, KeyRecord(salt=salt, n=n, check=seal(key, _CHECK_PLAINTEXT, b"key-check"))


def unlock(passphrase: str, record: KeyRecord) -> bytes:
    """Derive the key and confirm it against the stored check, or raise WrongPassphrase."""
    check_passphrase_text(passphrase)
    key = derive_key(passphrase, record.salt, n=record.n)
    if not key_matches(key, record):
        raise WrongPassphrase(
            N_(
                "That passphrase does not match. Nothing was changed; try again, taking care "
                "with capitals and spaces."
            )
        )
    return key


def key_matches(key: bytes, record: KeyRecord) -> bool:
    """Whether a key (for example one brought back from a sitting) opens this key check."""
    try:
        return open_sealed(key, record.check, b"key-check") == _CHECK_PLAINTEXT
    except SealBroken:
        return False


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate: nonce followed by the AES-GCM ciphertext and tag."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt what `seal` made; raises SealBroken if the key, data or aad do not match."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as err:
        raise SealBroken("the sealed text does not open with this key") from err
