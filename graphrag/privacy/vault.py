"""An encrypted vault for authorised unmasking of PII placeholders.

:class:`PiiVault` seals each original value that :class:`~graphrag.privacy.pii.PiiMasker` replaced into a
Fernet token (AES-128-CBC with an HMAC-SHA256 tag, from the ``cryptography`` package), so the masked text and
the ``placeholder -> token`` map can be stored side by side: without the key neither reveals the originals, and
with it :meth:`PiiVault.unmask` puts them back. The same key also yields the masker's ``placeholder_key``
(:attr:`PiiVault.placeholder_key`, an HMAC key derived from it), so one value gets one placeholder in every
document masked under that key.

The key lives in the environment (``GRAPHRAG_PII_KEY`` by default, read by :meth:`PiiVault.from_env`), never
in a config file. A wrong key or a damaged token is a :class:`~graphrag.errors.ConfigError` that says so.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from graphrag.errors import ConfigError
from graphrag.privacy.pii import PLACEHOLDER_RE

if TYPE_CHECKING:
    from graphrag.privacy.pii import MaskedText

#: The environment variable :meth:`PiiVault.from_env` reads by default.
DEFAULT_KEY_VAR = "GRAPHRAG_PII_KEY"
_PLACEHOLDER_SALT = b"graphrag-pii-placeholder"
_KEY_HINT = "it must be 32 url-safe base64-encoded bytes, as PiiVault.generate_key() makes"


def _fernet_module() -> Any:
    try:
        from cryptography import fernet
    except ImportError:  # pragma: no cover - cryptography is a core dependency
        raise ConfigError("the PII vault needs the cryptography package (pip install cryptography)") from None
    return fernet


class PiiVault:
    """Seals original PII values into tokens and opens them again with the same key.

    Args:
        key: a Fernet key, 32 url-safe base64-encoded bytes (as :meth:`generate_key` makes).

    Raises:
        ConfigError: the key is not a valid Fernet key.
    """

    def __init__(self, key: bytes | str) -> None:
        fernet = _fernet_module()
        raw = key.strip() if isinstance(key, str | bytes) else key
        try:
            self._fernet = fernet.Fernet(raw)
            secret = base64.urlsafe_b64decode(raw)
        except (ValueError, TypeError, binascii.Error):
            raise ConfigError(f"the PII vault key is not a valid Fernet key; {_KEY_HINT}") from None
        self._invalid_token = fernet.InvalidToken
        self._placeholder_key = hashlib.sha256(_PLACEHOLDER_SALT + secret).digest()

    def __repr__(self) -> str:
        return "PiiVault(<key hidden>)"

    @classmethod
    def from_env(cls, var: str = DEFAULT_KEY_VAR, *, environ: Mapping[str, str] | None = None) -> PiiVault | None:
        """The vault keyed by the environment variable ``var``; ``None`` when it is unset or empty.

        Raises:
            ConfigError: the variable holds something that is not a Fernet key (the message names it).
        """
        value = (os.environ if environ is None else environ).get(var, "").strip()
        if not value:
            return None
        try:
            return cls(value)
        except ConfigError:
            raise ConfigError(f"environment variable {var} does not hold a valid Fernet key; {_KEY_HINT}") from None

    @staticmethod
    def generate_key() -> str:
        """A new random Fernet key, as text fit for an environment variable."""
        return _fernet_module().Fernet.generate_key().decode("ascii")

    @property
    def placeholder_key(self) -> bytes:
        """The HMAC key for :class:`~graphrag.privacy.pii.PiiMasker`'s ``placeholder_key``, derived from the
        vault key (SHA-256 of a fixed label and the key), so it never exposes the key itself."""
        return self._placeholder_key

    def seal(self, original: str) -> str:
        """An encrypted token for ``original``."""
        return self._fernet.encrypt(original.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        """The original value sealed in ``token``.

        Raises:
            ConfigError: the token was sealed under another key, or is damaged.
        """
        try:
            return self._fernet.decrypt(token.encode("utf-8")).decode("utf-8")
        except (self._invalid_token, ValueError, TypeError, UnicodeDecodeError):
            raise ConfigError(
                "a PII vault token cannot be opened: it was sealed under another key, or it is damaged"
            ) from None

    def seal_spans(self, masked: MaskedText) -> dict[str, str]:
        """``placeholder -> token`` for every placeholder of a masked text.

        Spellings that share a placeholder ("+44 20 ..." and "0044 20 ...") are sealed as the first one seen.
        """
        sealed: dict[str, str] = {}
        for span in masked.spans:
            if span.placeholder not in sealed:
                sealed[span.placeholder] = self.seal(span.text)
        return sealed

    def unmask(self, text: str, sealed: Mapping[str, str]) -> str:
        """``text`` with each placeholder that ``sealed`` maps (``"[EMAIL_1]" -> token``) replaced by its opened
        original; other placeholders stay as they are.

        Raises:
            ConfigError: a token cannot be opened with this key.
        """
        return PLACEHOLDER_RE.sub(lambda m: self.open(sealed[m.group()]) if m.group() in sealed else m.group(), text)
