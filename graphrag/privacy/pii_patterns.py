"""Rule-based detectors for the structured kinds of PII: e-mail addresses, phone numbers, payment cards, IBANs and
IP addresses.

Each detector returns the ``(start, end)`` character spans of its kind in a text. A regex only proposes
candidates; a candidate counts when it also passes the kind's own check, so ordinary numbers stay unmasked:

- ``CARD``: 13-19 digits, compact or printed in groups (4-4-4-4..., or 4-6-5 / 4-6-4), one separator
  kind (space or dash), a known issuer prefix and length, and the Luhn check. A card is a whole number: it is
  never cut out of a longer digit string or a longer stretch of groups (so a card written right after another
  number with only a space between is missed).
- ``IBAN``: a country code of the ISO 13616 registry, the country's exact length, optional spaces after every
  fourth character, and the mod-97 check.
- ``IP``: dotted quads and IPv6 forms (``::`` compression, embedded IPv4) that :mod:`ipaddress` accepts; a
  dotted quad right after a word such as "version", "build" or "section" is a version or section number, and a
  compressed IPv6 form needs a group of three or more hex digits ("a::b" is not an address).
- ``PHONE``: a phone-like shape is required: a leading ``+`` (8-15 digits; exactly 11 after ``+1``) or ``00``
  (with separators), the North American ``(202) 555-0143`` / ``202-555-0143`` / ``202.555.0143`` forms, or a
  national number of 10-11 digits with a leading trunk ``0`` printed in groups (pairs, or groups of three and
  more). A bare run of digits, a date or a time never matches; ``202 555 0143`` with plain spaces does not either.
- ``EMAIL``: ``local@domain.tld`` with a letters-only top-level domain.

Every pattern refuses to start or end inside a word or a longer number.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping, Sequence

#: A ``(start, end)`` character span, end exclusive.
Span = tuple[int, int]

# -- e-mail --------------------------------------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?<![\w.+%-])[\w%+-][\w%+'-]*(?:\.[\w%+'-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![\w-]|\.[A-Za-z0-9])"
)


def find_emails(text: str) -> list[Span]:
    """Spans of e-mail addresses."""
    return [m.span() for m in _EMAIL.finditer(text)]


# -- payment cards -------------------------------------------------------------------------------------------------
# Maximal runs of digit groups joined by single spaces or dashes, never starting or ending inside a word or a
# decimal.
_DIGIT_RUN = re.compile(r"(?<![\w.,+/-])(?>\d+(?:[ -]\d+)*)(?![\w]|[.,]\d)")

#: Issuer prefixes (inclusive ranges over the first digits) and the lengths their cards have.
_CARD_BRANDS: tuple[tuple[int, int, frozenset[int]], ...] = (
    (4, 4, frozenset({13, 16, 19})),  # Visa
    (51, 55, frozenset({16})),  # Mastercard
    (2221, 2720, frozenset({16})),  # Mastercard 2-series
    (2200, 2204, frozenset({16, 17, 18, 19})),  # Mir
    (34, 34, frozenset({15})),  # American Express
    (37, 37, frozenset({15})),
    (300, 305, frozenset({14, 16, 17, 18, 19})),  # Diners Club
    (36, 36, frozenset({14, 16, 17, 18, 19})),
    (38, 39, frozenset({14, 16, 17, 18, 19})),
    (3528, 3589, frozenset({16, 17, 18, 19})),  # JCB
    (50, 50, frozenset(range(12, 20))),  # Maestro and other debit schemes
    (56, 59, frozenset(range(12, 20))),
    (60, 69, frozenset(range(12, 20))),  # Discover, UnionPay, RuPay, Maestro
)


def luhn_ok(digits: str) -> bool:
    """Whether a string of digits passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _issuer_ok(digits: str) -> bool:
    n = len(digits)
    for lo, hi, lengths in _CARD_BRANDS:
        width = len(str(lo))
        if n in lengths and lo <= int(digits[:width]) <= hi:
            return True
    return False


def card_ok(groups: Sequence[str]) -> bool:
    """Whether digit groups (as printed, in order) make a card number: 13-19 digits, a print format of cards
    (compact, 4-4-4-...-x, 4-6-5 or 4-6-4), an issuer prefix with its length, and the Luhn check."""
    sizes = [len(g) for g in groups]
    if not 13 <= sum(sizes) <= 19:
        return False
    grouped = (
        len(sizes) == 1 or sizes in ([4, 6, 5], [4, 6, 4]) or (all(s == 4 for s in sizes[:-1]) and 1 <= sizes[-1] <= 4)
    )
    digits = "".join(groups)
    return grouped and _issuer_ok(digits) and luhn_ok(digits)


