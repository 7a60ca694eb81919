"""One embedder shared by threads that each answer a question (a server's workers): the texts of the calls that
arrive while the model is busy are embedded together in its next forward pass.

Why: a server answering several questions at once on a small CPU spends most of a new question in the question
encoder (MiniLM: ~25 of ~40 ms on the 2-core box), one short question at a time. A forward pass over the texts of
four questions costs much less than four passes (fewer per-operation overheads, larger matrix products), and the
model releases the GIL while it runs, so the other workers' retrieval goes on beside it on the other core.

How: no timer and no thread of its own. A call queues its texts; if no pass is running, the caller runs one over
everything queued (its own texts and any that came in meanwhile); otherwise it waits, and either finds its vectors
ready or leads the next pass. So a lone question pays nothing extra, and under load a pass takes whatever queued
while the previous one ran. The wrapped embedder is only ever called by one thread at a time, which also keeps a
Hugging Face fast tokenizer away from concurrent use ("Already borrowed").

A vector can differ in the last bits from the one the same text gets alone: the model pads a batch to its longest
text, and the reductions over the longer sequence add in another order (measured on MiniLM: ~1e-7, for a quarter
of the questions; texts of equal length come out bit-identical). That is already the case for the texts one
question embeds together (its spans and linking sentences are padded to the longest of them).

If a merged pass fails, each call's texts are embedded again on their own, so the error reaches only the caller
whose texts cause it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from graphrag.embed.embedder import Embedder


@dataclass(eq=False)
class _Call:
    texts: list[str]
    vectors: np.ndarray | None = None
    error: BaseException | None = None
    done: bool = field(default=False)


class MicroBatchingEmbedder:
    """An :class:`~graphrag.embed.Embedder` for many threads: calls that wait while the model is busy are
    embedded together in one pass of ``embedder``.

    Args:
        embedder: the embedder to share (called by one thread at a time).
        max_texts: the most texts one pass takes (more wait for the next pass; a single call's texts always go
            in one pass, as they would without this wrapper).

    Each call gets back exactly the rows of its own texts, in order, as ``embedder`` would give them in a pass
    with those other texts (see the module docstring for the last-bit caveat).
    """

    def __init__(self, embedder: Embedder, *, max_texts: int = 64) -> None:
        if max_texts < 1:
            raise ValueError(f"max_texts must be at least 1, got {max_texts}")
        self.embedder = embedder
        self.name = embedder.name
        self.dim = int(embedder.dim)
        self.max_texts = max_texts
        self._cond = threading.Condition()
        self._queue: list[_Call] = []
        self._busy = False
        self.passes = 0  # forward passes run (calls / passes is the mean batch, for benchmarks)
        self.calls = 0

    @property
    def tokenizer(self):  # noqa: ANN201 - the wrapped model's tokenizer, where it has one
        """The wrapped embedder's tokenizer (token-aware chunking reads it)."""
        return getattr(self.embedder, "tokenizer", None)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts`` (from any thread); returns ``(len(texts), dim)`` float32 rows."""
        if len(texts) == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        call = _Call(list(texts))
        with self._cond:
            self._queue.append(call)
            self.calls += 1
        while True:
            with self._cond:
                while not call.done and self._busy:
                    self._cond.wait()
                if call.done:
                    break
                batch = self._take()  # nobody is running a pass: lead one over what has queued
                self._busy = True
            try:
                self._run(batch)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
        if call.error is not None:
            raise call.error
        assert call.vectors is not None
        return call.vectors

    def _take(self) -> list[_Call]:
        """The queued calls for the next pass, oldest first, up to ``max_texts`` texts (at least one call)."""
        taken, n = [], 0
        for c in self._queue:
            if taken and n + len(c.texts) > self.max_texts:
                break
            taken.append(c)
            n += len(c.texts)
        del self._queue[: len(taken)]
        return taken

    def _run(self, batch: list[_Call]) -> None:
        try:
            unique = list(dict.fromkeys(t for c in batch for t in c.texts))
            try:
                vecs = np.asarray(self.embedder.embed(unique), dtype=np.float32)
            except Exception as exc:
                if len(batch) == 1:
                    batch[0].error = exc
                else:
                    for c in batch:  # each alone, so that only the call whose texts fail sees an error
                        try:
                            c.vectors = np.asarray(self.embedder.embed(c.texts), dtype=np.float32)
                        except Exception as each:  # noqa: BLE001 - handed to that call's thread
                            c.error = each
            else:
                row = {t: i for i, t in enumerate(unique)}
                for c in batch:
                    c.vectors = vecs[[row[t] for t in c.texts]]
            self.passes += 1
        finally:
            for c in batch:  # an interrupt in the leading thread must not leave the others waiting
                if c.vectors is None and c.error is None:
                    c.error = RuntimeError("the shared embedding pass was interrupted")
                c.done = True


__all__ = ["MicroBatchingEmbedder"]
