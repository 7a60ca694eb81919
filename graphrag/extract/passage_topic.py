"""What a passage is about: its topic entity, found from the document's title or its first sentence.

Encyclopedic and most expository text opens by naming its subject ("Aas Ka Panchhi is a 1961 Hindi film ...",
"Frank Lloyd (2 February 1886 - 10 August 1960) was a British-born film director"). The topic is

* the document's **title** where the passage names it (a parenthesised qualifier such as "(film)" or
  "(Romance)" left out, case ignored), or where the title looks like a name although this passage does not
  repeat it (a later chunk of a long document);
* otherwise the **subject of the first sentence**, when it is a name or a named entity (a corpus whose
  titles are file names or ids still gets its topics).

When a title is found and the first sentence's subject is another name for it ("Andrew James Somers ... known
professionally as Andy Summers"), that subject is recorded as an alias of the topic; so are the names the
opening gives it before its verb ("X (born 1982), known professionally as Y, is ...", "X, better known as Y,
was ...", "X alias Y") and its pen or stage name anywhere in the first sentence. The noun the first
sentence classes the topic with ("a 1961 Hindi *movie*") is kept, so "the movie" later in the passage can be
read as the topic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.kind_nouns import WORK_KINDS, is_class_word
from graphrag.extract.opening_places import without_place
from graphrag.extract.person_nouns import is_person_noun
from graphrag.extract.triple_arguments import BE, LITERAL_LABELS, Node, NodeFinder

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PARENTHESISED = re.compile(r"\s*\([^()]*\)\s*")
_ID_LIKE = re.compile(r"^[\w.-]*\d[\w.-]*$")  # one word with a digit: "doc-00001", "page12" -- not a name


class Topic(NamedTuple):
    """A passage's topic: its node (``start == -1`` when the passage does not name it), where it came from
    (``title``, ``title-hint`` or ``subject``), the other name that opens the first sentence, the class noun
    the first sentence gives it, and the names it is known by ("known as", "pen name")."""

    node: Node
    source: str
    alias: Node | None
    class_noun: str
    known_as: tuple[str, ...] = ()


def title_base(title: str) -> str:
    """A title without parenthesised qualifiers and outer punctuation: ``"Dark River (2017 film)"`` -> ``"Dark
    River"``, ``"(Romance) in the Digital Age"`` -> ``"in the Digital Age"``."""
    return " ".join(_PARENTHESISED.sub(" ", title).split()).strip(" \"'“”‘’,.;:")


def looks_like_a_name(text: str) -> bool:
    """Whether a title can stand for an entity when the text does not repeat it: letters, a capital, and not
    an identifier (one word with a digit) or a file-name-like lowercase word."""
    return sum(ch.isalpha() for ch in text) >= 2 and any(ch.isupper() for ch in text) and not _ID_LIKE.match(text)


def _first_sentence(doc: Doc) -> Span | None:
    return next(iter(doc.sents), None)


def _sentence_root(sent: Span) -> Token:
    return sent.root


# Lowercase words a title-case name may contain: "Clara of Brunswick", "Live at the Rainbow", "bin Abdul".
_NAME_LINKERS = frozenset({
    "of", "the", "and", "in", "at", "on", "a", "an", "for", "to", "de", "del", "della", "da", "di", "du", "des",
    "la", "le", "les", "von", "van", "der", "den", "bin", "ibn", "al", "el", "y", "e", "&", "from", "with", "by",
    "into", "over", "under", "upon", "after", "before", "without", "against", "between", "through",
})  # fmt: skip


