"""Dependency-based subject-predicate-object extraction from a parsed spaCy ``Doc``.

The parse gives the triples, NER types their ends (:mod:`graphrag.extract.triple_arguments` finds what each token stands
for). Rules, on spaCy's English (ClearNLP) dependency labels:

* verb + ``nsubj``/``nsubjpass`` + ``dobj`` / ``prep``-``pobj`` / ``agent``-``pobj``: ``(S, direct, O)``,
  ``(S, born in, O)``, ``(S, directed by, O)``; active verbs are lemmatised, passive ones keep the participle;
  a preposition before a date is dropped ("born in 1950", "born on 3 May 1950" -> ``born``);
* copula + attribute with a prepositional object: "X is the director of Y" -> ``(X, director of, Y)``; with a
  possessor: "X is Y's mother" -> ``(Y, mother, X)``; a subject noun with an owner: "the location of Y is X"
  and "Y's location is X" -> ``(Y, location, X)``; adjective + preposition: "X is famous for Y" ->
  ``(X, famous for, Y)``;
* possession as an attribute: "X has a population of Y" -> ``(X, population, Y)``; "X has 17000 members" ->
  ``(X, members, 17000)``; "X has Y as its N" -> ``(X, N, Y)``;
* apposition and possessive compounds: "Hugh, King of Italy" -> ``(Hugh, king of, Italy)``; "Guy's widow,
  Marozia" and "Guy's widow Marozia" -> ``(Guy, widow, Marozia)``;
* relative and participial clauses take the noun they modify as subject ("an album produced by Y", "X, who was
  born in Z"); conjunctions expand subjects and objects; conjoined and ``xcomp`` verbs inherit the subject,
  and "X wrote and directed Y" shares the object;
* negated verbs give no triples.

Confidence = rule weight x how much each end is trusted (entity > proper name > number > noun phrase) x
factors for pronoun resolution and inherited subjects.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.triple_arguments import BE, RELATIVE, Node, NodeFinder, is_relational, with_conjuncts

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
_KIND_WEIGHT = {"entity": 1.0, "name": 0.85, "number": 0.75, "noun": 0.45}
_RULE_WEIGHT = {
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
}
_DATE_PREPS = ("in", "on", "at")
_RELATION_PREPS = ("of", "to", "for", "in", "at", "from")

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
    """

    common_noun_ends: bool = True
    min_noun_words: int = 2
    resolve_pronouns: bool = True
    max_predicate_words: int = 5


class RawTriple(NamedTuple):
    """A triple between two nodes, with its normalised predicate and confidence."""

    subject: Node
    predicate: str
    object: Node
    confidence: float


class _Collector:
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
        if len(words) > self.rules.max_predicate_words or any(
            f" {n.text.lower()} " in padded for n in (subj, obj)
        ):
            return
        conf = _RULE_WEIGHT[rule] * factor * (_KIND_WEIGHT[subj.kind] + _KIND_WEIGHT[obj.kind]) / 2
        self.triples.append(RawTriple(subj, " ".join(words), obj, round(conf, 3)))

    def add_all(self, subjects: Ends, pred: str, objects: Ends, rule: str) -> None:
        """:meth:`add` for every subject-object pair."""
        for s, fs in subjects:
            for o, fo in objects:
                self.add(s, pred, o, rule, fs * fo)

    def pobj_ends(self, prep: Token) -> Ends:
        """Nodes of a preposition's objects and their conjuncts."""
        return [y for t in prep.children if t.dep_ == "pobj" for y in self.f.objects(t)]


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children):
        return True
    if verb.tag_ != "VBN" or any(c.dep_ == "aux" for c in verb.children):
        return False
    # a bare participle: "an album produced by Y"; "written by X and directed[VBN] by Y"
    return verb.dep_ in ("acl", "advcl", "relcl") or (verb.dep_ == "conj" and _is_passive(verb.head))


def _is_predicate_head(tok: Token) -> bool:
    if tok.pos_ in ("VERB", "AUX"):
        return tok.dep_ not in ("aux", "auxpass")
    # the small parser tags some verbs as adjectives ("Hugh married[JJ] Y"); a subject and an object tell
    deps = {c.dep_ for c in tok.children}
    return tok.pos_ == "ADJ" and "dobj" in deps and "nsubj" in deps