def _card_candidates(seps: list[str]) -> set[tuple[int, int]]:
    """Group slices ``[a, b)`` that may hold one card: each stretch of groups joined by one separator kind,
    with or without a group it shares with a neighbouring stretch of another kind ("241-4791 3712 516114 ...")."""
    cands = set()
    i = 0
    while i < len(seps):
        j = i
        while j + 1 < len(seps) and seps[j + 1] == seps[i]:
            j += 1
        lo, hi = i, j + 2  # groups i .. j+1
        for a in {lo, lo + 1 if i > 0 else lo}:
            for b in {hi, hi - 1 if j + 1 < len(seps) else hi}:
                if b - a >= 2:
                    cands.add((a, b))
        i = j + 1
    return cands


def find_cards(text: str) -> list[Span]:
    """Spans of payment card numbers.

    A card is one compact group, or a whole stretch of groups joined by one separator kind; it is never cut out
    of a longer digit string or a longer stretch, so a card-like slice of a longer grouped number does not count.
    """
    spans: list[Span] = []
    for run in _DIGIT_RUN.finditer(text):
        pieces = re.split(r"([ -])", run.group())
        groups, seps = pieces[0::2], pieces[1::2]
        starts = [run.start()]
        for g, sep in zip(groups[:-1], seps, strict=True):
            starts.append(starts[-1] + len(g) + len(sep))
        cands = {(i, i + 1) for i, g in enumerate(groups) if len(g) >= 13} | _card_candidates(seps)
        for a, b in sorted(cands, key=lambda x: (x[0] - x[1], x[0])):
            span = (starts[a], starts[b - 1] + len(groups[b - 1]))
            if card_ok(groups[a:b]) and not any(s < span[1] and span[0] < e for s, e in spans):
                spans.append(span)
    return sorted(spans)


# -- IBAN ----------------------------------------------------------------------------------------------------------
#: IBAN length per country (ISO 13616 registry).
IBAN_LENGTHS: Mapping[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29,
    "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24,
    "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    "YE": 30,
}  # fmt: skip

_IBAN_START = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{2})\d{2}")


