"""Who the subject of a verb is: its own subjects (and their conjuncts), the noun a relative clause hangs on, a
subject inherited from the verb it is coordinated with or subordinate to, the copula's subject for a participle
the parser hung on a name inside the attribute, and the passage's topic or opening name where the parse lost it.
:class:`VerbSubjects` holds these lookups for :class:`~graphrag.extract.triple_arguments.NodeFinder`, which
provides the node lookups they call (``end``, ``node``, ``in_parentheses``, the topic references).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from graphrag.extract.topic_references import BE

if TYPE_CHECKING:
    from spacy.tokens import Token

    from graphrag.extract.triple_arguments import Node

RELATIVE = frozenset({"who", "whom", "which", "that", "whose"})
_NOUN_POS = frozenset({"NOUN", "PROPN"})


def with_conjuncts(tok: Token) -> list[Token]:
    """``tok`` and the tokens coordinated with it ("X and Y"), unless ``tok`` is itself a conjunct."""
    return [tok, *tok.conjuncts] if tok.dep_ != "conj" else [tok]


class VerbSubjects:
    """Subject lookups of one parsed passage (a base of ``NodeFinder``, which defines the methods used here)."""

    # provided by NodeFinder and TopicReferences (declared, not defined, here)
    ent_of: dict[int, Any]
    topic: Node | None
    opener: Node | None
    end: Callable[..., tuple[Node | None, float]]
    node: Callable[..., Node | None]
    in_parentheses: Callable[[Token], bool]
    _in_alias_phrase: Callable[[Token], bool]

    def subjects(self, verb: Token, depth: int = 0) -> list[tuple[Node, float]]:
        """Subject nodes of ``verb`` with confidence factors: its own, inherited, or the modified noun."""
        out: list[tuple[Node, float]] = []
        own = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        opener = self.opener
        if opener is not None and not self.in_parentheses(verb):
            # "X (born 1950 in Fylde, Lancashire) is a singer": the parser takes a word in the parenthesis for
            # the subject; the name that opens the passage is
            fixed = [s for s in own if s.i >= opener.end and (self.in_parentheses(s) or self._in_alias_phrase(s))]
            if fixed:
                return [(opener, 0.95)]
        for s in own:
            if s.lower_ in RELATIVE and verb.dep_ == "relcl":
                n, f = self.end(verb.head, depth + 1)
                if n is not None:
                    out.append((n, f * 0.95))
                continue
            for t in with_conjuncts(s):
                n, f = self.end(t, depth + 1)
                if n is not None:
                    out.append((n, f))
        if own or depth > 3:
            return out
        # "Teutberga (died 875) was a queen": the parenthesis makes "died" a clausal subject; use its subject
        for c in verb.children:
            if c.dep_ == "csubj":
                out += [(n, f * 0.9) for n, f in self.subjects(c, depth + 1)]
        if out:
            return out
        if verb.dep_ in ("conj", "xcomp") and verb.head.pos_ in ("VERB", "AUX"):
            return [(n, f * 0.9) for n, f in self.subjects(verb.head, depth + 1)]
        held = self._attribute_holders(verb, depth)
        if held:
            return held
        if verb.dep_ in ("acl", "relcl") and (verb.head.pos_ in _NOUN_POS or verb.head.i in self.ent_of):
            n, f = self.end(verb.head, depth + 1)
            return [(n, f * 0.9)] if n is not None else []
        if verb.dep_ == "advcl" and verb.tag_ in ("VBN", "VBG") and verb.head.pos_ in ("VERB", "AUX"):
            return [(n, f * 0.8) for n, f in self.subjects(verb.head, depth + 1)]
        topic = self.topic
        if verb.dep_ == "ROOT" and topic is not None and verb.sent.start <= topic.start < verb.i:
            return [(topic, 0.9)]  # "In the Digital Age is a film": the parser found no subject; the topic opens it
        if verb.dep_ == "ROOT" and topic is not None:
            # "Born into a family in Sabaneta, Barinas, Chávez became ...": the subject lost in a list
            for t in verb.sent:
                if t.i < verb.i and t.pos_ == "PROPN" and t.dep_ == "conj" and self.node(t) is topic:
                    return [(topic, 0.85)]
        return out

    def _attribute_holders(self, verb: Token, depth: int) -> list[tuple[Node, float]]:
        """ "X is a 1955 film from RKO Pictures directed by Y", "X is a film starring A and B, directed by Y": the
        parser hangs the participle on the nearest name, but a name inside the copula's attribute is not what
        is directed; the copula's subject is. Only a participle with an agent ("directed by") or an object
        ("starring A") hung on a proper name is moved."""
        if verb.dep_ != "acl" or verb.head.pos_ != "PROPN" or depth > 3:
            return []
        if not any(c.dep_ == "agent" or (verb.tag_ == "VBG" and c.dep_ == "dobj") for c in verb.children):
            return []
        tok = verb.head
        for _ in range(8):
            if tok.dep_ == "attr" and (tok.head.lower_ in BE or tok.head.lemma_ == "be"):
                return [(n, f * 0.85) for n, f in self.subjects(tok.head, depth + 1)]
            if tok.dep_ not in ("pobj", "prep", "conj", "appos", "compound", "dobj", "acl") or tok.head.i == tok.i:
                return []
            tok = tok.head
        return []


__all__ = ["RELATIVE", "VerbSubjects", "with_conjuncts"]