def _shared_objects(verb: Token) -> list[Token]:
    """Objects of a later conjoined verb that this one shares: "X wrote and directed Y"."""
    if any(c.dep_ in ("dobj", "prep", "agent", "attr") for c in verb.children):
        return []
    for c in verb.children:
        if (
            c.dep_ == "conj"
            and c.pos_ == "VERB"
            and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children)
        ):
            return [g for g in c.children if g.dep_ == "dobj"]
    return []


def _verb_rules(x: _Collector, verb: Token) -> None:
    if any(c.dep_ == "neg" for c in verb.children):
        return
    subjects = x.f.subjects(verb)
    passive = _is_passive(verb)
    if verb.lower_ in BE or (
        verb.pos_ == "AUX" and not passive and any(c.dep_ == "attr" for c in verb.children)
    ):
        _copula_rules(x, verb, subjects)  # "the birth year of X is Y" needs no subject node
        return
    if not subjects:
        return
    vp = x.verb_phrase(verb, passive)
    is_have = x.lemma(verb) == "have"
    children = list(verb.children)
    as_nouns = [
        n
        for c in children
        if c.dep_ == "prep" and c.lower_ == "as"
        for n in c.children
        if n.dep_ == "pobj" and n.pos_ == "NOUN"
    ]
    for c in children + _shared_objects(verb):
        if c.dep_ in ("dobj", "attr"):
            if c.lower_ in RELATIVE and verb.dep_ == "relcl":
                n, f = x.f.end(verb.head)
                objs = [(n, f)] if n is not None else []
            else:
                objs = list(x.f.objects(c))
            if not (is_have and _have_rules(x, c, subjects, objs, as_nouns)):
                x.add_all(subjects, vp, objs, "svo")
        elif (
            c.dep_ in ("npadvmod", "prep", "nummod") and c.i in x.f.ent_of and x.f.ent_of[c.i].label == "DATE"
        ):
            # "X (born 3 May 1950)": the small parser hangs a bare date on the verb in various ways
            o = x.f.node(c)
            x.add_all(subjects, vp, [(o, 1.0)] if o is not None else [], "prep")
        elif c.dep_ == "agent":
            x.add_all(subjects, f"{vp} by", x.pobj_ends(c), "agent")
        elif c.dep_ == "prep" and not (is_have and c.lower_ == "as" and as_nouns):
            x.add_all(subjects, f"{vp} {c.lower_}", x.pobj_ends(c), "prep")


def _have_rules(x: _Collector, dobj: Token, subjects: Ends, objs: Ends, as_nouns: list[Token]) -> bool:
    """Possession read as an attribute; True when it replaces the plain (S, have, O) triple.

    "X has a population of Y" -> (X, population, Y); "X has 17000 members" -> (X, members, 17000);
    "X has Y as its N" -> (X, N, Y).
    """
    found = False
    if dobj.pos_ == "NOUN":
        for p in dobj.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                x.add_all(subjects, x.noun_phrase(dobj), x.pobj_ends(p), "have")
                found = True
            elif p.dep_ == "nummod" and p.like_num:
                o = x.f.node(p)
                x.add_all(subjects, x.noun_phrase(dobj), [(o, 1.0)] if o is not None else [], "have")
                found = True
    for noun in as_nouns:
        x.add_all(subjects, x.noun_phrase(noun), objs, "have")
        found = True
    return found


def _copula_rules(x: _Collector, cop: Token, subjects: Ends) -> None:
    subj_toks = [c for c in cop.children if c.dep_ in ("nsubj", "nsubjpass")]
    for c in cop.children:
        if c.dep_ == "attr":
            for a in with_conjuncts(c):
                if a.pos_ == "NOUN" or (a.pos_ == "PROPN" and a.i not in x.f.ent_of):
                    _relational_noun(x, a, subjects, "attr_of", "attr_poss")
                value, fv = x.f.end(a) if a.pos_ != "NOUN" else (x.f.node(a), 1.0)
                for st in subj_toks:  # "the location of Y is X" / "Y's location is X"
                    if st.pos_ == "NOUN" and value is not None:
                        owner, fo = x.f.owner(st)
                        x.add(owner, x.noun_phrase(st), value, "owner", fo * fv)
        elif c.dep_ == "acomp":
            for p in c.children:
                if p.dep_ == "prep":
                    x.add_all(subjects, f"{c.lower_} {p.lower_}", x.pobj_ends(p), "acomp")
        elif c.dep_ == "prep":
            x.add_all(subjects, f"be {c.lower_}", x.pobj_ends(c), "prep")


