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
* negated verbs give no triples;
* the passage's topic (:mod:`graphrag.extract.passage_topic`): life dates in parentheses after it or after a
  sentence's subject ("X (2 February 1886 - 10 August 1960)", "X (born 1950)", "X (died 875)") give
  ``(X, born, D)`` and ``(X, die, D)``; the copula's attribute classes it and its modifiers describe it:
  "X is a 1961 Hindi movie" -> ``(X, is a, movie)``, ``(X, year, 1961)``; "an English singer" ->
  ``(X, nationality, English)``; pronouns and "the movie" stand for it;
* a place given with the places that contain it ("born in Burbank, California"; "a village in A, B Province,
  Iran") relates the subject to each of them.

Confidence = rule weight x how much each end is trusted (entity > proper name > number > noun phrase) x
factors for pronoun resolution and inherited subjects (:mod:`graphrag.extract.triple_collector`). The life-date
and place-chain rules live in :mod:`graphrag.extract.date_place_rules`, the class-noun rules in
:mod:`graphrag.extract.class_rules`, the relational-noun rules in :mod:`graphrag.extract.relation_nouns`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.canonical_direction import passive_of
from graphrag.extract.class_rules import class_rules
from graphrag.extract.date_place_rules import life_dates, place_chain
from graphrag.extract.measure_rules import measure_rules
from graphrag.extract.passage_topic import Topic, find_topic
from graphrag.extract.path_rules import path_rules
from graphrag.extract.relation_nouns import appos_rules, poss_compound_rule, relational_noun
from graphrag.extract.triple_arguments import BE, LITERAL_LABELS, RELATIVE, Node, is_relational, with_conjuncts
from graphrag.extract.triple_collector import MENTION_LABELS, Ends, RawTriple, TripleRules
from graphrag.extract.triple_collector import Collector as _Collector
from graphrag.extract.work_rules import work_rules

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


class PassageExtraction(NamedTuple):
    """What one parsed passage yields: mentions (by position), triples, and its topic (or ``None``)."""

    nodes: list[Node]
    triples: list[RawTriple]
    topic: Topic | None


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
        if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in ("nsubj", "nsubjpass") for g in c.children):
            shared = [g for g in c.children if g.dep_ in ("dobj", "agent")]  # "written and directed by Y"
            return shared or _shared_objects(c)  # "written, produced and directed by Y"
    if verb.dep_ == "acl" and verb.tag_ == "VBN":
        # "a film written, produced and directed by Y": the parser makes the first participles siblings
        nxt = next((t for t in verb.head.children if t.dep_ == "acl" and t.i > verb.i and t.tag_ == "VBN"), None)
        if nxt is not None and all(t.is_punct or t.dep_ == "cc" for t in verb.doc[verb.i + 1 : nxt.i]):
            return [g for g in nxt.children if g.dep_ in ("dobj", "agent")] or _shared_objects(nxt)
    return []


def _owned_subject(x: _Collector, verb: Token) -> tuple[tuple[Node, float], Token] | None:
    """The owner of a passive verb's common-noun subject and that noun: in "The film's music was composed by Y"
    and "Its screenplay was written by Y" what was made is the owner's music or screenplay."""
    for n in verb.children:
        if n.dep_ != "nsubjpass" or n.pos_ != "NOUN" or n.i in x.f.ent_of:
            continue
        for p in n.children:
            if p.dep_ == "poss":
                holder, f = x.f.owner_end(p) if p.pos_ == "PRON" else x.f.end(p)
                if holder is not None and holder.kind in ("entity", "name"):
                    return (holder, f), n
    return None


def _shared_preps(verb: Token) -> list[Token]:
    """ "Born and raised in Fukuoka": a verb with nothing of its own but a conjoined verb takes that verb's
    place phrase."""
    if any(c.dep_ not in ("cc", "conj", "punct", "advmod") for c in verb.children):
        return []
    for conj in verb.children:
        if conj.dep_ == "conj" and conj.pos_ == "VERB":
            return [p for p in conj.children if p.dep_ == "prep" and p.lower_ in ("in", "at", "on")]
    return []


