"""The fallback rule: a clause's subject is related to every other name in the clause by the words on the
dependency path between them.

The specific rules (:mod:`graphrag.extract.dependency_triples`) read the constructions they know; what they miss
is mostly the same relation said one step further from the verb: "X has a runway length of 3,500 metres",
"X released the rock album Y that runs for 230 minutes", "X is located within the country of Y". For each verb
with a subject, every entity, proper name or number in the verb's subtree that no rule has already related to
that subject gets ``(subject, path words, node)``: the verb's predicate, then the prepositions and nouns on the
way down to the node ("have runway length of", "be located within country of"). The path may not cross another
subject's clause, a negation, a parenthesis or a second name (a coordinated name is the same slot: "A and B"),
and predicates longer than the collector allows are dropped. These triples get the lowest rule weight, so
callers that want only the specific rules can filter on confidence.

A name modified by a place ("The Estadio Municipal in Arapiraca", "ENAIRE, which is located in Madrid") is
related to it the same way: ``(name, in, place)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.triple_arguments import LITERAL_LABELS, Node
from graphrag.extract.triple_collector import PLACE_LABELS, Ends
from graphrag.extract.triple_collector import Collector as _Collector

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_PATH_DEPS = frozenset({"dobj", "prep", "pobj", "attr", "npadvmod", "nummod", "acomp", "oprd", "advmod", "dative"})
_SKIP_DEPS = frozenset({"conj", "appos"})
_OWN_CLAUSE = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
_NAME_KINDS = frozenset({"entity", "name", "number"})
_PLACE_PREPS = frozenset({"in", "at"})
_MAX_DEPTH = 6
_NOT_HOLDERS = PLACE_LABELS | LITERAL_LABELS | {"PERSON"}


def path_rules(x: _Collector, sent: Span, verbs: list[tuple[Token, Ends, str]]) -> None:
    """Add path triples for the sentence's ``verbs``: (verb, its subjects, its predicate words)."""
    linked = {(t.subject.text, t.object.text) for t in x.triples} | {(t.object.text, t.subject.text) for t in x.triples}
    for verb, all_subjects, predicate in verbs:
        # a common-noun subject ("17000 members played in ...") is too vague to hang a guessed relation on
        subjects = [(s, f) for s, f in all_subjects if s.kind in ("entity", "name") and s.label not in LITERAL_LABELS]
        if not subjects or any(c.dep_ == "neg" for c in verb.children):
            continue
        for node, words in _reachable(x, verb):
            if predicate == "be" and not words:
                continue  # "X is Y" is what the copula rules read; a bare "be" here is a misparse
            pred = " ".join([predicate, *words]).strip()
            for s, fs in subjects:
                if (s.text, node.text) in linked or _overlaps(s, node):
                    continue
                before = len(x.triples)
                x.add(s, pred, node, "path", fs)
                if len(x.triples) > before:
                    linked.add((s.text, node.text))
    _place_modifiers(x, sent, linked)


def _overlaps(a: Node, b: Node) -> bool:
    return a.start < b.end and b.start < a.end


def _reachable(x: _Collector, verb: Token) -> list[tuple[Node, list[str]]]:
    """Names below ``verb`` and the words on the way to each, nearest first."""
    out: list[tuple[Node, list[str]]] = []
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Token, list[str], int]] = [(c, [], 1) for c in verb.children if c.dep_ in _PATH_DEPS]
    while stack:
        tok, words, depth = stack.pop(0)
        if depth > _MAX_DEPTH or x.f.in_parentheses(tok) != x.f.in_parentheses(verb):
            continue
        node = x.f.node(tok) if tok.pos_ in ("PROPN", "NUM") or tok.i in x.f.ent_of else None
        if node is not None and node.kind in _NAME_KINDS:
            key = (node.start, node.end)
            if key not in seen:
                seen.add(key)
                out.append((node, words))
            # a coordinated or renamed name fills the same slot; nothing below a name is its subject's
            for c in tok.children:
                if c.dep_ in _SKIP_DEPS:
                    stack.append((c, words, depth + 1))
            continue
        here = _word(x, tok)
        nxt = words + ([here] if here else [])
        for c in tok.children:
            if c.dep_ in _PATH_DEPS or (c.dep_ in _SKIP_DEPS and tok.pos_ in ("NOUN", "PROPN")):
                stack.append((c, words if c.dep_ in _SKIP_DEPS else nxt, depth + 1))
            elif _continues(c, tok):  # "an album that runs for 230 minutes": the clause continues the path
                stack.append((c, nxt + [x.verb_phrase(c, c.tag_ == "VBN")], depth + 1))
    return out


def _continues(clause: Token, tok: Token) -> bool:
    """A clause hung on a path word without a subject of its own (a relative clause only on a noun)."""
    if clause.dep_ not in ("acl", "relcl", "xcomp", "advcl") or any(g.dep_ in _OWN_CLAUSE for g in clause.children):
        return False
    return clause.dep_ != "relcl" or tok.pos_ in ("NOUN", "PROPN")


def _word(x: _Collector, tok: Token) -> str:
    """What a token on the path says: a preposition, a noun with its modifiers, an adjective; nothing else."""
    if tok.dep_ == "prep" or tok.pos_ == "ADP":
        return tok.lower_
    if tok.pos_ == "NOUN":
        return x.noun_phrase(tok)
    if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "oprd"):
        return tok.lower_
    return ""


def _place_modifiers(x: _Collector, sent: Span, linked: set[tuple[str, str]]) -> None:
    """ "The Estadio Municipal in Arapiraca": a name with a place in a prepositional modifier is in it."""
    for tok in sent:
        if tok.dep_ != "prep" or tok.lower_ not in _PLACE_PREPS or tok.head.pos_ != "PROPN":
            continue
        holder = x.f.node(tok.head)
        # a person "in" a place is mostly the verb's place misattached ("founded by Y in New York")
        if holder is None or holder.kind not in ("entity", "name") or holder.label in _NOT_HOLDERS:
            continue
        for p in tok.children:
            if p.dep_ != "pobj":
                continue
            for place, fp in x.f.objects(p):
                if place.label in PLACE_LABELS and (holder.text, place.text) not in linked:
                    x.add(holder, tok.lower_, place, "path", fp)
                    linked.add((holder.text, place.text))