def _relational_noun(
    x: _Collector, noun: Token, holders: Ends, of_rule: str, poss_rule: str, depth: int = 0
) -> None:
    """``holders`` are what ``noun`` describes.

    "H is the N of Y" -> (H, N of, Y); "H is Y's N" -> (Y, N, H).
    """
    name = x.noun_phrase(noun)
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in _RELATION_PREPS:
            for t in p.children:
                if t.dep_ != "pobj":
                    continue
                x.add_all(holders, f"{name} {p.lower_}", list(x.f.objects(t)), of_rule)
                # "daughter of X and sister of Y": the parser hangs "sister" on X (or on a word inside X)
                for conj in t.subtree if depth < 3 else ():
                    if conj.dep_ == "conj" and conj.i > t.i and is_relational(conj):
                        _relational_noun(x, conj, holders, of_rule, poss_rule, depth + 1)
        elif p.dep_ == "poss":
            owner, fo = x.f.owner_end(p)
            x.add_all([(owner, fo)] if owner is not None else [], name, holders, poss_rule)


def _appos_rules(x: _Collector, tok: Token) -> None:
    head_node, tok_node = x.f.node(tok.head), x.f.node(tok)
    title = tok.pos_ == "NOUN" or (
        tok.pos_ == "PROPN"
        and tok.i not in x.f.ent_of
        and tok_node is not None
        and tok_node.end - tok_node.start <= 2
    )
    if title and head_node is not None and head_node.kind in ("entity", "name"):
        _relational_noun(x, tok, [(head_node, 1.0)], "appos", "appos")  # "Hugh, King of Italy"
    if tok.head.pos_ == "NOUN" and tok_node is not None and tok_node.kind in ("entity", "name"):
        _relational_noun(x, tok.head, [(tok_node, 1.0)], "appos", "appos")  # "Guy's widow, Marozia"


def _poss_compound_rule(x: _Collector, tok: Token) -> None:
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)  # "Y's mother X"
    if owner is not None:
        o, fo = x.f.owner_end(owner)
        x.add(o, x.noun_phrase(tok), x.f.node(tok.head), "poss_compound", fo)


def extract(
    doc: Doc, rules: TripleRules, lemma: Callable[[Token], str]
) -> tuple[list[Node], list[RawTriple]]:
    """Mentions and triples of a parsed ``doc``.

    Mentions are sorted by position and include every triple end; triples are unique by (subject text,
    predicate, object text), keeping the highest confidence, in order of first appearance.
    """
    x = _Collector(doc, rules, lemma)
    for tok in doc:
        if _is_predicate_head(tok):
            _verb_rules(x, tok)
        elif tok.dep_ == "appos":
            _appos_rules(x, tok)
        elif tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.head.pos_ == "PROPN":
            _poss_compound_rule(x, tok)
    nodes: dict[tuple[int, int], Node] = {}
    for ent in x.f.ents:
        n = x.f.entity_node(ent) if ent.label in MENTION_LABELS else None
        if n is not None:
            nodes[(n.start_char, n.end_char)] = n
    for root_i in x.f.chunk_of:
        if doc[root_i].pos_ == "PROPN" and root_i not in x.f.ent_of:
            n = x.f.node(doc[root_i])
            if n is not None and n.kind == "name":
                nodes.setdefault((n.start_char, n.end_char), n)
    best: dict[tuple[str, str, str], RawTriple] = {}
    for t in x.triples:
        nodes.setdefault((t.subject.start_char, t.subject.end_char), t.subject)
        nodes.setdefault((t.object.start_char, t.object.end_char), t.object)
        key = (t.subject.text, t.predicate, t.object.text)
        if key not in best or t.confidence > best[key].confidence:
            best[key] = t
    return sorted(nodes.values(), key=lambda n: (n.start_char, n.end_char)), list(best.values())


__all__ = ["MENTION_LABELS", "RawTriple", "TripleRules", "extract"]