def opening_name(finder: NodeFinder, sent: Span) -> Node | None:
    """The title-case words that open a sentence before its main verb: "Romeo and Juliet is a 1953 film",
    "Live at the Rainbow 1973 is a live album", "Tun Abdul Aziz bin Abdul Majid (10 March 1908 - ...) was"
    (cut at a parenthesis or a comma). Encyclopedic text names its subject this way; NER often gets only part
    of it. ``None`` unless every word is capitalised, a number or a small linking word."""
    end = min(sent.end, sent.start + 13)
    for t in finder.doc[sent.start : end]:
        if t.text in ("(", "[", ",", ";", ":") or t.lower_ == "or" or (t.pos_ in ("VERB", "AUX") and t.i > sent.start):
            end = t.i  # "Francis or Frank Butler": the first name is the topic
            break
    else:
        return None  # no verb, parenthesis or comma after the name: not an opening name
    words = [t for t in finder.doc[sent.start : end] if not (t.is_punct and t.text in ('"', "“", "”"))]
    if words and end < sent.end and finder.doc[end].text == "," and words[0].pos_ in ("ADP", "VERB", "SCONJ", "ADV"):
        return None  # "In 2000, ...", "Starring Adam West, ...": a phrase before the subject, not a name
    if len(words) >= 2 and is_class_word(words[0]):
        words = words[1:]  # "Botanist Lady Anne Monson was born ...": the name after the class noun
    if not words or len(words) > 12 or not (words[0].text[:1].isupper() or words[0].text[:1].isdigit()):
        return None
    for t in words:
        if not (t.text[:1].isupper() or t.like_num or t.lower_ in _NAME_LINKERS or t.is_punct or t.text == "'s"):
            return None
    if words[-1].lower_ in _NAME_LINKERS or words[0].pos_ in ("PRON", "DET") and len(words) == 1:
        return None
    ents = {finder.ent_of[t.i] for t in words if t.i in finder.ent_of}
    if len(ents) > 1 and any(t.lower_ in ("and", "&") for t in words):
        return None  # "Apple and Microsoft compete": two names, not one
    start_char, end_char = words[0].idx, words[-1].idx + len(words[-1])
    ent = finder.ent_of.get(words[0].i)
    label = ent.label if ent is not None and ent.start == words[0].i and ent.end == words[-1].i + 1 else ""
    if label in LITERAL_LABELS:
        return None
    return Node(words[0].i, words[-1].i + 1, finder.text[start_char:end_char], start_char, end_char, label, "name")


# "X is a 1990 Italian comedy film": everything before the copula names a work, whatever its words.
_COPULA_OPENING = re.compile(r"\s+(?:is|was)\s+(?:(?:a|an|the)\s+)?")
_WORK_NOUNS = frozenset({
    "film", "movie", "documentary", "song", "single", "album", "ep", "opera", "novel", "book", "play", "poem",
    "series", "sitcom", "serial", "show", "programme", "program", "painting", "sculpture", "game", "magazine",
    "newspaper", "comic", "manga", "anime", "musical", "ballet", "symphony", "cantata", "mass", "hymn", "short",
})  # fmt: skip
_LOWER_IN_TITLES = frozenset({"it", "me", "you", "him", "her", "us", "them", "is", "are", "be", "not", "my", "your",
                              "our", "their", "its", "his", "'s", "’s", "n't", "'ll", "'re", "'m"})  # fmt: skip
_NOT_A_NAME_START = frozenset({"it", "he", "she", "they", "this", "that", "these", "those", "there", "here", "a", "an"})


def copula_opening(finder: NodeFinder, sent: Span) -> Node | None:
    """What an "X is a ..." first sentence opens with, up to a parenthesis, a comma before a lower-case word, or
    the copula: "It's a Wonderful Afterlife is a 2010 film", "Je fais le mort is a 2013 French comedy film",
    "You Can No Longer Remain Silent( German: ...) is a 1955 film". Lower-case words are allowed when the
    sentence classes the subject as a work (a film, a song, a novel ...), where titles keep the words of their
    language; otherwise only title-case words, numbers and the small words titles keep ("of", "it", "'s")."""
    sents = list(sent.doc.sents)[:2]  # the small parser often ends a sentence inside a parenthesis
    text = finder.text[sent.start_char : sents[-1].end_char]
    m = _COPULA_OPENING.search(text)
    if m is None or m.start() > 160:
        return None
    head = text[: m.start()]
    cut = re.search(r"\s*[(\[]|\s*,\s*(?=[a-z])|\s*[,;:]\s*$", head)
    head = head[: cut.start()] if cut else head
    lead = _LEADING_PHRASE.match(head)
    if lead is not None:  # "Starring Adam West, Super Capers is ...", "In 2000, the monument was ..."
        head = head[lead.end() :]
    name = _after_kind(head.strip().strip("\"“”'‘’").strip())
    words = name.split()
    if not words or len(words) > 15 or words[0].lower() in _NOT_A_NAME_START:
        return None
    if not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return None
    rest = text[m.end() : m.end() + 80].lower().split()
    work = any(w.strip(",.;:") in _WORK_NOUNS for w in rest[:7])
    if not work and not all(
        w[:1].isupper()
        or w[:1].isdigit()
        or w.lower() in _NAME_LINKERS
        or w.lower() in _LOWER_IN_TITLES
        or not any(ch.isalpha() for ch in w)
        for w in words
    ):
        return None
    start = sent.start_char + text.index(name)
    if _is_a_clause(sent.doc, start, start + len(name)):
        return None  # "Danielle Harris stars in Super Capers, which ...", "Y produced the album which is ..."
    node = _char_node(sent.doc, finder, start, start + len(name), literal=True)
    if node is None or node.label not in LITERAL_LABELS:
        return node
    return node._replace(label="") if work else None  # "The First Day of Freedom" is no date