def iban_ok(compact: str) -> bool:
    """Whether an IBAN without spaces has its country's length and passes the ISO 13616 mod-97 check."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact.isascii() or not compact.isalnum():
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _iban_shapes(text: str) -> Iterator[tuple[Span, bool]]:
    """Each IBAN-shaped string (a registry country, its exact length, spaces only after every fourth
    character) and whether it passes the mod-97 check."""
    pos = 0
    while (m := _IBAN_START.search(text, pos)) is not None:
        length = IBAN_LENGTHS.get(m.group(1).upper())
        pos = m.start() + 1
        if length is None:
            continue
        chars, i = [m.group()], m.end()
        n = 4
        while n < length and i < len(text):
            ch = text[i]
            if ch.isascii() and ch.isalnum():
                chars.append(ch)
                n += 1
            elif not (ch == " " and n % 4 == 0 and i + 1 < len(text) and text[i + 1].isalnum()):
                break
            i += 1
        following = text[i] if i < len(text) else " "
        if n == length and not following.isalnum():
            yield (m.start(), i), iban_ok("".join(chars))
            pos = i


def find_ibans(text: str) -> list[Span]:
    """Spans of IBANs, compact or with a space after every fourth character."""
    return [span for span, valid in _iban_shapes(text) if valid]


def find_iban_lookalikes(text: str) -> list[Span]:
    """Spans shaped like an IBAN that fail its check: not PII, but no other kind may be found inside them (the
    tail of a mistyped IBAN is not a phone number)."""
    return [span for span, valid in _iban_shapes(text) if not valid]


# -- IP addresses --------------------------------------------------------------------------------------------------
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w]|:[0-9A-Fa-f:]|\.\d)"
)
# A dotted quad after one of these words is a version or section number, not an address.
_VERSION_CONTEXT = re.compile(
    r"(?i)(?:\b(?:v|ver|version|release|build|firmware|update|patch|rev|revision|section|sect|chapter|clause|"
    r"article|art|appendix|paragraph|para|figure|fig|table|step|rule|no)\.?|§)\s*$"
)


def find_ips(text: str) -> list[Span]:
    """Spans of IPv4 and IPv6 addresses that :mod:`ipaddress` accepts."""
    spans: list[Span] = []
    for m in _IPV4.finditer(text):
        if _VERSION_CONTEXT.search(text, max(0, m.start() - 24), m.start()):
            continue
        try:
            ipaddress.IPv4Address(m.group())
        except ValueError:
            continue
        spans.append(m.span())
    for m in _IPV6.finditer(text):
        cand = m.group()
        groups = [g for g in cand.split(":") if g]
        if len(groups) < 8 and not any(len(g) >= 3 for g in groups):
            continue  # "::", "a::b" or "1::2" is punctuation or a ratio before it is an address
        for end in (len(cand), len(cand) - 1) if cand.endswith(":") else (len(cand),):
            try:
                ipaddress.IPv6Address(cand[:end])
            except ValueError:
                continue
            spans.append((m.start(), m.start() + end))  # without a colon that ends a sentence or label
            break
    return sorted(spans)


# -- phone numbers -------------------------------------------------------------------------------------------------
_SEP = r"[ .-]"
# No pattern starts right after a digit and a separator: that is the middle of a longer grouped number.
# The groups are atomic: a long digit string must not be split every possible way before the match gives up.
_INTL = re.compile(
    rf"(?<![\w+.-])(?:\+|(?<!\d[ .-])00)[1-9]\d{{0,2}}(?:{_SEP}?\(0\))?(?>(?:{_SEP}?\(?\d{{1,5}}\)?){{1,7}})"
    r"(?![\w]|[.-]\d)"
)
_NANP = re.compile(
    r"(?<![\w+.-])(?<!\d[ .-])(?:1[ .-])?"
    r"(?:\([2-9]\d{2}\)[ .-]?\d{3}[ .-]|[2-9]\d{2}(?P<sep>[.-])\d{3}(?P=sep))\d{4}"
    r"(?![\w]|[.-]\d)"
)
_TRUNK = re.compile(
    r"(?<![\w+./-])(?<!\d[ .-])(?:\(0\d{1,4}\)|0\d{1,4})[ -]\d{2,8}(?:[ -]\d{2,4}){0,3}(?![\w]|[./:-]\d)"
)
_GROUP_END = re.compile(r"\d\)?(?=[ .-]|$)")


def _prefixes(cand: str) -> Iterator[str]:
    """``cand`` cut at the end of each of its digit groups, longest first."""
    ends = [m.end() for m in _GROUP_END.finditer(cand)]
    for end in reversed(ends):
        yield cand[:end]


def _balanced(s: str) -> bool:
    depth = 0
    for ch in s:
        depth += (ch == "(") - (ch == ")")
        if depth not in (0, 1):
            return False
    return depth == 0


def _intl_ok(s: str) -> bool:
    if not _balanced(s):
        return False
    digits = re.sub(r"\D", "", s.replace("(0)", ""))
    if s.startswith("00"):
        if not re.search(r"\d[ .-]", s):
            return False  # 00 plus bare digits is just a number
        digits = digits[2:]
    if digits.startswith("1"):
        return len(digits) == 11  # the North American plan: +1 and ten digits
    return 8 <= len(digits) <= 15


def _trunk_ok(s: str) -> bool:
    sizes = [len(g) for g in re.findall(r"\d+", s)[1:]]
    # Pairs throughout (06 12 34 56 78) or groups of three and more (020 7946 0958); "01 02 2023 12" is neither.
    shaped = all(n == 2 for n in sizes) or all(n >= 3 for n in sizes)
    return shaped and _balanced(s) and 10 <= sum(ch.isdigit() for ch in s) <= 11


def find_phones(text: str) -> list[Span]:
    """Spans of phone numbers written in a phone-like shape."""
    spans = [m.span() for m in _NANP.finditer(text)]
    for pattern, ok in ((_INTL, _intl_ok), (_TRUNK, _trunk_ok)):
        for m in pattern.finditer(text):
            for prefix in _prefixes(m.group()):
                if prefix.endswith(")") and not _balanced(prefix):
                    prefix = prefix[:-1]  # the bracket closes the text around the number: "(+44 20 7946 0958)"
                if ok(prefix):
                    spans.append((m.start(), m.start() + len(prefix)))
                    break
    return sorted(spans)


#: The detector of each structured kind.
PATTERN_FINDERS: Mapping[str, Callable[[str], list[Span]]] = {
    "EMAIL": find_emails,
    "IBAN": find_ibans,
    "CARD": find_cards,
    "IP": find_ips,
    "PHONE": find_phones,
}
#: Strings shaped like a kind that fail its check: left unmasked, and closed to the kinds after it.
LOOKALIKE_FINDERS: Mapping[str, Callable[[str], list[Span]]] = {"IBAN": find_iban_lookalikes}
