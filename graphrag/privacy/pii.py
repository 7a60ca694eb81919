"""Finding personal data (PII) in text and replacing it by typed placeholders such as ``[EMAIL_1]``.

:class:`PiiMasker` finds six kinds: ``EMAIL``, ``PHONE``, ``CARD``, ``IBAN`` and ``IP`` by validated patterns
(:mod:`graphrag.privacy.pii_patterns`), and ``PERSON`` through a person finder that is passed in (a callable
``text -> [(start, end), ...]``, such as :func:`~graphrag.privacy.person_finder.spacy_person_finder` over a
loaded spaCy pipeline); the masker never loads a model itself.

Overlaps are settled by specificity: the pattern kinds look in the order of :data:`ALL_KINDS`, each in the text
with what the earlier ones found blanked out (so a card's digits inside an IBAN are never seen, and an IBAN right
before a card number does not hide it); within a kind the longest span wins. A name span from the person finder
is cut back to the part outside them (an e-mail's local part is never a person). A string found once is then
masked wherever else it stands in the same text as a whole word, so a name the finder caught in one sentence does
not leak from the next.

Placeholders are ``[KIND_suffix]`` (matched by :data:`PLACEHOLDER_RE`). Without a key the suffix counts up per
kind within one :meth:`PiiMasker.mask` call; with ``placeholder_key`` it is the first 8 hex digits of
HMAC-SHA256(key, kind + ":" + value), the same for a value in every document and meaningless without the key
(two values of one kind share a suffix with odds of one in four billion).
Either way one value gets one placeholder: values are compared after normalising (case-folded, whitespace
collapsed; numbers reduced to their digits, IP addresses to their canonical form).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from graphrag.privacy.pii_patterns import LOOKALIKE_FINDERS, PATTERN_FINDERS, Span

EMAIL = "EMAIL"
PHONE = "PHONE"
CARD = "CARD"
IBAN = "IBAN"
IP = "IP"
PERSON = "PERSON"
#: Every kind the masker knows, most specific first: the order in which overlaps are settled.
ALL_KINDS: tuple[str, ...] = (EMAIL, IBAN, CARD, IP, PHONE, PERSON)

#: A placeholder as :meth:`PiiMasker.mask` writes it; group 1 is the kind, group 2 the suffix.
PLACEHOLDER_RE = re.compile(r"\[([A-Z]+)_([0-9a-f]+)\]")

# Typographic spaces and dashes read as plain ones by the patterns (one character for one, so offsets hold).
_FOLD = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
                       "\u2012": "-", "\u2013": "-"})  # fmt: skip

#: Finds person names: ``text -> [(start_char, end_char), ...]``.
PersonFinder = Callable[[str], Sequence[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One piece of PII in a text: ``text[start:end]`` is ``text``, of kind ``kind``."""

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True, slots=True)
class MaskedSpan(PiiSpan):
    """A :class:`PiiSpan` and the placeholder that replaced it (offsets are in the original text)."""

    placeholder: str


@dataclass(frozen=True, slots=True)
class MaskedText:
    """A text with its PII replaced, and what was replaced where."""

    text: str
    spans: tuple[MaskedSpan, ...]

    @property
    def counts(self) -> dict[str, int]:
        """The number of masked spans of each kind found."""
        return dict(Counter(s.kind for s in self.spans))