#: A phrase before a comma that opens a sentence and is no name: a preposition's or a participle's ("In 2000, ...",
#: "Starring Adam West, ...", "Established in 1990, ...").
_LEADING_PHRASE = re.compile(
    r"^(?:(?:In|On|At|By|From|Since|After|Before|During|With|Under|As|Following)\s|[A-Z][a-z]+(?:ing|ed)\s)[^,]{0,60},\s*"
)


def _is_a_clause(doc: Doc, s: int, e: int) -> bool:
    """The characters ``s:e`` hold a clause, not a title: a relative pronoun after the first word, or a
    lower-case verb with its subject among them."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return False
    for t in span[1:]:
        if t.lower_ in ("which", "who", "whom", "whose") or t.lower_ == "that" and t.tag_ == "WDT":
            return True
        if t.pos_ == "VERB" and t.text.islower() and any(c.dep_ == "nsubj" and s <= c.idx < e for c in t.children):
            return True
    return False


def _after_kind(name: str) -> str:
    """ "The Train song Mermaid" -> "Mermaid": a name, a lower-case kind of work and a capitalised title is the
    title (:mod:`graphrag.extract.work_rules` relates the two names)."""
    words = name.split()
    for i in range(len(words) - 2, 0, -1):
        maker = all(w[:1].isupper() or w[:1].isdigit() for w in words[:i])
        if words[i] in WORK_KINDS and words[i + 1][:1].isupper() and maker:
            return " ".join(words[i + 1 :])
    return name


def _char_node(doc: Doc, finder: NodeFinder, s: int, e: int, *, literal: bool = False) -> Node | None:
    """A name node over the characters ``s:e``, with the entity label when NER tagged exactly that span;
    ``None`` for a date or number unless ``literal``."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return None
    ent = finder.ent_of.get(span.start)
    label = ent.label if ent is not None and ent.start == span.start and ent.end == span.end else ""
    if not label:  # a name the model tagged only in part ("Gift to Women" of "God's Gift to Women")
        inner = {finder.ent_of[i].label for i in range(span.start, span.end) if i in finder.ent_of}
        label = next(iter(inner)) if len(inner) == 1 and not inner & LITERAL_LABELS else ""
    if label in LITERAL_LABELS and not literal:
        return None
    s, e = span.start_char, span.end_char
    return Node(span.start, span.end, finder.text[s:e], s, e, label, "name")


def first_subject(finder: NodeFinder, sent: Span) -> Node | None:
    """The first sentence's subject, when it is a name or a named entity (not a date or number): the
    title-case name that opens the sentence before its verb (:func:`opening_name`), else what opens an "X is a
    ..." sentence (:func:`copula_opening`), else the name that opens
    it when a parenthesis or an apposition follows ("X (born 1950), known as Y, is ..." -- where the parser
    often picks a word inside the parenthesis), else the root's subject."""
    opened = opening_name(finder, sent)
    named = copula_opening(finder, sent)
    if named is not None and (opened is None or named.start_char == opened.start_char and named.end > opened.end):
        return named  # "Paris, Texas is a 1984 film": more than the opening name, which stops at the comma
    if opened is not None and not (opened.end - opened.start == 1 and finder.doc[opened.start].pos_ == "PRON"):
        return opened
    opener = next((t for t in sent if not (t.is_punct or t.lower_ in ("the", "a", "an"))), None)
    n = finder.node(opener) if opener is not None else None
    if (
        n is not None
        and n.kind in ("entity", "name")
        and n.label not in LITERAL_LABELS
        and n.end < sent.end
        and (finder.doc[n.end].text in ("(", "[", ",") or _is_root_subject(n, sent))
    ):
        return n
    root = _sentence_root(sent)
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            n = finder.node(c)
            if n is not None and n.kind in ("entity", "name") and n.label not in LITERAL_LABELS:
                return n
    return None


