"""Relational nouns: "H is the N of Y" -> ``(Y, N, H)`` (``(H, N of, Y)`` for family and belonging nouns and
without "the": :mod:`graphrag.extract.canonical_direction`), "H is Y's N" -> ``(Y, N, H)``, appositions ("Hugh,
King of Italy"; "Guy's widow, Marozia"), possessive compounds ("Y's mother X"), the second parent of a child ("son
of A and B") and lists of relations ("a granddaughter of A, the daughter of B and the niece of C")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.canonical_direction import reads_from_holder
from graphrag.extract.triple_arguments import is_relational
from graphrag.extract.triple_collector import PLACE_LABELS, Ends
from graphrag.extract.triple_collector import Collector as _Collector

if TYPE_CHECKING:
    from spacy.tokens import Token

_RELATION_PREPS = ("of", "to", "for", "in", "at", "from", "by")
#: Nouns naming a child of two parents: in "the son of A, a baron, and B" the parser hangs B on "son" (or on A's
#: apposition), and B is the other parent.
_CHILD_NOUNS = frozenset({"son", "daughter", "child", "heir", "stepson", "stepdaughter"})


def relational_noun(x: _Collector, noun: Token, holders: Ends, of_rule: str, poss_rule: str, depth: int = 0) -> None:
    """``holders`` are what ``noun`` describes.

    "H is the N of Y" -> (H, N of, Y); "H is Y's N" -> (Y, N, H).
    """
    name = x.noun_phrase(noun)
    inverted = reads_from_holder(noun)  # "X is the architect of Y" -> (Y, architect, X)
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in _RELATION_PREPS:
            for t in p.children:
                if t.dep_ != "pobj":
                    continue
                if inverted:
                    x.add_all(list(x.f.objects(t)), name, holders, of_rule)
                else:
                    x.add_all(holders, f"{name} {p.lower_}", list(x.f.objects(t)), of_rule)
                # "daughter of X and sister of Y": the parser hangs "sister" on X (or on a word inside X); in
                # "a granddaughter of X, the daughter of Y and the niece of Z" it hangs "daughter" on X
                for conj in t.subtree if depth < 3 else ():
                    if conj.i > t.i and (conj.dep_ == "conj" and is_relational(conj) or _listed_relation(conj)):
                        relational_noun(x, conj, holders, of_rule, poss_rule, depth + 1)
        elif p.dep_ == "poss":
            owner, fo = x.f.owner_end(p)
            x.add_all([(owner, fo)] if owner is not None else [], name, holders, poss_rule)
    if noun.lower_ in _CHILD_NOUNS and any(p.dep_ == "prep" and p.lower_ == "of" for p in noun.children):
        x.add_all(holders, f"{name} of", _other_parents(x, noun), of_rule)


def _listed_relation(tok: Token) -> bool:
    """An apposition that is one of a list of relations ("X, the daughter of Y and the niece of Z"): a relational
    noun with a relational conjunct. It describes the holder of the list, not the name it hangs on."""
    return (
        tok.dep_ == "appos"
        and is_relational(tok)
        and tok.head.pos_ == "PROPN"
        and any(c.dep_ == "conj" and is_relational(c) for c in tok.children)
    )


def _other_parents(x: _Collector, noun: Token) -> Ends:
    """The second parent in "son of A and B" (B a conjunct of "son", or of an apposition to it) and in "daughter
    of A and his wife B" (the name given to the conjoined "wife")."""
    heads = [noun, *(c for c in noun.children if c.dep_ == "appos")]
    out: Ends = []
    for h in heads:
        for c in h.children:
            if c.dep_ != "conj":
                continue
            n, labels = None, ("PERSON", "")
            if c.pos_ == "PROPN":
                n = x.f.node(c)
            elif c.lower_ in ("wife", "husband") and any(g.dep_ == "poss" for g in c.children):
                named = [g for g in c.children if g.dep_ == "appos" and g.pos_ == "PROPN"]
                n = x.f.node(named[0]) if named else None
                labels = ("PERSON", "", "GPE", "ORG", "NORP")  # "his wife Berengaria": a name, whatever NER says
            if n is not None and n.label in labels and (n, 0.9) not in out:
                out.append((n, 0.9))
    return out


def appos_rules(x: _Collector, tok: Token) -> None:
    head_node, tok_node = x.f.node(tok.head), x.f.node(tok)
    if (
        tok.pos_ == "NOUN"
        and is_relational(tok)
        and head_node is not None
        and head_node.label in PLACE_LABELS | {"DATE"}
        and tok.sent.root.pos_ in ("VERB", "AUX")
    ):
        # "X was a scholar, born at New Haven, Connecticut, son of Y": places have no sons; the sentence's
        # subject is the holder
        relational_noun(x, tok, x.f.subjects(tok.sent.root), "appos", "appos")
        return
    if _listed_relation(tok) and any(a.dep_ == "pobj" for a in (tok.head, *tok.head.ancestors)):
        return  # one of a list of relations the sentence's subject holds (see _relational_noun)
    title = tok.pos_ == "NOUN" or (
        tok.pos_ == "PROPN" and tok.i not in x.f.ent_of and tok_node is not None and tok_node.end - tok_node.start <= 2
    )
    if title and head_node is not None and head_node.kind in ("entity", "name"):
        relational_noun(x, tok, [(head_node, 1.0)], "appos", "appos")  # "Hugh, King of Italy"
    if tok.head.pos_ == "NOUN" and tok_node is not None and tok_node.kind in ("entity", "name"):
        relational_noun(x, tok.head, [(tok_node, 1.0)], "appos", "appos")  # "Guy's widow, Marozia"


def poss_compound_rule(x: _Collector, tok: Token) -> None:
    owner = next((c for c in tok.children if c.dep_ == "poss"), None)  # "Y's mother X"
    if owner is not None:
        o, fo = x.f.owner_end(owner)
        x.add(o, x.noun_phrase(tok), x.f.node(tok.head), "poss_compound", fo)


__all__ = ["appos_rules", "poss_compound_rule", "relational_noun"]