def normalise(kind: str, value: str) -> str:
    """The form under which two spellings of one value count as the same (and share a placeholder)."""
    value = unicodedata.normalize("NFKC", value).casefold()
    if kind == PHONE:
        value = value.replace("(0)", "")
        lead = "+" if value.startswith(("+", "00")) else ""
        digits = re.sub(r"\D", "", value)
        return lead + (digits[2:] if value.startswith("00") else digits)
    if kind in (CARD, IBAN):
        return re.sub(r"[\s-]", "", value)
    if kind == IP:
        try:
            return str(ipaddress.ip_address(value))
        except ValueError:
            return value
    return " ".join(value.split())


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _strip_span(text: str, start: int, end: int) -> Span | None:
    """``(start, end)`` without surrounding spaces and punctuation; ``None`` when no letter or digit is left."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    while end > start and text[end - 1] == "." and not (end - start >= 2 and text[end - 2].isupper()):
        end -= 1  # keep the dot of an initial ("John F.") but not a full stop
    return (start, end) if start < end else None


class PiiMasker:
    """Finds and masks PII of the chosen kinds.

    Args:
        kinds: the kinds to find, among :data:`ALL_KINDS` (default: all of them).
        person_finder: finds person names in a text (for instance
            :func:`~graphrag.privacy.person_finder.spacy_person_finder`). Without one, or when ``kinds`` leaves
            out ``PERSON``, names are **not** masked.
        placeholder_key: when given, placeholders carry an HMAC of the value under this key (stable across
            texts) instead of a per-call counter.
    """

    def __init__(
        self,
        *,
        kinds: Iterable[str] = ALL_KINDS,
        person_finder: PersonFinder | None = None,
        placeholder_key: bytes | None = None,
    ) -> None:
        chosen = tuple(kinds)
        unknown = sorted(set(chosen) - set(ALL_KINDS))
        if unknown:
            raise ValueError(f"unknown PII kinds {unknown}; choose among {list(ALL_KINDS)}")
        if placeholder_key is not None and not placeholder_key:
            raise ValueError("placeholder_key is empty; pass None for numbered placeholders")
        self.kinds = tuple(k for k in ALL_KINDS if k in chosen)
        self.person_finder = person_finder if PERSON in self.kinds else None
        self._key = placeholder_key

    def find(self, text: str) -> list[PiiSpan]:
        """The PII in ``text``, as non-overlapping spans in text order."""
        taken = bytearray(len(text))  # 1 where a span is
        kept = self._pattern_spans(text, taken)
        if self.person_finder is not None:
            for s, e in self._person_spans(text):
                for piece in _free_pieces(taken, s, e):
                    stripped = _strip_span(text, *piece)
                    if stripped is not None and any(ch.isalpha() for ch in text[stripped[0] : stripped[1]]):
                        ps, pe = stripped
                        taken[ps:pe] = b"\x01" * (pe - ps)
                        kept.append((ps, pe, PERSON))
        kept += _repeats(text, kept, taken)
        kept.sort()
        return [PiiSpan(s, e, k, text[s:e]) for s, e, k in kept]

    def _pattern_spans(self, text: str, taken: bytearray) -> list[tuple[int, int, str]]:
        """The spans of the pattern kinds, marked in ``taken``.

        The kinds look from the most specific on, and what one finds is blanked out before the next looks: a
        card's digits inside an IBAN are never seen, and a masked neighbour reads as a boundary. An IBAN-shaped
        string that fails its check is blanked out the same way, without being masked. No-break and thin spaces
        and typographic dashes count as plain ones.
        """
        folded = text.translate(_FOLD)
        work = folded
        closed = bytearray(len(text))  # masked, or closed to the kinds still to look
        kept: list[tuple[int, int, str]] = []
        for kind in self.kinds:
            if kind == PERSON:
                continue
            n_closed = sum(closed)
            for s, e in sorted(PATTERN_FINDERS[kind](work), key=lambda x: (x[0] - x[1], x[0])):
                if not any(closed[s:e]):
                    taken[s:e] = closed[s:e] = b"\x01" * (e - s)
                    kept.append((s, e, kind))
            for s, e in LOOKALIKE_FINDERS.get(kind, _no_spans)(work):
                closed[s:e] = b"\x01" * (e - s)
            if sum(closed) != n_closed:
                work = "".join(" " if flag else ch for ch, flag in zip(folded, closed, strict=True))
        return kept

    def _person_spans(self, text: str) -> list[Span]:
        assert self.person_finder is not None
        spans = []
        for s, e in self.person_finder(text):
            s, e = max(0, int(s)), min(len(text), int(e))
            if s < e:
                spans.append((s, e))
        spans.sort(key=lambda x: (x[0] - x[1], x[0]))
        return spans

    def mask(self, text: str) -> MaskedText:
        """``text`` with every span :meth:`find` returns replaced by its placeholder."""
        spans = self.find(text)
        names: dict[tuple[str, str], str] = {}
        per_kind: Counter[str] = Counter()
        out: list[str] = []
        masked: list[MaskedSpan] = []
        pos = 0
        for span in spans:
            key = (span.kind, normalise(span.kind, span.text))
            if key not in names:
                per_kind[span.kind] += 1
                names[key] = self._placeholder(span.kind, key[1], per_kind[span.kind])
            out += [text[pos : span.start], names[key]]
            pos = span.end
            masked.append(MaskedSpan(span.start, span.end, span.kind, span.text, names[key]))
        out.append(text[pos:])
        return MaskedText("".join(out), tuple(masked))

    def _placeholder(self, kind: str, value: str, number: int) -> str:
        """The placeholder of the ``number``-th distinct normalised ``value`` of ``kind`` in one text."""
        if self._key is None:
            return f"[{kind}_{number}]"
        digest = hmac.new(self._key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
        return f"[{kind}_{digest[:8]}]"


def _no_spans(text: str) -> list[Span]:
    return []


def _free_pieces(taken: bytearray, start: int, end: int) -> list[Span]:
    """The maximal parts of ``[start, end)`` not yet taken by another span."""
    pieces: list[Span] = []
    s = None
    for i in range(start, end):
        if taken[i]:
            if s is not None:
                pieces.append((s, i))
                s = None
        elif s is None:
            s = i
    if s is not None:
        pieces.append((s, end))
    return pieces


def _repeats(text: str, kept: list[tuple[int, int, str]], taken: bytearray) -> list[tuple[int, int, str]]:
    """Other whole-word occurrences of the strings in ``kept``, where no span is yet (marked in ``taken``).

    A neighbour that is itself masked counts as a word boundary, since it becomes a placeholder; so masking one
    occurrence can free another, and the search repeats until nothing changes.
    """
    extra: list[tuple[int, int, str]] = []
    needles = sorted({(text[s:e], k) for s, e, k in kept}, key=lambda x: (-len(x[0]), x))
    changed = True
    while changed:
        changed = False
        for needle, kind in needles:
            pos = text.find(needle)
            while pos != -1:
                end = pos + len(needle)
                bounded = (pos == 0 or taken[pos - 1] or not _is_word_char(text[pos - 1])) and (
                    end == len(text) or taken[end] or not _is_word_char(text[end])
                )
                if bounded and not any(taken[pos:end]):
                    taken[pos:end] = b"\x01" * (end - pos)
                    extra.append((pos, end, kind))
                    changed = True
                    pos = text.find(needle, end)
                else:
                    pos = text.find(needle, pos + 1)
    return extra
