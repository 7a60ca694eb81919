"""An answerer without a language model: a short answer read out of the retrieved passages, with its source.

From the question alone it finds the expected answer type (a person, a place, a date, a number, yes/no, or one of
two named options). Then:

* **one of two options** ("Which film came out first, A or B?", "Who was born later, A or B?"): the date that
  matters (birth, death, release) is read from each option's passage and compared; the option that wins is the
  answer, citing both passages;
* **yes/no on a shared attribute** ("Are A and B located in the same country?"): the countries or nationalities
  of both passages are compared;
* **everything else**: candidate spans of the expected type (spaCy entities) in the passages, scored by the
  passage's rank, by how many of the question's words their sentence shares, and never a name the question
  itself gives (a multi-hop answer lies in the passage of the bridge entity, not of the named one).

It abstains ("Not found in the documents") when no span of the expected type is found. Everything here is general
English question structure; nothing is specific to one dataset.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from graphrag.config import NLPConfig
from graphrag.types import Citation

NOT_FOUND = "Not found in the documents."

_OPTIONS = re.compile(r"(?:,|\bout of|\bbetween)\s+(?P<a>[^,]+?)\s+(?:or|and)\s+(?P<b>.+?)\s*\?*$", re.IGNORECASE)
_ASKED_OPTIONS = re.compile(
    r"^(?:was|were|is|are|did|does|do)\s+(?P<a>.+?)\s+or\s+(?P<b>.+?)\s+(?:born|released|founded|established|"
    r"published|die|died|older|younger|first|later|earlier)\b",
    re.IGNORECASE,
)
#: "the director who ...", "whose director": the compared dates are that person's, not the option's own.
_ROLE = re.compile(
    r"\b(?:the|whose)\s+(?P<role>director|performer|composer|producer|author|founder|creator|writer)s?\b"
)
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
_WORD = re.compile(r"[A-Za-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "in",
        "on",
        "at",
        "to",
        "is",
        "was",
        "were",
        "are",
        "who",
        "what",
        "which",
        "when",
        "where",
        "whose",
        "whom",
        "how",
        "did",
        "does",
        "do",
        "be",
        "been",
        "by",
        "for",
        "and",
        "or",
        "with",
        "from",
        "that",
        "this",
        "his",
        "her",
        "its",
        "their",
        "film",
        "song",
    ]
)

#: NER labels that can answer each answer type.
TYPE_LABELS = {
    "person": ("PERSON",),
    "place": ("GPE", "LOC", "FAC"),
    "country": ("GPE", "NORP"),
    "date": ("DATE",),
    "number": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    "work": ("WORK_OF_ART", "PRODUCT", "EVENT"),
    "organization": ("ORG",),
}


@dataclass(frozen=True)
class QuestionShape:
    """What a question asks for: an answer type, the two options of a choice, and the direction of a
    comparison (``early``: the first, oldest, earliest wins; ``late``: the last, youngest, latest)."""

    answer_type: str
    options: tuple[str, ...] = ()
    direction: str = ""
    event: str = ""  # born, died, released: which date a comparison compares


@dataclass(frozen=True)
class Extracted:
    """A short answer, the numbers of the sources it comes from, and how it was found."""

    text: str
    cited: tuple[int, ...]
    how: str


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
    return [n for n in names if len(n) > 1 and n.lower() not in _STOP]


def _mentioned(name: str, sources: Sequence[Citation]) -> bool:
    """Whether some source's title or text names ``name`` (words compared without case or punctuation)."""
    key = f" {_norm(name)} "
    return any(key in f" {_norm(s.title)} " or key in f" {_norm(s.text)} " for s in sources)