def _verb_rules(x: _Collector, verb: Token) -> None:
    if any(c.dep_ == "neg" for c in verb.children):
        return
    subjects = x.f.subjects(verb)
    passive = _is_passive(verb)
    if verb.lower_ in BE or (verb.pos_ == "AUX" and not passive and any(c.dep_ == "attr" for c in verb.children)):
        _copula_rules(x, verb, subjects)  # "the birth year of X is Y" needs no subject node
        return
    owned = _owned_subject(x, verb)  # "The film's music was composed by Y": the film's, whatever the subject
    if not subjects and owned is None:
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
    for c in children + _shared_objects(verb) + _shared_preps(verb):
        if c.dep_ in ("dobj", "attr"):
            if c.lower_ in RELATIVE and verb.dep_ == "relcl":
                n, f = x.f.end(verb.head)
                objs = [(n, f)] if n is not None else []
            else:
                objs = list(x.f.objects(c))
            if is_have and _have_rules(x, c, subjects, objs, as_nouns):
                continue
            made = passive_of(vp) if not passive and c.dep_ == "dobj" else None
            named = [(o, f) for o, f in objs if o.kind in ("entity", "name")]
            if made is not None and named:  # "X directed Y" is stored as "Y was directed by X"
                x.add_all(named, f"{made} by", subjects, "svo")
                objs = [(o, f) for o, f in objs if o.kind not in ("entity", "name")]
            x.add_all(subjects, vp, objs, "svo")
        elif c.dep_ in ("npadvmod", "prep", "nummod") and c.i in x.f.ent_of and x.f.ent_of[c.i].label == "DATE":
            # "X (born 3 May 1950)": the small parser hangs a bare date on the verb in various ways
            o = x.f.node(c)
            x.add_all(subjects, vp, [(o, 1.0)] if o is not None else [], "prep")
        elif c.dep_ == "agent":
            if owned is not None:  # "The film's music was composed by Y" -> (film, music by, Y)
                holder, noun = owned
                x.add_all([holder], f"{x.lemma(noun)} by", x.pobj_ends(c), "agent")
            else:
                x.add_all(subjects, f"{vp} by", x.pobj_ends(c), "agent")
        elif c.dep_ == "prep" and not (is_have and c.lower_ == "as" and as_nouns):
            if c.lower_ == "with" and _credits(x, c, subjects):
                continue
            roles = [t for t in c.children if t.dep_ == "pobj" and is_relational(t)] if c.lower_ == "as" else []
            if roles:  # "born in Starnberg as the son of A and B", "served as president of Y"
                for t in roles:
                    relational_noun(x, t, subjects, "attr_of", "attr_poss")
                continue
            x.add_all(subjects, f"{vp} {c.lower_}", x.pobj_ends(c), "prep")
            if vp == "born" and c.lower_ in ("to", "into"):  # "born to a Jewish family in Vienna"
                for t in c.children:
                    for p in t.children if t.dep_ == "pobj" else ():
                        if p.dep_ == "prep" and p.lower_ in ("in", "at"):
                            x.add_all(subjects, "born in", x.pobj_ends(p), "prep")


def _predicate(x: _Collector, verb: Token) -> str:
    """The predicate words a verb starts a path with: "be" for a copula, else its verb phrase."""
    if verb.lower_ in BE or x.lemma(verb) == "be":
        return "be"
    return x.verb_phrase(verb, _is_passive(verb))


def _credits(x: _Collector, with_prep: Token, subjects: Ends) -> bool:
    """ "... with music composed by Y and lyrics by Z": credits of the subject's work, ``(S, music by, Y)``;
    True when there were any."""
    found = False
    for t in with_prep.children:
        for n in with_conjuncts(t) if t.dep_ == "pobj" else ():
            if n.pos_ != "NOUN":
                continue
            for g in n.children:
                by = [a for a in g.children if a.dep_ == "agent"] if g.dep_ == "acl" and g.tag_ == "VBN" else []
                if g.dep_ == "prep" and g.lower_ == "by":
                    by = [g]
                for agent in by:
                    x.add_all(subjects, f"{x.lemma(n)} by", x.pobj_ends(agent), "agent")
                    found = True
    return found


