"""Dates and numbers written in text, as typed values: "20 March 851", "March 20, 851" and "851-03-20" are one
date, ``0851-03-20``; "1,777,539" is the number ``1777539``.

Pure functions, tested on their own. A date keeps the precision the text gives (a year, a month, a day); years
of one to four digits are read (``851`` is AD 851), with "BC"/"BCE" giving a negative year. Anything that is not
plainly a date or a number gives ``None``: "the 1990s" and "early March" are left as text.
"""

from __future__ import annotations

import calendar
import re
from typing import NamedTuple

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
            ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
            ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ),
        1,
    )
    for name in names
}  # fmt: skip
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{1,4})(?:\s*(?P<era>BC|BCE|AD|CE))?"
_DATE_FORMS = [
    re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}$", re.IGNORECASE),  # 20 March 851
    re.compile(rf"^{_MONTH}\s+{_DAY},?\s+{_YEAR}$", re.IGNORECASE),  # March 20, 851
    re.compile(rf"^{_MONTH},?\s+{_YEAR}$", re.IGNORECASE),  # March 1961
    re.compile(r"^(?P<year>\d{4})-(?P<mnum>\d{2})(?:-(?P<day>\d{2}))?$"),  # 1961-03-20
    re.compile(rf"^(?:(?:in|on|the\s+year)\s+)?{_YEAR}$", re.IGNORECASE),  # 1961, 851 AD
]
_MONTH_WORD = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
#: Dates as they are written in running text, longest forms first (for :func:`find_dates`).
_DATE_IN_TEXT = re.compile(
    rf"(?<![\w-])(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_WORD},?\s+\d{{1,4}}"
    rf"|{_MONTH_WORD}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{1,4}}"
    rf"|{_MONTH_WORD},?\s+\d{{3,4}}"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{3,4}(?:\s*(?:BC|BCE|AD|CE)\b)?)(?![\w-])",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[-+]?\d+(?:\.\d+)?$")


class DateValue(NamedTuple):
    """A calendar date at the precision the text gave: ``month`` and ``day`` are 0 when not given."""

    year: int
    month: int = 0
    day: int = 0

    def iso(self) -> str:
        """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (years zero-padded to four digits, ``-`` for BC)."""
        year = f"-{-self.year:04d}" if self.year < 0 else f"{self.year:04d}"
        if not self.month:
            return year
        return f"{year}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")


def parse_date(text: str) -> DateValue | None:
    """The date ``text`` names, or ``None``; a lone number is a year only when it has three or four digits (or an
    era: "851 AD"), since "12" is more often a count than a year."""
    s = " ".join(_COMMA_YEAR.sub(", ", text.strip().strip(".,;()")).split())  # "November 18,1923"
    numeric = _NUMERIC_DATE.match(s)
    if numeric is not None:
        return _numeric_date(*(int(g) for g in numeric.groups()))
    for form in _DATE_FORMS:
        m = form.match(s)
        if m is None:
            continue
        parts = m.groupdict()
        month = int(parts["mnum"]) if parts.get("mnum") else 0
        if parts.get("month"):
            month = _MONTHS.get(parts["month"].lower().rstrip("."), 0)
            if not month:
                continue
        day = int(parts["day"]) if parts.get("day") else 0
        era = (parts.get("era") or "").upper()
        digits = parts["year"]
        if not month and not era and len(digits) < 3:
            return None
        year = -int(digits) if era in ("BC", "BCE") else int(digits)
        if (month and not 1 <= month <= 12) or (day and not month):
            return None
        if day and not 1 <= day <= calendar.monthrange(year if year > 0 else 4, month)[1]:  # no 30 February
            return None
        return DateValue(year, month, day)
    return None


_COMMA_YEAR = re.compile(r",(?=\d{3,4}\b)")
_NUMERIC_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _numeric_date(a: int, b: int, year: int) -> DateValue | None:
    """ "10/13/1964" (month first) or "13/10/1964" (day first): read only when one of the two cannot be a month;
    "05/06/1964" is either, so ``None``."""
    if a > 12 >= b:
        day, month = a, b
    elif b > 12 >= a:
        month, day = a, b
    elif a == b:
        month = day = a
    else:
        return None
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        return None
    return DateValue(year, month, day)


def find_dates(text: str) -> list[tuple[int, int, DateValue]]:
    """Every date written in ``text``, in order: ``(start, end, value)`` character spans ("December 24, 1886
    April 11, 1962" gives two)."""
    out = []
    for m in _DATE_IN_TEXT.finditer(text):
        value = parse_date(m.group(0))
        if value is not None:
            out.append((m.start(), m.end(), value))
    return out


def parse_number(text: str) -> float | None:
    """The number ``text`` is ("1,777,539", "3.5", "-2"), or ``None``."""
    s = text.strip()
    if not _NUMBER.match(s):
        return None
    return float(s.replace(",", ""))


def literal_key(text: str) -> str | None:
    """A matching key for a literal: ``date:0851-03-20`` or ``number:1777539``; ``None`` for other text."""
    date = parse_date(text)
    if date is not None:
        return f"date:{date.iso()}"
    number = parse_number(text)
    if number is not None:
        return f"number:{number:g}" if number != int(number) else f"number:{int(number)}"
    return None


__all__ = ["DateValue", "find_dates", "literal_key", "parse_date", "parse_number"]