def _bare(title: str) -> str:
    """A title without its trailing qualifier ("Michael Davis (director)" -> "Michael Davis")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", title) or title


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP}


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


class ExtractiveReader:
    """Reads a short answer out of numbered sources.

    Args:
        nlp: a spaCy pipeline with NER (called on passage texts), or any callable returning a ``Doc``.
        date_value: turns a date's text into a sortable value (``None`` when it cannot), for comparisons.
    """

    def __init__(self, nlp: Callable[[str], Any], date_value: Callable[[str], Any], *, cache_size: int = 0) -> None:
        self.nlp = nlp
        self.date_value = date_value
        self.cache_size = cache_size
        self._docs: OrderedDict[str, Any] = OrderedDict()
        self._lock = threading.Lock()

    def _doc(self, text: str) -> Any:
        """The parsed ``text``: each passage is parsed once per question however often it is consulted; with a
        ``cache_size``, that many recent passages are also kept for the next questions."""
        with self._lock:
            doc = self._docs.get(text)
            if doc is not None:
                self._docs.move_to_end(text)
                return doc
        doc = self.nlp(text)
        with self._lock:
            self._docs[text] = doc
            while len(self._docs) > max(self.cache_size, 16):
                self._docs.popitem(last=False)
        return doc

    def read(self, question: str, sources: Sequence[Citation]) -> Extracted:
        """The answer to ``question`` from ``sources`` (best first), or :data:`NOT_FOUND` citing nothing."""
        if not self.cache_size:
            with self._lock:
                self._docs.clear()  # passages are parsed once per question, not kept across questions
        shape = question_shape(question)
        missing = [n for n in question_names(question) if not _mentioned(n, sources)]
        if missing:  # the question is about something no passage names: nothing here answers it
            return Extracted(NOT_FOUND, (), f"no passage names {missing[0]!r}")
        if shape.answer_type == "choice":
            found = self._choose(shape, sources, question)
            if found is not None:
                return found
            # no dates to compare: the first option is a guess, and says so
            return Extracted(shape.options[0], tuple(s.number for s in sources[:1]), "guess: no dates to compare")
        if shape.answer_type == "yesno":
            return self._yes_no(question, shape, sources)
        return self._span(question, shape, sources)

    # -- options -----------------------------------------------------------------------------------------
    def _about(self, name: str, sources: Sequence[Citation]) -> list[Citation]:
        """Sources about ``name``: titled with it, else opening with it."""
        key = _norm(name)
        titled = [s for s in sources if _norm(s.title) == key or _norm(s.title).startswith(key + " ")]
        if titled:
            return titled
        return [s for s in sources if _norm(s.text[: len(name) + 40]).startswith(key)]

    def _dates(self, source: Citation, event: str) -> list[Any]:
        """Sortable date values in a source, those next to the event's word first."""
        doc = self._doc(source.text)
        values = []
        for ent in doc.ents:
            if ent.label_ != "DATE":
                continue
            value = self.date_value(ent.text.strip(" \u2013\u2014-,"))
            if value is None:
                continue
            window = source.text[max(0, ent.start_char - 40) : ent.start_char].lower()
            near = (event == "died" and ("died" in window or "–" in window or "-" in window[-3:])) or (
                event == "born" and ("born" in window or "(" in window[-3:])
            )
            values.append((0 if near else 1, ent.start_char, value))
        return [v for _, _, v in sorted(values)]

    def _choose(self, shape: QuestionShape, sources: Sequence[Citation], question: str = "") -> Extracted | None:
        a, b = shape.options
        pa, pb = self._about(a, sources), self._about(b, sources)
        if not pa or not pb:
            return None
        role = _ROLE.search(question)
        if role:  # compare the options' directors (performers, ...), each in their own passage
            ba, bb = (
                self._bridge_person(pa[0], sources, role.group("role")),
                self._bridge_person(pb[0], sources, role.group("role")),
            )
            if ba is None or bb is None:
                return None
            pa, pb = [ba, *pa], [bb, *pb]
        da, db = self._dates(pa[0], shape.event), self._dates(pb[0], shape.event)
        if not da or not db:
            return None
        va, vb = self._pick(da, shape.event), self._pick(db, shape.event)
        if va == vb:
            return None
        early = va < vb
        win = a if early == (shape.direction != "late") else b
        return Extracted(win, tuple(dict.fromkeys(c.number for c in (*pa[:2], *pb[:2]))), "compared dates")

    def _bridge_person(self, source: Citation, sources: Sequence[Citation], role: str = "") -> Citation | None:
        """The passage about the person ``source`` names in ``role`` ("directed by X" for a director; else the
        first person named) that has a passage of its own."""
        cue = _ROLE_CUES.get(role, ())
        people = [e for e in self._doc(source.text).ents if e.label_ == "PERSON"]
        cued = [
            e for e in people if any(c in source.text[max(0, e.start_char - 25) : e.start_char].lower() for c in cue)
        ]
        for ent in [*cued, *people]:
            about = [s for s in self._about(ent.text, sources) if s.number != source.number]
            if about:
                return about[0]
        return None

    @staticmethod
    def _pick(values: list[Any], event: str) -> Any:
        """The date that matters: :meth:`_dates` puts the ones next to the event's word ("died", the dash of a
        life span) first."""
        return values[0]

    def _yes_no(self, question: str, shape: QuestionShape, sources: Sequence[Citation]) -> Extracted:
        if len(shape.options) == 2:
            pa, pb = self._about(shape.options[0], sources), self._about(shape.options[1], sources)
            role = _ROLE.search(question) or re.search(r"\b(?P<role>director|performer|composer)s?\b", question)
            if pa and pb and role:  # the directors' countries, not the films'
                ba, bb = (
                    self._bridge_person(pa[0], sources, role.group("role")),
                    self._bridge_person(pb[0], sources, role.group("role")),
                )
                pa, pb = ([ba] if ba else []), ([bb] if bb else [])
            if pa and pb:
                ca, cb = self._countries(pa[0]), self._countries(pb[0])
                if ca and cb:
                    return Extracted("yes" if ca & cb else "no", (pa[0].number, pb[0].number), "compared countries")
        return Extracted("yes" if sources else NOT_FOUND, tuple(s.number for s in sources[:1]), "default yes")

    def _countries(self, source: Citation) -> set[str]:
        doc = self._doc(source.text)
        return {_country_key(e.text) for e in doc.ents if e.label_ in ("GPE", "NORP")}

    # -- spans -------------------------------------------------------------------------------------------
    def _span(self, question: str, shape: QuestionShape, sources: Sequence[Citation]) -> Extracted:
        labels = TYPE_LABELS.get(shape.answer_type, ())
        q_words = _words(question)
        q_words |= {_SYNONYMS[w] for w in q_words if w in _SYNONYMS}
        q_norm = f" {_norm(question)} "
        named = [s for s in sources if s.title and f" {_norm(_bare(s.title))} " in q_norm]
        # a bridge passage: about an entity that a passage the question names mentions (its director, father)
        bridge = {
            s.number
            for s in sources
            if s not in named and any(f" {_norm(_bare(s.title))} " in f" {_norm(n.text)} " for n in named)
        }
        best: tuple[float, str, int] | None = None
        for rank, source in enumerate(sources):
            doc = self._doc(source.text)
            weight = 1.0 / (1 + rank) + (2.0 if source.number in bridge else 0.0) - (1.0 if source in named else 0.0)
            # when the question names a passage, the answer is in it or in a passage it leads to; else the
            # sentence must share a word with the question: an unrelated passage answers nothing
            linked = source in named or source.number in bridge
            for sent in doc.sents:
                overlap = len(_words(sent.text) & q_words)
                if not linked and (named or not overlap):
                    continue
                for ent in sent.ents:
                    if labels and ent.label_ not in labels:
                        continue
                    if not labels and ent.label_ in ("DATE", "CARDINAL", "ORDINAL"):
                        continue
                    if f" {_norm(ent.text)} " in q_norm:  # the question's own names are not its answer
                        continue
                    window = source.text[max(0, ent.start_char - 30) : ent.start_char].lower()
                    near = _EVENT_CUES.get(shape.event, ())
                    score = overlap + weight + (1.0 if any(c in window for c in near) else 0.0)
                    if best is None or score > best[0]:
                        best = (score, ent.text, source.number)
        if best is None:
            return Extracted(NOT_FOUND, (), "no span of the expected type")
        return Extracted(best[1], (best[2],), f"{shape.answer_type} span")


