"""Field-level encryption for the few personal details Brugwijzer stores about families.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256) from the `cryptography` package.
The keys come from BRUGWIJZER_FIELD_KEYS, never from SECRET_KEY: a comma-separated list whose
first key encrypts and whose every key decrypts, so keys can be rotated
(`python manage.py rotate_field_keys` re-encrypts everything with the first key).
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = settings.BRUGWIJZER_FIELD_KEYS
    if not keys:
        raise ImproperlyConfigured("Set BRUGWIJZER_FIELD_KEYS to encrypt family details.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError:
        raise ImproperlyConfigured(
            "BRUGWIJZER_FIELD_KEYS must hold Fernet keys (python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())')."
        ) from None


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured("A family detail cannot be decrypted with BRUGWIJZER_FIELD_KEYS.") from None


class EncryptedTextField(models.TextField):
    """Text stored encrypted. An empty value stays empty, so "was it given?" needs no key.

    Encrypted values cannot be searched or sorted by the database; look families up by their
    pseudonymous reference instead.
    """

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value
