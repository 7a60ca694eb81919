"""What a copula's class noun says about its subject: "X is a 1961 Hindi movie" gives ``(X, is a, movie)``,
``(X, year, 1961)`` and ``(X, nationality, Hindi)``; compound nationalities ("Czech- American") give one triple per
nationality, and "a Canadian-born actress" gives Canadian."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.kind_nouns import CLASSIFIERS, WORK_KINDS
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
    genre = _genre_words(noun)
    if genre:  # "X is a pop rock song": (X, genre, pop rock)
        first, last = genre[0], genre[-1]
        text = x.f.text[first.idx : last.idx + len(last)]
        node = Node(first.i, last.i + 1, text, first.idx, last.idx + len(last), "", "class")
        x.add_all(named, "genre", [(node, 1.0)], "modifier")
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


#: Class nouns of works and of musical acts, whose lowercase noun modifiers name a genre ("a pop rock song", "a
#: horror film", "a sludge metal band").
GENRE_KINDS = frozenset({*WORK_KINDS, "band", "group", "singer", "musician", "guitarist", "rapper", "duo", "trio"})
_HYPHENS = ("-", "\u2013")
#: Modifiers of such nouns that say what kind of release or format it is, not its genre.
_NOT_GENRES = frozenset(
    {
        "studio", "compilation", "live", "debut", "soundtrack", "tribute", "concert", "title", "feature", "television",
        "tv", "radio", "video", "record", "session", "solo", "cover", "remix", "demo", "box", "hit", "hits",
        "single", "music", "girl", "boy", "vocal", "rock'n'roll", "lead", "backing", "film", "book",
        "game", "comic", "picture", "cult", "student", "short", "web", "theme", "b", "side", "charity", "christmas",
        "holiday", "anniversary", "reunion", "greatest", "instrumental", "extended", "double", "triple", "concept",
    }
)  # fmt: skip


def _genre_words(noun: Token) -> list[Token]:
    """The lowercase words right before a work's or act's class noun that name its genre ("pop rock" in "a pop
    rock song", "post-metal" in "a post-metal album"): at least one noun among them, no number, no capitalised
    word (a nationality or a name), none of the release kinds in ``_NOT_GENRES``; [] otherwise."""
    if noun.lower_ not in GENRE_KINDS:
        return []
    doc, words = noun.doc, []
    i = noun.i - 1
    while i >= 0 and doc[i].head.i >= doc[i].i and doc[i].dep_ in ("amod", "compound", "punct", "nmod"):
        t = doc[i]
        if t.dep_ == "punct" and t.text not in _HYPHENS:
            break
        if t.like_num or not (t.is_punct or t.text.islower()):
            break  # "a 1979 American science fiction film": the genre starts after the year and the nationality
        words.insert(0, t)
        i -= 1
    while words and words[0].dep_ == "punct":
        words.pop(0)
    if (
        not words
        or not any(w.pos_ == "NOUN" or w.text in _HYPHENS for w in words)
        or any(w.lower_ in _NOT_GENRES or w.lower_ in CLASSIFIERS for w in words)  # "an English language film"
    ):
        return []
    return words


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