def _is_root_subject(node: Node, sent: Span) -> bool:
    root = _sentence_root(sent)
    return any(c.dep_ in ("nsubj", "nsubjpass") and node.start <= c.i < node.end for c in root.children)


def class_noun(sent: Span) -> str:
    """The noun the sentence's copula classes its subject with ("is a 1961 Hindi movie" -> ``movie``), or
    ``""``."""
    root = _sentence_root(sent)
    if root.lower_ not in BE and not any(c.dep_ == "attr" for c in root.children):
        return ""
    for c in root.children:
        if c.dep_ == "attr" and c.pos_ == "NOUN":
            return c.lower_
    return ""


def copula_class(doc: Doc) -> str:
    """The class noun after the first "is a" / "was an" of the passage's first two sentences, read from the
    words when the parse of the opening went wrong ("X( born 1945), sometimes referred to as Y, is an Indian
    actor, writer ..." -> ``actor``), or ``""``."""
    sents = list(doc.sents)[:2]
    if not sents:
        return ""
    toks = doc[sents[0].start : sents[-1].end]
    for k, tok in enumerate(toks):
        if tok.lower_ not in ("is", "was") or k + 1 >= len(toks) or toks[k + 1].lower_ not in ("a", "an", "the"):
            continue
        for t in toks[k + 2 : k + 10]:
            if t.text in (",", ";", ".", "(", ")") or t.pos_ in ("ADP", "VERB", "AUX", "PRON", "CCONJ"):
                return ""
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if t.pos_ == "NOUN" and not (t.is_alpha and t.is_lower):
                continue  # "Spanish-" in "a 1971 Spanish- British film"
            if t.pos_ == "NOUN" and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN") and nxt.text != "-"):
                return t.lower_
            if t.pos_ == "PROPN" and is_person_noun(t.lower_):  # "was the King of the Franks"
                return t.lower_
        return ""
    return ""


def _find(doc: Doc, finder: NodeFinder, base: str) -> Node | None:
    """The first place ``doc`` says ``base`` (case and spacing ignored, whole words), as a node."""
    words = [re.escape(w) for w in base.split()]
    if not words:
        return None
    m = re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", finder.text, re.IGNORECASE)
    if m is None:
        return None
    return _char_node(doc, finder, m.start(), m.end(), literal=True)


def find_topic(doc: Doc, finder: NodeFinder, hint: str | None) -> Topic | None:
    """The passage's topic (see the module docstring); ``hint`` is the document's title, if it has one."""
    topic = _find_topic(doc, finder, hint)
    if topic is None or topic.source == "title" and topic.alias is None and topic.node.start > 0:
        return topic  # the title is not what the passage opens with: its "known as" are someone else's
    opener = topic.alias if topic.alias is not None else topic.node
    first = _first_sentence(doc)
    after = opener.end_char if opener.start >= 0 else (first.start_char if first is not None else 0)
    names = tuple(n for n in known_as(finder.text, after) if n not in (topic.node.text, opener.text))
    return topic._replace(known_as=names)


# "X (born 1982), known professionally as Y, is"; "X, better known as Y"; "X alias Y"; "credited as Y".
_KNOWN_AS = re.compile(
    r"\b(?:(?:better|best|commonly|popularly|professionally|simply|also|mononymously|widely|usually)\s+)*"
    r"(?:known|credited|billed|called|released|titled)(?:\s+(?:professionally|simply|mononymously|popularly|on\s+screen))?\s+as\s+"
    r"|\balias(?:\s+as)?\s+"
)
_PEN_NAME = re.compile(r"\b(?:pen|stage|ring|screen)\s+names?\s+(?:of\s+|as\s+)?")
_COPULA = re.compile(r"\s(?:is|was|are|were|has\s+been)\s")
_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?](?:\s|$)")


