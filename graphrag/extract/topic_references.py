"""How a passage refers to its topic: pronouns and "the film" ("he" only when the topic is a person), one-word names
("Warbeck" for Stephen Warbeck), nouns inside the opening copula's attribute, and the opening name kept as subject
across a phrase about it ("X, also called Y, ...", "X, born 1929 in Z, is ...").

:class:`TopicReferences` holds these lookups for :class:`~graphrag.extract.triple_arguments.NodeFinder`, which sets
``topic``, ``topic_class`` and ``opener`` once the passage's topic is known.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.person_nouns import is_person_noun

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from graphrag.extract.triple_arguments import Node

BE = frozenset({"be", "is", "was", "are", "were", "been", "being", "am", "'s", "\u2019s", "'re", "'m"})

#: Words that open a phrase about the opening subject between it and its verb: another name for it ("also
#: called the Fair"), or its birth ("X, born 1929 in Compiègne, is ...").
_ALIAS_WORDS = frozenset({
    "called", "known", "nicknamed", "styled", "dubbed", "alias", "surnamed", "aka", "credited", "billed",
    "referred", "born", "née", "nee",
})  # fmt: skip
#: The longest phrase between the opening name and its verb that is read as such a phrase (tokens).
_PHRASE_MAX_TOKENS = 60


def is_possessor(tok: Token) -> bool:
    """A real possessor ("his", "Y's"), not a word the parser mislabelled as one."""
    return tok.dep_ == "poss" and (
        tok.pos_ == "PRON" or any(c.dep_ == "case" and c.lower_ in ("'s", "\u2019s", "'") for c in tok.children)
    )


class TopicReferences:
    """Topic lookups of one parsed passage (a base of ``NodeFinder``)."""

    doc: Doc
    topic: Node | None  # what the passage is about
    topic_class: str  # the noun the first sentence classes the topic with ("film")
    opener: Node | None  # the name that opens the passage (the topic or another name for it)

    def _short_name_of_topic(self, node: Node) -> bool:
        """ "Warbeck was born in Southampton" in the passage about Stephen Warbeck: a one-word name that is a word
        of the name of a topic that is a person (or of the name the passage opens with). Longer names are other
        people more often ("Archduke Ferdinand" in the passage on Archduke Ferdinand Karl Joseph is his father)."""
        topic = self.topic
        if topic is None or node.kind not in ("entity", "name") or node.label not in ("PERSON", "ORG", ""):
            return False
        words = node.text.split()
        if len(words) != 1 or self._topic_for(0) is None or topic.label not in ("PERSON", "ORG", ""):
            return False
        for full in (topic, self.opener):
            names = full.text.split() if full is not None else []
            if len(words) < len(names) and all(w in names for w in words):
                return True
        return False

    def _topic_for(self, table: int) -> Node | None:
        """The passage's topic as the referent of a personal (table 0) or neuter (table 1) pronoun, if it fits.

        Whether the topic is a person comes from the noun the first sentence classes it with when there is one
        ("a 1961 Hindi movie": not a person, whatever NER said), else from its NER label; an unlabelled,
        unclassed name fits either.
        """
        topic = self.topic
        if topic is None:
            return None
        if self.topic_class:
            person: bool | None = is_person_noun(self.topic_class)
        else:
            person = True if topic.label == "PERSON" else (None if not topic.label else False)
        if person is None:
            return topic
        return topic if person == (table == 0) else None

    def is_topic_noun(self, tok: Token) -> bool:
        """A definite mention of the topic's class: "the film" after "X is a 1961 film"."""
        if self.topic is None or not self.topic_class or tok.pos_ != "NOUN" or tok.lower_ != self.topic_class:
            return False
        dets = [c.lower_ for c in tok.children if c.dep_ == "det"]
        return dets in (["the"], ["this"]) and not any(c.dep_ in ("prep", "poss", "compound") for c in tok.children)

    def _opening_copula(self, sent: Span) -> Token | None:
        """The copula of the sentence that opens with the topic: its root, or, when a title that reads as a
        clause ("I Cover the Underworld is a 1955 film", "Lost in the Stratosphere is ...") took the root, the
        first "is"/"was" right after the topic's words (also when a "?" in the title ended a sentence)."""
        topic = self.topic
        if topic is None or topic.start < 0 or topic.start >= sent.end:
            return None
        if topic.start < sent.start:  # "Where Does it Hurt? is a 1972 film"
            gap = self.doc[topic.end : sent.start]
            if not all(t.is_punct for t in gap) or self.doc[sent.start].lower_ not in ("is", "was"):
                return None
        root = sent.root
        if topic.start >= sent.start and (root.lower_ in BE or root.lemma_ == "be"):
            return root
        k = topic.end
        while k < sent.end and self.doc[k].is_punct:
            k += 1
        cop = self.doc[k] if k < sent.end else None
        if cop is None or cop.lower_ not in ("is", "was", "are", "were"):
            return None
        return cop if not any(c.dep_ in ("nsubj", "nsubjpass") for c in cop.children) else None

    def describes_topic(self, tok: Token) -> bool:
        """A common noun inside the attribute of the topic's opening sentence: in "X is a 2008 Argentinian -
        French horror film directed by Y" the small parser often hangs "directed" on a noun that is not the
        attribute itself; whatever noun of that attribute phrase it picked, the film is X."""
        topic = self.topic
        if topic is None or tok.pos_ != "NOUN" or topic.start < 0:
            return False
        root = self._opening_copula(tok.sent)
        if root is None or topic.start > root.i or tok.i < root.i:
            return False
        node = tok
        for _ in range(6):  # up through the attribute phrase to the copula
            if node.dep_ == "attr" and node.head.i == root.i:
                return not any(is_possessor(c) or (c.dep_ == "prep" and c.lower_ == "of") for c in tok.children)
            if node.dep_ not in ("compound", "amod", "conj", "appos", "nmod", "npadvmod") or node.head.i == node.i:
                return False
            node = node.head
        return False

    def _in_alias_phrase(self, tok: Token) -> bool:
        """ "Louis the Pious, also called the Fair, and the Debonaire, was ...", "X, born 1929 in Compiègne, is
        ...": the parser takes the last name of such a phrase for the subject; it comes after a naming (or
        birth) word that follows the opening name."""
        opener = self.opener
        if opener is None or opener.start < 0:
            return False
        first, start = self.doc[opener.start].sent.start, tok.sent.start
        if start < first or tok.i - opener.end > _PHRASE_MAX_TOKENS:
            return False
        # the small parser may end "sentences" inside the phrase: then those pieces have no verb of their own
        roots = [t for t in self.doc[first:start] if t.dep_ == "ROOT"]
        if len(roots) > 3 or any(t.pos_ in ("VERB", "AUX") for t in roots):
            return False
        return any(t.lower_ in _ALIAS_WORDS for t in self.doc[opener.end : tok.i])


__all__ = ["BE", "TopicReferences", "is_possessor"]