def _have_rules(x: _Collector, dobj: Token, subjects: Ends, objs: Ends, as_nouns: list[Token]) -> bool:
    """Possession read as an attribute; True when it replaces the plain (S, have, O) triple.

    "X has a population of Y" -> (X, population, Y); "X has 17000 members" -> (X, members, 17000);
    "X has Y as its N" -> (X, N, Y).
    """
    found = False
    # "X has an apoapsis of A, a periapsis of B and an orbital period of C": the parser chains the list on
    # the values (appositions, conjuncts); every noun of it with an "of" is an attribute of the subject
    listed = [
        t for t in dobj.subtree if t.i > dobj.i and t.dep_ in ("appos", "conj") and t.pos_ == "NOUN" and _has_of(t)
    ]
    for noun in [*with_conjuncts(dobj), *listed]:
        if noun.pos_ != "NOUN":
            continue
        for p in noun.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                x.add_all(subjects, x.noun_phrase(noun), x.pobj_ends(p), "have")
                found = True
            elif p.dep_ == "nummod" and p.like_num:
                o = x.f.node(p)
                x.add_all(subjects, x.noun_phrase(noun), [(o, 1.0)] if o is not None else [], "have")
                found = True
    if not found and dobj.pos_ == "NOUN":
        # "X has the Universal Music Group record label", "X has an operating organisation called Y": the noun
        # says how the name it stands for belongs to X
        named = x.f.node(dobj)
        if named is not None and named.kind in ("entity", "name") and not named.start <= dobj.i < named.end:
            noun = x.doc[named.end : dobj.i + 1].text.lower() if named.end <= dobj.i else x.noun_phrase(dobj)
            x.add_all(subjects, noun, [(named, 1.0)], "have")
            found = True
    owned = dobj.pos_ == "NOUN" and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in dobj.children)
    for noun in as_nouns:
        if owned:  # "X had her professional field as botany" -> (X, professional field, botany)
            x.add_all(subjects, x.noun_phrase(dobj), [(n, 1.0) for n in [x.f.node(noun)] if n is not None], "have")
        else:  # "X has Y as its N" -> (X, N, Y)
            x.add_all(subjects, x.noun_phrase(noun), objs, "have")
        found = True
    return found


def _attribute_owner(x: _Collector, noun: Token, value: Node) -> tuple[Node | None, float]:
    """Whose attribute the subject noun of "N is V" is: its possessor or "of" object; "the runway length at
    Y is V" -> Y; with no owner named and a value for V ("The run time is 35.1 minutes"), the passage's topic."""
    owner, f = x.f.owner(noun)
    if owner is not None:
        return owner, f
    for p in noun.children:
        if p.dep_ == "prep" and p.lower_ in ("at", "for", "in"):
            for t in p.children:
                n = x.f.node(t) if t.dep_ == "pobj" else None
                if n is not None and n.kind in ("entity", "name"):
                    return n, 0.9
    if value.kind == "number" or value.label in LITERAL_LABELS:
        return x.f.topic, 0.8
    return None, 0.0


def _has_of(noun: Token) -> bool:
    return any(p.dep_ == "prep" and p.lower_ == "of" for p in noun.children)


def _copula_rules(x: _Collector, cop: Token, subjects: Ends) -> None:
    subj_toks = [c for c in cop.children if c.dep_ in ("nsubj", "nsubjpass")]
    if not subjects and cop.dep_ == "ROOT":
        subjects = x.f.subjects(cop)  # the topic, when the parser found no subject (see NodeFinder.subjects)
    for c in cop.children:
        if c.dep_ == "attr":
            for a in with_conjuncts(c):
                if a.pos_ == "NOUN":
                    class_rules(x, a, subjects)
                    for p in a.children:  # "X is a song with music written by Y"
                        if p.dep_ == "prep" and p.lower_ == "with":
                            _credits(x, p, subjects)
                if a.pos_ == "NOUN" or (a.pos_ == "PROPN" and a.i not in x.f.ent_of):
                    relational_noun(x, a, subjects, "attr_of", "attr_poss")
                value, fv = x.f.end(a) if a.pos_ != "NOUN" else (x.f.node(a), 1.0)
                for st in subj_toks:  # "the location of Y is X" / "Y's location is X"
                    if st.pos_ == "NOUN" and value is not None:
                        owner, fo = _attribute_owner(x, st, value)
                        x.add(owner, x.noun_phrase(st), value, "owner", fo * fv)
        elif c.dep_ == "acomp":
            for p in c.children:
                if p.dep_ == "prep":
                    x.add_all(subjects, f"{c.lower_} {p.lower_}", x.pobj_ends(p), "acomp")
        elif c.dep_ == "prep":
            x.add_all(subjects, f"be {c.lower_}", x.pobj_ends(c), "prep")


