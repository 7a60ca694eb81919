"""What a question asks for, read from its words alone: the expected answer type (a person, a place, a date, a
number, yes/no, or one of two named options), the direction and event of a comparison ("born first"), and the
names it spells. General English question structure; nothing here is specific to one dataset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPTIONS = re.compile(r"(?:,|\bout of|\bbetween)\s+(?P<a>[^,]+?)\s+(?:or|and)\s+(?P<b>.+?)\s*\?*$", re.IGNORECASE)
_ASKED_OPTIONS = re.compile(
    r"^(?:was|were|is|are|did|does|do)\s+(?P<a>.+?)\s+or\s+(?P<b>.+?)\s+(?:born|released|founded|established|"
    r"published|die|died|older|younger|first|later|earlier)\b",
    re.IGNORECASE,
)
#: "the director who ...", "whose director": the compared dates are that person's, not the option's own.
ROLE = re.compile(r"\b(?:the|whose)\s+(?P<role>director|performer|composer|producer|author|founder|creator|writer)s?\b")
_YES_NO = re.compile(r"^(?:are|is|was|were|do|does|did|has|have|had|can|could)\b", re.IGNORECASE)
_BOTH = re.compile(
    r"\bboth\s+(?:\w+\s+){0,3}?(?P<a>[A-Z].+?)\s+and\s+(?P<b>.+?)\s+(?:have|had|are|were|from|located|the)\b"
)
#: "Are A and B both located in the same country?", "Are the directors of films A and B from the same country?"
_PAIR = re.compile(
    r"^(?:are|is|were|was|do|did)\s+(?:the\s+\w+\s+of\s+)?(?:(?:the\s+)?(?:films?|movies?|songs?|albums?)\s*:?\s+)?"
    r"(?P<a>.+?)\s+and\s+(?P<b>.+?)\s*,?\s+(?:both|from|located|have|share|of|in)\b",
    re.IGNORECASE,
)
_EARLY = ("first", "earlier", "earliest", "older", "oldest", "before", "sooner")
_LATE = ("later", "last", "latest", "younger", "youngest", "after", "more recently", "most recently")
_STOP = frozenset(
    (
        "the", "a", "an", "of", "in", "on", "at", "to", "is", "was", "were", "are", "who", "what", "which", "when",
        "where", "whose", "whom", "how", "did", "does", "do", "be", "been", "by", "for", "and", "or", "with", "from",
        "that", "this", "his", "her", "its", "their", "film", "song",
    )
)  # fmt: skip
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class QuestionShape:
    """What a question asks for: an answer type, the two options of a choice, and the direction of a
    comparison (``early``: the first, oldest, earliest wins; ``late``: the last, youngest, latest)."""

    answer_type: str
    options: tuple[str, ...] = ()
    direction: str = ""
    event: str = ""  # born, died, released: which date a comparison compares


def question_shape(question: str) -> QuestionShape:
    """The expected answer type of ``question`` (see :class:`QuestionShape`)."""
    q = question.strip()
    low = q.lower()
    direction = "early" if any(w in low for w in _EARLY) else "late" if any(w in low for w in _LATE) else ""
    event = (
        "died"
        if re.search(r"\bdie[ds]?\b|\bdeath\b", low)
        else "born"
        if re.search(r"\bborn\b|\bbirth\b|\bolder\b|\byounger\b", low)
        else "released"
        if re.search(r"releas|came out|publish|premier|first|later", low)
        else ""
    )
    m = _OPTIONS.search(q)
    if m and not _YES_NO.match(q):
        return QuestionShape("choice", (m.group("a").strip(), m.group("b").strip()), direction, event)
    m = _ASKED_OPTIONS.search(q)  # "Was A or B born first?"
    if m:
        return QuestionShape("choice", (m.group("a").strip(), m.group("b").strip()), direction, event)
    if _YES_NO.match(q):
        both = _BOTH.search(q) or _PAIR.search(q)
        options = (both.group("a").strip(" ,:"), both.group("b").strip(" ,:")) if both else ()
        return QuestionShape("yesno", options, direction, event)
    # the asking words come first ("What nationality is the performer of song When The Stars Go Blue?")
    if re.search(r"^(?:what|which) nationality\b|^(?:which|what) country\b|\bnationality\b", low):
        return QuestionShape("country", event=event)
    if re.match(r"^when\b", low) or re.search(r"^what (?:year|day)\b|\bdate of\b|^what is the date\b", low):
        return QuestionShape("date", event=event)
    if re.match(r"^where\b", low) or re.search(r"\bplace of\b|\bwhich city\b", low):
        return QuestionShape("place", event=event)
    if re.match(r"^(?:who|whom|whose)\b", low):
        return QuestionShape("person", event=event)
    if re.search(r"\bhow many\b|\bhow much\b", low):
        return QuestionShape("number", event=event)
    if re.search(r"\bcountry\b", low):
        return QuestionShape("country", event=event)
    return QuestionShape("other", event=event)


_CAPITALISED = re.compile(r"[A-Z][\w'’.&-]*(?:\s+(?:(?:of|the|de|la|le|von|van|der|du)\s+)*[A-Z0-9][\w'’.&-]*)*")


def question_names(question: str) -> list[str]:
    """The names a question spells: runs of capitalised words after its first word ("Who directed Our Emden?"
    -> ["Our Emden"])."""
    first = re.match(r"\s*\S+", question)
    rest_at = first.end() if first else 0
    names = [re.sub(r"['’][sS]$", "", m.group(0)).strip(" .'’") for m in _CAPITALISED.finditer(question, rest_at)]
    return [n for n in names if len(n) > 1 and n.casefold() not in _STOP]


#: Nouns that name an attribute of a thing ("the date of death of X", "X's nationality"), not another thing it
#: leads to ("the director of X", "X's father"): general English, the same for any corpus.
_ATTRIBUTE_NOUNS = frozenset(
    ("date", "place", "year", "day", "time", "birth", "death", "birthday", "country", "nationality", "name",
     "cause", "age", "height", "length", "size", "population", "area", "location", "origin", "language", "title",
     "genre", "type", "kind", "number", "capital", "city", "state", "burial", "release", "founding", "end", "start")
)  # fmt: skip
_HOP = re.compile(
    r"\b(?:the\s+)?(?P<noun>[a-z]+)s?\s+of\s+(?:the\s+)?(?:[a-z]+\s+)?[A-Z0-9]"  # the director of (film) X
    r"|['’]s\s+(?P<noun2>[a-z]+)\b"  # X's father
    r"|\bthe\s+(?P<noun3>[a-z]+)\s+(?:that|which|who|whom|whose)\b"  # the company that published X
)


def has_hop(question: str) -> bool:
    """Whether the question asks about a thing reached from the one it names ("the director of film X", "X's
    father") rather than about the named thing itself ("Where was X born?", "the date of death of X")."""
    for m in _HOP.finditer(question):
        noun = m.group("noun") or m.group("noun2") or m.group("noun3") or ""
        if noun and noun.lower() not in _ATTRIBUTE_NOUNS and noun.lower() not in _STOP:
            return True
    return False


def words(text: str) -> set[str]:
    """The content words of ``text``, lowercased (question words, articles, single letters such as the ``s`` of
    a possessive and the like left out)."""
    return {w for w in (t.casefold() for t in _WORD.findall(text)) if w not in _STOP and len(w) > 1}


__all__ = ["ROLE", "QuestionShape", "has_hop", "question_names", "question_shape", "words"]
