"""Chunking, spaCy analysis and embedding of ingest batches on a Ray cluster (``graphrag ingest --ray``).

Only the compute stages move. This process (the driver) still plans the run and hashes every document against
the store (unchanged documents never leave it), reads and masks the files slice by slice, and cuts the same
batches as a local run. Each batch becomes one row of a Ray Dataset, ``window_batches`` rows per dataset (the
driver's memory follows the window, not the corpus), which flows through two ``map_batches`` stages run by
actor pools: :class:`_AnalyseStage` chunks a batch and analyses its unique chunk texts (the chunker and the
spaCy analyzer are loaded once per actor), :class:`_EmbedStage` embeds its chunks and the names its analyses
mention (the embedder loaded once per actor). Rows come back in batch order, and the driver resolves entities
and commits each batch through the same staged, single-writer transaction as a local run
(:mod:`~graphrag.extract.write_batch`). Same batches, same chunker, analyzer and embedder, same linking in the
same order: a Ray ingest stores the same ids, counts and triples as a local one. Workers never open the store.

What a failure leaves: an actor whose process dies (killed, out of memory, a lost node) is restarted by Ray and
its batch retried, each at most ``max_retries`` times; the driver checks that every batch comes back exactly
once and in order, so a retry can neither lose nor repeat documents. When the retries run out the run stops
with :class:`ClusterError`: the batches committed before it stay, each whole, nothing of the others is
written, and running the same ingest again loads only what is missing (the plan sees the committed documents
as unchanged).

Ray is imported here only, and this module only when a run asks for Ray. A local cluster started for a run is
stopped after it, and what ``ray.init`` changes in the process (environment variables, a SIGTERM handler) is put back.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import pickle
import signal
import socket
import threading
import time
import warnings
from collections.abc import Callable, Generator, Iterator
from itertools import islice
from typing import Any

import numpy as np

from graphrag.config import RayConfig
from graphrag.embed.embedder import Embedder
from graphrag.errors import ClusterError, ConfigError
from graphrag.extract.analysis_worker import ChunkAnalyzer, InlineAnalysisRunner
from graphrag.extract.batch_compute import analysis_inputs, embed_chunk_texts
from graphrag.extract.batch_linking import display_forms
from graphrag.extract.chunking import TokenChunker
from graphrag.extract.entity_names import display_name
from graphrag.extract.ingest_report import StageTimer
from graphrag.extract.progress import IngestProgress, NullProgress
from graphrag.extract.records import AnalysedBatch
from graphrag.types import Document

#: Seconds to wait for a TCP connection to a cluster address before calling it unreachable.
CONNECT_TIMEOUT_S = 5.0

LOCAL = ("", "local")


# -- connecting -----------------------------------------------------------------------------------------------
def _import_ray() -> Any:
    try:
        import ray
        import ray.data  # noqa: F401 - the Dataset API; part of the ray wheel, with pyarrow and pandas
    except ImportError as exc:
        raise ConfigError(f"ingest on Ray needs the ray package: pip install 'graphrag[ray]' ({exc})") from exc
    return ray


def _host_port(address: str) -> tuple[str, int]:
    """``HOST:PORT`` of a Ray address (``ray://HOST:PORT`` or ``HOST:PORT``); :class:`ClusterError` otherwise."""
    rest = address.removeprefix("ray://")
    host, sep, port = rest.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise ClusterError(
            f"{address!r} is not a Ray cluster address: give auto, HOST:PORT or ray://HOST:PORT, or no address "
            "to start a local cluster"
        )
    return host.strip("[]"), int(port)


def check_reachable(address: str, *, timeout_s: float = CONNECT_TIMEOUT_S) -> None:
    """Fail fast, in one sentence, when nothing listens at ``address`` (Ray itself would retry for a minute)."""
    if address == "auto":
        return
    host, port = _host_port(address)
    try:
        socket.create_connection((host, port), timeout=timeout_s).close()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise ClusterError(
            f"cannot reach a Ray cluster at {address} ({reason}); start one with `ray start --head` or leave out "
            "the address to run a local one"
        ) from exc


@contextlib.contextmanager
def ray_session(config: RayConfig) -> Iterator[None]:
    """Ray connected for the duration: to ``config.address``, else a local cluster started for the run and
    stopped after. A session already open in this process (a notebook's, a test's) is used and left open."""
    ray = _import_ray()
    if ray.is_initialized():
        yield
        return
    local = config.address in LOCAL
    if not local:
        check_reachable(config.address)
    restore = _saved_process_state()
    # a local cluster gets logical CPUs for both actor pools, whatever the machine has (they then share it)
    cpus = max(os.cpu_count() or 1, math.ceil(2 * config.workers * config.cpus_per_worker))
    try:
        ray.init(
            address=None if local else config.address,
            num_cpus=cpus if local else None,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.WARNING,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        restore()
        where = "start a local Ray cluster" if local else f"connect to the Ray cluster at {config.address}"
        raise ClusterError(f"could not {where}: {_first_line(exc)}") from exc
    try:
        yield
    finally:
        ray.shutdown()
        restore()


def _saved_process_state() -> Callable[[], None]:
    """A function that puts back what ``ray.init`` changes in this process and ``ray.shutdown`` leaves behind
    (environment variables such as ``PYTHONBREAKPOINT``, a SIGTERM handler), so a run leaves its host process (a
    notebook, a server) as it found it."""
    env = dict(os.environ)
    main = threading.current_thread() is threading.main_thread()
    term = signal.getsignal(signal.SIGTERM) if main else None

    def restore() -> None:
        for key in set(os.environ) - set(env):
            del os.environ[key]
        os.environ.update(env)
        if main and term is not None:
            signal.signal(signal.SIGTERM, term)

    return restore


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# -- the stages (they run in the cluster's actors) ------------------------------------------------------------
class _AnalyseStage:
    """Chunks each batch and analyses its unique chunk texts; the chunker and analyzer load once per actor."""

    def __init__(self, chunker: TokenChunker, analyzer: ChunkAnalyzer) -> None:
        self.chunker = chunker
        self.runner = InlineAnalysisRunner(analyzer)

    def __call__(self, rows: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        out = []
        for payload in rows["payload"]:
            docs: tuple[Document, ...] = pickle.loads(payload)
            chunks = self.chunker.chunk(docs)
            texts, titles = analysis_inputs(docs, chunks)
            analyses, busy_s = self.runner.submit(texts, titles).result()
            out.append(pickle.dumps((docs, chunks, texts, analyses, busy_s), protocol=pickle.HIGHEST_PROTOCOL))
        return {"batch": list(rows["batch"]), "payload": out}


class _EmbedStage:
    """Embeds each batch's chunks (and, unless ``names`` is false, the names its analyses mention); the
    embedder loads once per actor."""

    def __init__(self, embedder: Embedder, names: bool) -> None:
        self.embedder = embedder
        self.names = names

    def __call__(self, rows: dict[str, np.ndarray]) -> dict[str, list[Any]]:
        out = []
        for payload in rows["payload"]:
            docs, chunks, texts, analyses, analyse_s = pickle.loads(payload)
            t0 = time.perf_counter()
            vectors = embed_chunk_texts(self.embedder, docs, chunks)
            forms = _names(analyses) if self.names else []
            names = dict(zip(forms, self.embedder.embed(forms), strict=True)) if forms else {}
            done = AnalysedBatch(docs, chunks, texts, analyses, vectors, names)
            times = (analyse_s, time.perf_counter() - t0)
            out.append(pickle.dumps((done, times), protocol=pickle.HIGHEST_PROTOCOL))
        return {"batch": list(rows["batch"]), "payload": out}


def _names(analyses: list[Any]) -> list[str]:
    """Every name the driver's resolution may ask a vector for: the display forms of the mentions, triple ends,
    topics and their other names (the surfaces :func:`~graphrag.extract.batch_linking.link_batch` resolves)."""
    forms = dict.fromkeys(display_forms(analyses))
    for a in analyses:
        surfaces = [*(t.subject for t in a.triples), *(t.object for t in a.triples), *a.aliases]
        if a.about is not None:
            surfaces.append(a.about[0])
        forms.update(dict.fromkeys(f for f in map(display_name, surfaces) if f))
    return list(forms)


# -- the driver side ------------------------------------------------------------------------------------------
class RayBatchCompute:
    """A :class:`~graphrag.extract.batch_compute.BatchCompute` on a Ray cluster, connected (:func:`ray_session`)
    when the first batch is ready and for as long as the run lasts.

    Args:
        chunker: cuts documents into chunks (sent to the actors).
        analyzer: a picklable analyzer that loads its model lazily.
        embedder: a picklable embedder that loads its model lazily (not one loaded in this process).
        config: workers per stage, CPUs per worker, window and retries.
        progress: where the ``embed`` stage's progress goes.
    """

    def __init__(
        self,
        *,
        chunker: TokenChunker,
        analyzer: ChunkAnalyzer,
        embedder: Embedder,
        config: RayConfig | None = None,
        progress: IngestProgress | None = None,
    ) -> None:
        self.chunker = chunker
        self.analyzer = analyzer
        self.embedder = embedder
        self.config = config or RayConfig()
        if self.config.workers < 1 or self.config.window_batches < 1 or self.config.max_retries < 0:
            raise ConfigError(
                f"[ingest.ray] needs workers >= 1, window_batches >= 1 and max_retries >= 0, got {self.config}"
            )
        self.progress = progress or NullProgress()
        _import_ray()  # a missing package or a wrong address fails now, before the store is touched
        if self.config.address not in LOCAL:
            check_reachable(self.config.address)

    def run(
        self, batches: Iterator[tuple[Document, ...]], timer: StageTimer, *, embed_names: bool
    ) -> Generator[AnalysedBatch, None, None]:
        """Send ``batches`` to the cluster a window at a time; yield each analysed batch in order, exactly once.
        Ray is connected on the first batch (a run with nothing to load starts no cluster)."""
        first_window = list(islice(batches, self.config.window_batches))
        if not first_window:
            return
        t0 = time.perf_counter()
        with ray_session(self.config):
            timer.add("ray_start", time.perf_counter() - t0)
            yield from self._windows(first_window, batches, timer, embed_names)

    def _windows(
        self,
        window: list[tuple[Document, ...]],
        batches: Iterator[tuple[Document, ...]],
        timer: StageTimer,
        embed_names: bool,
    ) -> Iterator[AnalysedBatch]:
        ray = _import_ray()
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        context.print_on_execution_start = False
        context.execution_options.preserve_order = True  # the writer commits batches in the order they were cut
        first = 0
        while window:
            yield from self._window(ray, window, first, timer, embed_names)
            first += len(window)
            window = list(islice(batches, self.config.window_batches))

    def _window(
        self, ray: Any, window: list[tuple[Document, ...]], first: int, timer: StageTimer, embed_names: bool
    ) -> Iterator[AnalysedBatch]:
        cfg = self.config
        rows = [{"batch": first + i, "payload": pickle.dumps(docs)} for i, docs in enumerate(window)]
        retries = {"max_restarts": cfg.max_retries, "max_task_retries": cfg.max_retries}
        actors = min(cfg.workers, len(window))
        with warnings.catch_warnings():  # restarts and retries still go by ray_remote_args in Ray 2.60
            warnings.simplefilter("ignore", DeprecationWarning)
            ds = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(  # a block per batch
                _AnalyseStage,
                fn_constructor_args=(self.chunker, self.analyzer),
                batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=actors),
                num_cpus=cfg.cpus_per_worker,
                **retries,
            )
            ds = ds.map_batches(
                _EmbedStage,
                fn_constructor_args=(self.embedder, embed_names),
                batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=actors),
                num_cpus=cfg.cpus_per_worker,
                **retries,
            )
        expected = first
        results = iter(ds.iter_rows())
        while True:
            try:
                with timer("cluster_wait"):
                    row = next(results, None)
            except ray.exceptions.RayError as exc:
                raise ClusterError(
                    f"the Ray cluster failed after {cfg.max_retries} retries ({_first_line(exc)}); {expected} "
                    "batches were committed whole and nothing after them: run the same ingest again to load the rest"
                ) from exc
            if row is None:
                break
            if int(row["batch"]) != expected:
                got = int(row["batch"]) + 1
                raise ClusterError(f"the Ray cluster returned batch {got} where batch {expected + 1} was due")
            done, (analyse_s, embed_s) = pickle.loads(row["payload"])
            timer.add("analyse_worker", analyse_s)
            timer.add("embed_worker", embed_s)
            self.progress.advance("embed", len(done.docs))
            expected += 1
            yield done
        if expected != first + len(window):
            raise ClusterError(f"the Ray cluster returned {expected - first} of {len(window)} batches")


__all__ = ["ClusterError", "RayBatchCompute", "check_reachable", "ray_session"]