#: Words just before a person named in a role ("directed by X", "song by X").
_ROLE_CUES = {
    "director": ("directed by", "director"),
    "performer": ("by", "performed", "sung", "singer", "recorded"),
    "composer": ("composed by", "music by", "composer", "score"),
    "producer": ("produced by", "producer"),
    "author": ("written by", "by", "author"),
    "writer": ("written by", "writer"),
    "founder": ("founded by", "founder"),
    "creator": ("created by", "creator"),
}

#: Question words and the words a passage says them with.
_SYNONYMS = {"birth": "born", "death": "died", "die": "died", "study": "educated", "buried": "burial"}
#: What stands just before a date or place of the event ("born in X", "(1901 – 1960)").
_EVENT_CUES = {"born": ("born", "("), "died": ("died", "–", " - ", "death")}


def lazy_reader(nlp: NLPConfig | None = None) -> ExtractiveReader:
    """A reader whose spaCy pipeline (``nlp``: the ingest default) loads on the first question that needs it."""
    from graphrag.extract.analysis import SpacyAnalyzer
    from graphrag.extract.literals import literal_key

    analyzer = SpacyAnalyzer(nlp or NLPConfig())
    return ExtractiveReader(lambda text: analyzer.nlp(text), literal_key)


_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|an|ese|ish|i|ic)$")


def _country_key(text: str) -> str:
    """A loose key under which "America", "American" and "United States" are not all one, but "Italy" and
    "Italian" are ("Ital")."""
    t = text.lower().strip()
    return _DEMONYM_SUFFIX.sub("", t)[:5]


__all__ = ["NOT_FOUND", "TYPE_LABELS", "Extracted", "ExtractiveReader", "QuestionShape", "question_shape"]
