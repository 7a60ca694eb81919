"""Personal data (PII): finding and masking it in text before it is stored or sent to a model, and an optional
encrypted vault for authorised unmasking.

:class:`PiiMasker` finds e-mail addresses, phone numbers, payment cards, IBANs and IP addresses by validated
patterns, and person names through a person finder passed in (:func:`spacy_person_finder` wraps a loaded spaCy
pipeline). :class:`PiiVault` seals the originals with a Fernet key so that holders of the key can unmask.
"""

from graphrag.privacy.person_finder import spacy_person_finder
from graphrag.privacy.pii import (
    ALL_KINDS,
    CARD,
    EMAIL,
    IBAN,
    IP,
    PERSON,
    PHONE,
    PLACEHOLDER_RE,
    MaskedSpan,
    MaskedText,
    PersonFinder,
    PiiMasker,
    PiiSpan,
)
from graphrag.privacy.vault import PiiVault

__all__ = [
    "ALL_KINDS",
    "CARD",
    "EMAIL",
    "IBAN",
    "IP",
    "PERSON",
    "PHONE",
    "PLACEHOLDER_RE",
    "MaskedSpan",
    "MaskedText",
    "PersonFinder",
    "PiiMasker",
    "PiiSpan",
    "PiiVault",
    "spacy_person_finder",
]
