"""What a copula's class noun says about its subject: "X is a 1961 Hindi movie" gives ``(X, is a, movie)``,
``(X, year, 1961)`` and ``(X, nationality, Hindi)``; compound nationalities ("Czech- American") give one triple per
nationality, and "a Canadian-born actress" gives Canadian."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.triple_arguments import Node
from graphrag.extract.triple_collector import Collector as _Collector
from graphrag.extract.triple_collector import Ends
from graphrag.types import CLASS_PREDICATE

if TYPE_CHECKING:
    from spacy.tokens import Token


def class_rules(x: _Collector, noun: Token, subjects: Ends) -> None:
    """ "X is a 1961 Hindi movie": ``(X, is a, movie)``, ``(X, year, 1961)``; "an English singer":
    ``(X, nationality, English)``. Only for a subject that is a name or an entity (not a noun phrase)."""
    named = [(s, f) for s, f in subjects if s.kind in ("entity", "name")]
    if not named or any(c.dep_ == "poss" for c in noun.children):
        return  # "X is Y's mother" is a relation, not a class
    cls = x.lemma(noun)
    relational = any(c.dep_ == "prep" and c.lower_ == "of" for c in noun.children)  # "the son of Y": a relation
    if cls.isalpha() and len(cls) > 2 and not relational:
        node = Node(noun.i, noun.i + 1, cls, noun.idx, noun.idx + len(noun), "", "class")
        x.add_all(named, CLASS_PREDICATE, [(node, 1.0)], "class")
    seen: set[int] = set()
    for m in noun.lefts:
        if m.dep_ not in ("amod", "compound", "nummod", "npadvmod", "nmod", "preconj"):
            continue
        ent = x.f.ent_of.get(m.i)
        if ent is not None and ent.label == "DATE":
            o = x.f.entity_node(ent)
            x.add_all(named, "year", [(o, 1.0)] if o is not None else [], "modifier")
            continue
        if m.dep_ == "nummod" and m.is_digit and len(m.text) == 4 and 1000 <= int(m.text) <= 2100:
            # "a 2013 Malayalam film": a year, whatever NER called it
            year = Node(m.i, m.i + 1, m.text, m.idx, m.idx + 4, "DATE", "entity")
            x.add_all(named, "year", [(year, 1.0)], "modifier")
            continue
        # "a Romanian-American director": "Romanian" hangs on "American", which NER may miss; "a Canadian-born
        # stage and film actress": "Canadian" hangs on "born", which hangs on "stage"
        for t in _modifier_words(m):
            for n in _nationality_nodes(x, t):
                if n.start not in seen:
                    seen.add(n.start)
                    x.add_all(named, "nationality", [(n, 1.0)], "modifier")


def _modifier_words(m: Token, depth: int = 0) -> list[Token]:
    """A pre-modifier of a class noun and the words that modify it in turn (three levels at most)."""
    out = [m]
    for c in m.children:
        if c.i < m.i + 1 and c.dep_ in ("amod", "compound", "conj", "npadvmod", "nmod") and depth < 3:
            out += _modifier_words(c, depth + 1)
    return out


#: Endings of demonyms ("American", "Chinese", "Polish", "Icelandic", "Israeli"; "Swiss" and the like aside).
_DEMONYM_ENDINGS = ("an", "ese", "ish", "ic", "i")


def _nationality_nodes(x: _Collector, tok: Token) -> list[Node]:
    """The nationalities a modifier names: its NORP entity, split when compound ("Czech- American" gives
    Czech and American), or a capitalised demonym-like adjective NER missed."""
    ent = x.f.ent_of.get(tok.i)
    if ent is not None and ent.label != "NORP":
        return []
    if ent is None:
        word = tok.text.strip("-\u2013")
        demonym = word[:1].isupper() and word.isalpha() and word.lower().endswith(_DEMONYM_ENDINGS)
        if not demonym or tok.pos_ not in ("ADJ", "PROPN") or tok.i == tok.sent.start:
            return []
        s = tok.idx + tok.text.index(word)
        return [Node(tok.i, tok.i + 1, word, s, s + len(word), "NORP", "entity")]
    if tok.i != ent.start:
        return []  # one node per entity, made at its first token
    parts = []
    for t in x.doc[ent.start : ent.end]:
        word = t.text.strip("-\u2013")
        if word:
            s = t.idx + t.text.index(word)
            parts.append(Node(t.i, t.i + 1, word, s, s + len(word), "NORP", "entity"))
    if len(parts) >= 2 and all(n.text[:1].isupper() and n.text.isalpha() for n in parts):
        return parts
    if len(parts) == 1 and parts[0].text[:1].isupper() and parts[0].text.isalpha():
        return parts  # "Argentinian-" in "an Argentinian- born director": the word without its hyphen
    whole = x.f.entity_node(ent)
    return [whole] if whole is not None else []


__all__ = ["class_rules"]
