"""How rule-based triples are collected: the extractor's options, the triple record, and the collector every rule
adds to (which checks the ends, shortens date predicates and weighs confidence by rule and by the kind of each end:
entity > proper name > number > noun phrase)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.triple_arguments import Node, NodeFinder

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# NER labels kept as stand-alone mentions; others (CARDINAL, PERCENT, TIME) only when a triple uses them.
MENTION_LABELS = frozenset(
    {
        "PERSON",
        "NORP",
        "FAC",
        "ORG",
        "GPE",
        "LOC",
        "PRODUCT",
        "EVENT",
        "WORK_OF_ART",
        "LAW",
        "LANGUAGE",
        "DATE",
        "MONEY",
        "QUANTITY",
    }
)
KIND_WEIGHT = {"entity": 1.0, "name": 0.85, "number": 0.75, "noun": 0.45, "class": 0.6}
RULE_WEIGHT = {
    "svo": 0.9,
    "agent": 0.9,
    "prep": 0.8,
    "attr_of": 0.85,
    "attr_poss": 0.85,
    "owner": 0.8,
    "acomp": 0.75,
    "have": 0.75,
    "appos": 0.8,
    "poss_compound": 0.75,
    "life_dates": 0.9,
    "class": 0.8,
    "modifier": 0.75,
    "place_chain": 0.7,
    "path": 0.6,
    "measure": 0.75,
}
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_DATE_PREPS = ("in", "on", "at")

Ends = list[tuple[Node, float]]


@dataclass(frozen=True)
class TripleRules:
    """Options of the extractor.

    Args:
        common_noun_ends: allow plain noun phrases ("diesel-electric transmission") as triple ends; they get a
        low confidence so callers can filter them. min_noun_words: the fewest words such a noun phrase needs:
        a modified noun names a thing, a bare one
            ("film", "music") rarely does and would join unrelated passages in the graph.
        resolve_pronouns: he/she/his/her (it/its) stand for the nearest earlier person (non-person) subject.
        max_predicate_words: longer predicates are dropped (they are parse noise).
        path_fallback: relate a clause's subject to the other names of its clause by the words on the dependency
            path between them (:mod:`graphrag.extract.path_rules`) when no specific rule did. Its triples carry
            the rule ``path``: they raise the facts the graph holds (WebNLG entity-pair F1, 2Wiki evidence
            recall), and the graph retrievers leave them out by default (``[retrieve] graph_skip_rules``): on
            2WikiMultiHopQA without titles their edges (about 15 % more) cost the graph retriever 2.5 points of
            R@2.
    """

    common_noun_ends: bool = True
    min_noun_words: int = 2
    resolve_pronouns: bool = True
    max_predicate_words: int = 5
    path_fallback: bool = True


class RawTriple(NamedTuple):
    """A triple between two nodes, with its normalised predicate, confidence, the character span of the
    sentence it was read from and the rule that found it (a key of :data:`RULE_WEIGHT`)."""

    subject: Node
    predicate: str
    object: Node
    confidence: float
    start_char: int = -1
    end_char: int = -1
    rule: str = ""


class Collector:
    """A document's node finder, the verb lemmatiser and the triples found so far."""

    def __init__(self, doc: Doc, rules: TripleRules, lemma: Callable[[Token], str]) -> None:
        self.f = NodeFinder(
            doc,
            common_noun_ends=rules.common_noun_ends,
            min_noun_words=rules.min_noun_words,
            resolve_pronouns=rules.resolve_pronouns,
        )
        self.doc = doc
        self.rules = rules
        self.lemma = lemma
        self.triples: list[RawTriple] = []
        self.sentence = (-1, -1)  # character span of the sentence being read

    def verb_phrase(self, verb: Token, passive: bool) -> str:
        """Lowercase predicate of a verb: the participle when passive, else the lemma; particles appended."""
        words = [verb.lower_ if passive else self.lemma(verb)]
        words += [c.lower_ for c in verb.children if c.dep_ == "prt"]
        return " ".join(words)

    def noun_phrase(self, noun: Token) -> str:
        """Lowercase relational noun with its compound / adjective modifiers: "population density"."""
        start = noun.i
        for c in reversed(list(noun.lefts)):
            ent = self.f.ent_of.get(c.i)
            if (
                c.dep_ in ("compound", "amod")
                and c.i == start - 1
                and not (ent is not None and ent.label in ("ORDINAL", "CARDINAL"))
            ):
                start = c.i
            elif not (c.dep_ == "punct" and c.i == start - 1):
                break
        return " ".join(self.doc[start : noun.i + 1].text.lower().split())

    def add(self, subj: Node | None, pred: str, obj: Node | None, rule: str, factor: float = 1.0) -> None:
        """Record a triple if both ends exist and differ, and the predicate is short and names neither end."""
        if subj is None or obj is None or not pred or subj.text == obj.text:
            return
        if subj.start < obj.end and obj.start < subj.end:
            return
        words = pred.split()
        if obj.label == "DATE" and len(words) > 1 and words[-1] in _DATE_PREPS:
            words.pop()  # "born in 1950" and "born on 3 May 1950" are one relation: "born"
        padded = f" {' '.join(words)} "
        if len(words) > self.rules.max_predicate_words or any(f" {n.text.lower()} " in padded for n in (subj, obj)):
            return
        conf = RULE_WEIGHT[rule] * factor * (KIND_WEIGHT[subj.kind] + KIND_WEIGHT[obj.kind]) / 2
        self.triples.append(RawTriple(subj, " ".join(words), obj, round(conf, 3), *self.sentence, rule))

    def add_all(self, subjects: Ends, pred: str, objects: Ends, rule: str) -> None:
        """:meth:`add` for every subject-object pair."""
        for s, fs in subjects:
            for o, fo in objects:
                self.add(s, pred, o, rule, fs * fo)

    def pobj_ends(self, prep: Token) -> Ends:
        """Nodes of a preposition's objects and their conjuncts."""
        return [y for t in prep.children if t.dep_ == "pobj" for y in self.f.objects(t)]


__all__ = ["MENTION_LABELS", "PLACE_LABELS", "RULE_WEIGHT", "Collector", "Ends", "RawTriple", "TripleRules"]