def extract(doc: Doc, rules: TripleRules, lemma: Callable[[Token], str]) -> tuple[list[Node], list[RawTriple]]:
    """Mentions and triples of a parsed ``doc`` (see :func:`extract_passage`, which also finds its topic)."""
    found = extract_passage(doc, rules, lemma)
    return found.nodes, found.triples


def extract_passage(
    doc: Doc, rules: TripleRules, lemma: Callable[[Token], str], *, title: str | None = None
) -> PassageExtraction:
    """Mentions, triples and topic of a parsed passage; ``title`` is its document's title, if any.

    Mentions are sorted by position and include every triple end (but class nouns) and the topic when the
    passage names it; triples are unique by (subject text, predicate, object text), keeping the highest
    confidence, in order of first appearance.
    """
    x = _Collector(doc, rules, lemma)
    topic = find_topic(doc, x.f, title)
    if topic is not None:
        x.f.topic, x.f.topic_class = topic.node, topic.class_noun
        opening = topic.alias if topic.alias is not None else topic.node
        x.f.opener = opening if opening.start >= 0 else None
    clauses: list[tuple[Span, list[Token]]] = []
    for sent in doc.sents:
        x.sentence = (sent.start_char, sent.end_char)
        clauses.append((sent, []))
        work_rules(x, sent)
        for tok in sent:
            if _is_predicate_head(tok):
                _verb_rules(x, tok)
                clauses[-1][1].append(tok)
            elif tok.dep_ == "appos":
                appos_rules(x, tok)
            elif tok.dep_ == "compound" and tok.pos_ == "NOUN" and tok.head.pos_ == "PROPN":
                poss_compound_rule(x, tok)
            if tok.pos_ == "NOUN" and tok.dep_ in ("attr", "appos", "dobj"):
                measure_rules(x, tok)
            if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.dep_ == "ROOT":
                n = x.f.node(tok)
                if n is not None and n.kind in ("entity", "name"):
                    life_dates(x, n)
    if topic is not None:
        x.sentence = (-1, -1)
        first = next(iter(doc.sents), None)
        if first is not None:
            x.sentence = (first.start_char, first.end_char)
        for node in (topic.node, topic.alias):
            if node is not None and node.start >= 0:
                life_dates(x, node)
    place_chain(x)
    if rules.path_fallback:
        for sent, verbs in clauses:
            x.sentence = (sent.start_char, sent.end_char)
            path_rules(x, sent, [(v, x.f.subjects(v), _predicate(x, v)) for v in verbs])
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
    if topic is not None:
        for node in (topic.node, topic.alias):
            if node is not None and node.start >= 0:
                # the topic's own span wins over a shorter entity inside it ("Gift to Women" in the title)
                for key in [k for k in nodes if node.start_char <= k[0] and k[1] <= node.end_char]:
                    del nodes[key]
                nodes[(node.start_char, node.end_char)] = node
    best: dict[tuple[str, str, str], RawTriple] = {}
    for t in x.triples:
        # a triple's ends are mentions of the passage, but the path fallback's guesses add none of their own: its
        # edges stay out of the retrievers' walk (graph_skip_rules), and so must its ends (linking resolves them)
        for end in (t.subject, t.object) if t.rule != "path" else ():
            if end.kind != "class" and end.start >= 0:
                nodes.setdefault((end.start_char, end.end_char), end)
        key = (t.subject.text, t.predicate, t.object.text)
        if key not in best or t.confidence > best[key].confidence:
            best[key] = t
    mentions = sorted(nodes.values(), key=lambda n: (n.start_char, n.end_char))
    return PassageExtraction(mentions, list(best.values()), topic)


__all__ = [
    "MENTION_LABELS",
    "PassageExtraction",
    "RawTriple",
    "TripleRules",
    "extract",
    "extract_passage",
]
