"""Personal data at rest: ID numbers encrypted (MultiFernet, rotatable), matched by a keyed blind index,
shown only masked.

Keys come from settings: PII_ENCRYPTION_KEYS (first one encrypts, all decrypt) and PII_BLIND_INDEX_KEY.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


class EncryptedTextField(models.TextField):
    """Holds Fernet ciphertext; marks the columns `rotate_pii_keys` re-encrypts."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("PII_ENCRYPTION_KEYS is empty.")
    return MultiFernet([Fernet(key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.PII_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    return fernet().rotate(token.encode()).decode()


def blind_index(value: str) -> str:
    if not settings.PII_BLIND_INDEX_KEY:
        raise ImproperlyConfigured("PII_BLIND_INDEX_KEY is empty.")
    normalized = value.strip().upper()
    return hmac.new(settings.PII_BLIND_INDEX_KEY.encode(), normalized.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    """110101199001011234 -> 110101********1234."""
    value = value.strip().upper()
    return f"{value[:6]}{'*' * 8}{value[-4:]}"


@dataclass(frozen=True)
class ProtectedIdNumber:
    encrypted: str
    index: str
    masked: str


def protect_id_number(value: str) -> ProtectedIdNumber:
    value = value.strip().upper()
    return ProtectedIdNumber(encrypted=encrypt(value), index=blind_index(value), masked=mask_id_number(value))