def known_as(text: str, start: int) -> list[str]:
    """The names ``text`` gives its opening subject (which ends at ``start``): "known (professionally) as",
    "better known as", "credited as", "alias" before the first sentence's verb, and a pen or stage name
    anywhere in that sentence. Each name is the run of capitalised words (with initials and particles such as
    "de") after the phrase."""
    copula = _COPULA.search(text, start)
    end = _SENTENCE_END.search(text, copula.end() if copula else start)
    stop = end.start() if end else len(text)
    verb = copula.start() if copula else stop
    found = [m.end() for m in _KNOWN_AS.finditer(text, start, verb)]
    found += [m.end() for m in _PEN_NAME.finditer(text, start, stop)]
    names = (_name_at(text, i) for i in sorted(found))
    return [n for n in dict.fromkeys(names) if n and n.split()[0] not in ("The", "A", "An")]


_PARTICLES = frozenset({"de", "da", "di", "del", "della", "du", "des", "la", "le", "van", "von", "der", "bin", "al"})


def _name_at(text: str, i: int) -> str:
    """The capitalised words from ``text[i:]`` ("Pupi Avati( born ..." -> "Pupi Avati"), up to a bracket,
    comma or the end of the sentence."""
    words: list[str] = []
    for raw in text[i : i + 120].split():
        raw = raw.lstrip("\"“'‘")
        word = re.split(r"[(\[,;:\"“”]", raw, maxsplit=1)[0]
        initial = len(word) == 2 and word.endswith(".")
        ends = word != raw or (word.endswith((".", "!", "?")) and not initial)
        word = word if initial else word.rstrip(".!?'’")
        if not word or not (word[0].isupper() or word in _PARTICLES and words):
            break
        words.append(word)
        if ends:
            break
    while words and words[-1] in _PARTICLES:
        words.pop()
    return " ".join(words)


def _find_topic(doc: Doc, finder: NodeFinder, hint: str | None) -> Topic | None:
    sent = _first_sentence(doc)
    if sent is None:
        return None
    subject = without_place(finder, first_subject(finder, sent))
    cls = class_noun(sent) or copula_class(doc)
    base = title_base(hint or "")
    if base:
        found = _find(doc, finder, base)
        if found is not None:
            alias = subject if subject is not None and subject.text != found.text else None
            if alias is not None and not _before(alias, found, sent):
                alias = None
            return Topic(found, "title", alias, cls)
        if looks_like_a_name(base):
            alias = subject if _opens(subject, sent) and _shares_a_word(subject, base) else None
            virtual = Node(-1, -1, base, -1, -1, alias.label if alias is not None else "", "name")
            return Topic(virtual, "title-hint", alias, cls)
    if subject is not None and _opens(subject, sent):
        return Topic(subject, "subject", None, cls)
    return None


def _opens(node: Node | None, sent: Span) -> bool:
    """The node starts its sentence (after an article or opening punctuation): the passage's subject."""
    if node is None:
        return False
    lead = [t for t in sent if t.i < node.start and not (t.is_punct or t.lower_ in ("the", "a", "an"))]
    return not lead


def _shares_a_word(node: Node | None, text: str) -> bool:
    """Whether a node's text and ``text`` share a capitalised word ("Lloyd" and "Frank Lloyd")."""
    if node is None:
        return False
    words = {w.strip(".,'\"").lower() for w in text.split() if w[:1].isupper()}
    return any(w.strip(".,'\"").lower() in words for w in node.text.split() if w[:1].isupper())


def _before(alias: Node, title: Node, sent: Span) -> bool:
    """The alias opens the first sentence and the title comes soon after it ("X (born ...), known as TITLE, is
    ..."; the small parser often ends a sentence inside such a parenthesis, so the next sentence counts too)."""
    sents = list(sent.doc.sents)[:2]
    return _opens(alias, sent) and alias.end <= title.start < sents[-1].end


__all__ = [
    "Topic", "class_noun", "copula_class", "copula_opening", "find_topic", "first_subject", "known_as",
    "looks_like_a_name", "title_base",
]  # fmt: skip
