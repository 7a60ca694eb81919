"""What a token of a parsed spaCy ``Doc`` stands for: the entity, name or noun phrase a triple end refers to.

:class:`NodeFinder` answers, for one document, "which node is this token?" and "who is the subject of this
verb?":

* named entities come from NER, repaired where the small English model is reliably wrong (see
  :func:`~graphrag.extract.entity_spans.entity_spans`); a token inside an entity stands for the whole entity;
* a proper noun stands for its noun chunk ("Lothair II"), continued by "of" + capitalised words ("College of
  William and Mary"); a common noun for its noun chunk without determiners or possessors, if it has enough
  words;
* a common noun that is renamed by an apposition or a naming participle stands for the name ("his brother,
  Guy", "the album entitled Take It Off"); a noun that is a copula's attribute stands for the copula's
  subject;
* he/she/his/her (it/its) stand for the passage's topic when it has one that fits (a person, a non-person; see
  :mod:`graphrag.extract.passage_topic`), else for the nearest earlier subject that names a person (a
  non-person); "the film" stands for the topic when the first sentence called the topic a film.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.entity_spans import Ent, entity_spans
from graphrag.extract.kind_nouns import WORK_KINDS, classified_span, is_class_word, without_classifier
from graphrag.extract.person_nouns import is_person_noun
from graphrag.extract.topic_references import BE, TopicReferences
from graphrag.extract.verb_subjects import RELATIVE, VerbSubjects, with_conjuncts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

LITERAL_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"})
_NEVER_LABELS = frozenset({"ORDINAL"})
_NUMBER_LABELS = frozenset({"CARDINAL", "PERCENT", "QUANTITY", "MONEY"})
_PERSONAL = frozenset({"he", "she", "him", "her", "his", "hers", "himself", "herself"})
_NEUTER = frozenset({"it", "its"})
#: Words before a date's number that are not part of its value: "(in) the year 2000", "In 2000, ...".
_DATE_LEADS = frozenset({"the", "year", "in", "on", "at", "since", "from", "during", "by"})
_NAMING = frozenset({"named", "called", "entitled", "titled", "known", "dubbed"})
_LEADING_TRIM_DEPS = frozenset({"det", "predet", "poss", "case", "punct", "cc", "preconj", "prep"})
_LEADING_TRIM_POS = frozenset({"DET", "PUNCT", "CCONJ", "ADP", "PART"})
PRONOUN_FACTOR = 0.7  # confidence factor of a triple end reached through a resolved pronoun
#: Nouns that class the name before them: in "the Campeonato Brasileiro Serie C league", "the reggae genre" and
#: "the Sony Music record label" the name is the thing, the noun says what kind of thing it is.


class Node(NamedTuple):
    """A triple end or mention: token span ``[start, end)``, text and character offsets, NER label, kind."""

    start: int
    end: int
    text: str
    start_char: int
    end_char: int
    label: str
    kind: str  # entity | name | number | noun


def is_relational(tok: Token) -> bool:
    """A common noun with a prepositional phrase: in "daughter of X and sister of Y" the parser makes "sister"
    a conjunct of X, but it is a second relation, not a second object."""
    return tok.pos_ == "NOUN" and any(c.dep_ == "prep" for c in tok.children)


class NodeFinder(TopicReferences, VerbSubjects):
    """Node lookups for one parsed document (cached per token).

    Args:
        doc: the parsed document.
        common_noun_ends: whether plain noun phrases may be nodes.
        min_noun_words: the fewest words a plain noun phrase needs to be a node.
        resolve_pronouns: whether third-person pronouns stand for an earlier subject.
    """

    def __init__(self, doc: Doc, *, common_noun_ends: bool, min_noun_words: int, resolve_pronouns: bool) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text re-joins every token on each access: read it once
        self.common_noun_ends = common_noun_ends
        self.min_noun_words = min_noun_words
        self.resolve_pronouns = resolve_pronouns
        self.ents = entity_spans(doc)
        self.ent_of: dict[int, Ent] = {i: e for e in self.ents for i in range(e.start, e.end)}
        self.chunk_of: dict[int, Span] = {nc.root.i: nc for nc in doc.noun_chunks}
        self._cache: dict[int, Node | None] = {}
        self._antecedents: tuple[list[tuple[int, Node]], list[tuple[int, Node]]] | None = None
        self.topic: Node | None = None  # what the passage is about (set by the extractor)
        self.topic_class = ""  # the noun the first sentence classes the topic with ("film")
        self.opener: Node | None = None  # the name that opens the passage (the topic or another name for it)
        self._paren_depth: list[int] | None = None

    # ---- building nodes ----------------------------------------------------------------------------------
    def _make(self, start: int, end: int, label: str, kind: str) -> Node | None:
        doc = self.doc
        phrase = not label  # NER spans are trusted; noun phrases also lose leading possessors and the like
        while start < end:
            t = doc[start]
            pos = t.pos_
            if not (
                pos in _LEADING_TRIM_POS or t.is_space or (phrase and pos != "PROPN" and t.dep_ in _LEADING_TRIM_DEPS)
            ):
                break
            start += 1
        while end > start:
            t = doc[end - 1]
            if not (t.is_punct or t.is_space or t.dep_ == "case"):
                break
            end -= 1
        if start >= end:
            return None
        last = doc[end - 1]
        s, e = doc[start].idx, last.idx + len(last)
        text = self.text[s:e]
        if not any(ch.isalnum() for ch in text):
            return None
        return Node(start, end, text, s, e, label, kind)

    def entity_node(self, ent: Ent) -> Node | None:
        """The node of an entity span; ``None`` for ordinals and for dates without a number ("today")."""
        doc = self.doc
        if ent.label in _NEVER_LABELS or (
            ent.label == "DATE" and not any(t.like_num for t in doc[ent.start : ent.end])
        ):
            return None
        start = ent.start
        # keep a capitalised "The" (part of names such as "The Beatles"), drop a lowercase one
        if doc[start].lower_ in ("the", "a", "an") and not doc[start].text[0].isupper():
            start += 1
        if ent.label == "DATE":  # "the year 2000" is 2000
            while start < ent.end - 1 and (doc[start].lower_ in _DATE_LEADS or doc[start].text == ","):
                start += 1
        end = without_classifier(doc, start, ent.end)
        return self._make(start, end, ent.label, "number" if ent.label in _NUMBER_LABELS else "entity")

    def _classified_name(self, tok: Token) -> Node | None:
        """The name a classifier noun follows ("the FC Terek Grozny club" -> FC Terek Grozny), or ``None``."""
        span = classified_span(tok)
        if span is None:
            return None
        start, end = span
        ent = self.ent_of.get(end - 1)
        others = any(i in self.ent_of and self.ent_of[i] != ent for i in range(start, end))
        if ent is not None and ent.start >= start and ent.end == end and not others:
            return self.entity_node(ent)  # not "the Shenzhou 10 mission", two entities to NER
        kind = "name" if any(w.pos_ == "PROPN" for w in self.doc[start:end]) else "noun"
        return self._make(start, end, "", kind)

    def _phrase_node(self, tok: Token) -> Node | None:
        named = self._classified_name(tok)
        if named is not None:
            return named
        chunk = self.chunk_of.get(tok.i)
        if chunk is not None:
            start, end = chunk.start, chunk.end
        else:
            start, end = tok.left_edge.i, tok.i + 1
            if any(self.doc[i].dep_ in ("relcl", "acl", "prep") for i in range(start, end)):
                start = tok.i
        if tok.pos_ == "PROPN":
            end = max(end, self._of_name_end(tok))
        if start < tok.i and is_class_word(self.doc[start]):  # "Asteroid 1147 Stavropolis has ..."
            start += 1
        # a possessor inside the phrase ("Guy's widow") is a different node: start after its "'s"; so is the
        # maker before a kind of work ("The Velvet Underground album Squeeze": Squeeze)
        for i in range(end - 1, start - 1, -1):
            t = self.doc[i]
            if t.dep_ == "case" or (t.dep_ == "poss" and t.pos_ == "PRON"):
                start = i + 1
                break
            if tok.pos_ == "PROPN" and i < tok.i and t.lower_ in WORK_KINDS and t.text.islower() and i > start:
                start = i + 1
                break
        kind = "name" if tok.pos_ == "PROPN" else "number" if tok.pos_ == "NUM" else "noun"
        if kind == "noun" and not self.common_noun_ends:
            return None
        made = self._make(start, end, "", kind)
        if made is not None and kind == "noun" and made.end - made.start < self.min_noun_words:
            return None
        return made

    def _of_name_end(self, tok: Token) -> int:
        """End of a proper name continued by "of" + capitalised words: "College of William and Mary"."""
        for c in tok.rights:
            if c.dep_ == "prep" and c.lower_ == "of" and c.i == tok.i + 1:
                last = c.right_edge.i
                words = self.doc[c.i + 1 : last + 1]
                if len(words) and all(
                    w.pos_ == "PROPN" or (w.lower_ in ("and", "the", "of", "&") and w.i < last) for w in words
                ):
                    return last + 1
        return tok.i + 1

    # ---- lookups -----------------------------------------------------------------------------------------
    def node(self, tok: Token, depth: int = 0) -> Node | None:
        """The node a token stands for (the passage's topic when inside its span, its entity, renamed noun, or
        noun phrase), or ``None``."""
        topic = self.topic
        if topic is not None and topic.start <= tok.i < topic.end:
            return topic
        if tok.i not in self._cache:
            n = self._node(tok, depth)
            self._cache[tok.i] = topic if n is not None and self._short_name_of_topic(n) else n
        return self._cache[tok.i]

    def _node(self, tok: Token, depth: int) -> Node | None:
        ent = self.ent_of.get(tok.i)
        if ent is not None:
            return self.entity_node(ent)
        if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$", "WP", "WDT", "EX"):
            return None
        if is_class_word(tok) and depth < 3:  # 'Film "English Without Tears" was written by ...': the name
            nxt = self.doc[tok.i + 1]  # is_class_word says there is a next word
            if nxt.is_quote and nxt.i + 1 < len(self.doc):
                nxt = self.doc[nxt.i + 1]
            n = self.node(nxt, depth + 1)
            if n is not None and n.kind in ("entity", "name"):
                return n
        if tok.pos_ == "NOUN" and depth < 3:
            for c in tok.children:
                if c.dep_ == "appos":  # "his elder brother, Guy" stands for Guy
                    n = self.node(c, depth + 1)
                    if n is not None and n.kind in ("entity", "name"):
                        return n
                elif c.dep_ in ("acl", "relcl") and c.lower_ in _NAMING:  # "the album entitled Take It Off"
                    for t in c.children:
                        if t.dep_ in ("oprd", "attr", "dobj", "xcomp", "appos"):
                            n = self.node(t, depth + 1)
                            if n is not None and n.kind in ("entity", "name"):
                                return n
        if tok.pos_ in ("NOUN", "PROPN", "NUM") or tok.like_num:
            return self._phrase_node(tok)
        return None

    def pronoun(self, tok: Token) -> Node | None:
        """The antecedent of a third-person pronoun: the nearest earlier subject that names a person (he, she,
        his, her ...) or a non-person (it, its); an expletive "it" ("it is known that ...") has none."""
        if not self.resolve_pronouns:
            return None
        word = tok.lower_
        if word in _PERSONAL:
            table = 0
        elif (
            word in _NEUTER and tok.dep_ != "expl" and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.head.children)
        ):
            table = 1
        else:
            return None
        topic = self._topic_for(table)
        if topic is not None:
            return topic
        if self._antecedents is None:
            self._antecedents = ([], [])
            for t in self.doc:
                if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN":
                    n = self.node(t)
                    if n is None or n.kind not in ("entity", "name") or n.label in LITERAL_LABELS:
                        continue
                    if n.label == "PERSON" or not n.label:
                        self._antecedents[0].append((t.i, n))
                    if n.label != "PERSON":  # an unlabelled name may be either
                        self._antecedents[1].append((t.i, n))
        found = self._antecedents[table]
        pos = bisect.bisect_left(found, tok.i, key=lambda a: a[0])
        return found[pos - 1][1] if pos > 0 else None

    def end(self, tok: Token, depth: int = 0) -> tuple[Node | None, float]:
        """A triple end for ``tok`` and a confidence factor (lower when reached through a pronoun)."""
        if tok.lower_ in _PERSONAL or tok.lower_ in _NEUTER:
            return self.pronoun(tok), PRONOUN_FACTOR
        if self.is_topic_noun(tok):
            return self.topic, PRONOUN_FACTOR
        if self.describes_topic(tok):
            return self.topic, 0.95
        if tok.dep_ in ("attr", "appos") and tok.pos_ == "NOUN" and depth < 3:
            # a noun that renames a subject stands for it: "X is an album produced by Y", "X, an album ..."
            if tok.dep_ == "appos":
                n = self.node(tok.head, depth + 1)
                if n is not None and n.kind in ("entity", "name"):
                    return n, 0.95
            elif tok.head.lower_ in BE:
                subs = self.subjects(tok.head, depth + 1)
                if subs:
                    return subs[0][0], subs[0][1] * 0.95
        return self.node(tok), 1.0

    def owner_end(self, tok: Token) -> tuple[Node | None, float]:
        """A possessor's node: a pronoun is resolved, anything else looked up."""
        return (self.pronoun(tok), PRONOUN_FACTOR) if tok.pos_ == "PRON" else (self.node(tok), 1.0)

    def in_parentheses(self, tok: Token) -> bool:
        """Whether ``tok`` sits inside an open parenthesis."""
        if self._paren_depth is None:
            depth, out = 0, []
            for t in self.doc:
                out.append(depth)
                depth = max(0, depth + (t.text in ("(", "[")) - (t.text in (")", "]")))
            self._paren_depth = out
        return self._paren_depth[tok.i] > 0

    def objects(self, tok: Token) -> Iterator[tuple[Node, float]]:
        """Object nodes of ``tok`` and its conjuncts (conjoined relational nouns excluded, see
        :func:`is_relational`)."""
        for t in with_conjuncts(tok):
            if t is not tok and is_relational(t):
                continue
            n, f = self.end(t)
            if n is not None:
                yield n, f

    def owner(self, noun: Token) -> tuple[Node | None, float]:
        """The owner of a relational noun: its possessor ("Y's N"; "Y, whose N ..." is Y's), or its "of" object
        ("the N of Y")."""
        for c in noun.children:
            if c.dep_ == "poss" and c.lower_ == "whose":
                clause = noun.head
                while clause.dep_ != "relcl" and clause.head.i != clause.i:  # spaCy makes a new Token per access
                    clause = clause.head
                if clause.dep_ == "relcl":
                    return self.end(clause.head)
                return None, 0.0
            if c.dep_ == "poss":
                return self.owner_end(c)
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                for p in c.children:
                    if p.dep_ == "pobj":
                        return self.node(p), 1.0
        return None, 0.0


__all__ = [
    "BE",
    "is_person_noun",
    "LITERAL_LABELS",
    "RELATIVE",
    "Ent",
    "Node",
    "NodeFinder",
    "entity_spans",
    "is_relational",
    "with_conjuncts",
]
