"""Secrets at rest (OAuth tokens, 1C passwords, DaData keys) are encrypted with Fernet.

ENCRYPTION_KEY may hold several comma-separated keys: the first encrypts, all decrypt, so a key
can be rotated without a migration.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: str) -> MultiFernet:
    return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])


def encrypt(value: str) -> str:
    return _fernet(settings.ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored secret: wrong ENCRYPTION_KEY?") from exc


class EncryptedTextField(models.TextField):
    """A text column that holds ciphertext; Python code sees plain text.

    Empty strings stay empty (nothing to hide, and it keeps "is it set?" queries simple).
    Encrypted columns cannot be filtered on.
    """

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
