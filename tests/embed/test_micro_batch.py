"""The shared micro-batching embedder: each caller gets its own rows, batches form under concurrency, and an
error reaches only the caller whose texts cause it."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np
import pytest

from graphrag.embed import HashingEmbedder
from graphrag.embed.micro_batch import MicroBatchingEmbedder


class _SlowRecording:
    """Hashing vectors, slowly enough for calls to pile up; records each pass and refuses ``"bad"``; fails if
    two threads ever call it at once."""

    name, dim = "slow", 16

    def __init__(self, delay_s: float = 0.02) -> None:
        self.inner = HashingEmbedder(dim=16)
        self.delay_s = delay_s
        self.passes: list[list[str]] = []
        self._inside = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not self._inside.acquire(blocking=False):
            raise AssertionError("called by two threads at once")
        try:
            self.passes.append(list(texts))
            threading.Event().wait(self.delay_s)
            if "bad" in texts:
                raise ValueError("cannot embed 'bad'")
            return self.inner.embed(texts)
        finally:
            self._inside.release()


def _ask_at_once(embedder: MicroBatchingEmbedder, calls: list[list[str]]) -> list[np.ndarray | BaseException]:
    out: list[np.ndarray | BaseException] = [np.zeros(0)] * len(calls)
    start = threading.Barrier(len(calls))

    def one(i: int) -> None:
        start.wait()
        try:
            out[i] = embedder.embed(calls[i])
        except BaseException as exc:  # noqa: BLE001 - the test looks at which caller got what
            out[i] = exc

    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return out


def test_each_caller_gets_its_own_rows_identical_to_embedding_alone() -> None:
    inner = _SlowRecording()
    shared = MicroBatchingEmbedder(inner)
    calls = [[f"question {i}", f"span {i}", "shared text"] for i in range(12)]
    out = _ask_at_once(shared, calls)
    alone = HashingEmbedder(dim=16)
    for texts, got in zip(calls, out, strict=True):
        assert isinstance(got, np.ndarray) and got.dtype == np.float32
        np.testing.assert_array_equal(got, alone.embed(texts))
    # calls that waited while a pass ran went together into later passes: fewer passes than calls
    assert len(inner.passes) < len(calls) == shared.calls
    assert shared.passes == len(inner.passes)
    assert max(len(p) for p in inner.passes) > 3
    assert all(len(p) == len(set(p)) for p in inner.passes)  # a text two callers share is embedded once


def test_identical_to_minilm_alone_for_equal_lengths_and_close_otherwise() -> None:
    pytest.importorskip("sentence_transformers")
    from graphrag.embed.minilm import MiniLMEmbedder

    try:
        model = MiniLMEmbedder(threads=1)
    except Exception as exc:  # noqa: BLE001 - the model package is optional
        pytest.skip(f"MiniLM unavailable: {exc}")
    shared = MicroBatchingEmbedder(model)
    calls = [
        ["Who directed Gaby: A True Story?"],
        ["Who is the mother of the director of film Polish-Russian War?"],
        ["When was the director of film Blind Shaft born?", "Blind Shaft"],
        ["Where was the author of Ruslan and Ludmila born?"],
    ]
    out = _ask_at_once(shared, calls)
    for texts, got in zip(calls, out, strict=True):
        assert isinstance(got, np.ndarray)
        np.testing.assert_allclose(got, model.embed(texts), atol=1e-6)


def test_a_lone_call_is_one_pass_of_its_own_texts() -> None:
    inner = _SlowRecording(delay_s=0.0)
    shared = MicroBatchingEmbedder(inner)
    got = shared.embed(["a", "b", "a"])
    assert inner.passes == [["a", "b"]]
    np.testing.assert_array_equal(got, HashingEmbedder(dim=16).embed(["a", "b", "a"]))
    assert shared.embed([]).shape == (0, 16)
    assert (shared.name, shared.dim) == ("slow", 16)


def test_an_error_reaches_only_the_caller_whose_texts_cause_it() -> None:
    inner = _SlowRecording()
    shared = MicroBatchingEmbedder(inner)
    calls = [["fine 1"], ["bad"], ["fine 2", "fine 3"], ["fine 4"], ["bad", "fine 5"], ["fine 6"]]
    out = _ask_at_once(shared, calls)
    alone = HashingEmbedder(dim=16)
    for texts, got in zip(calls, out, strict=True):
        if "bad" in texts:
            assert isinstance(got, ValueError) and "bad" in str(got)
        else:
            assert isinstance(got, np.ndarray)
            np.testing.assert_array_equal(got, alone.embed(texts))
    assert shared.embed(["after"]).shape == (1, 16)  # nothing left waiting or busy


def test_max_texts_splits_passes_but_never_a_call() -> None:
    inner = _SlowRecording()
    shared = MicroBatchingEmbedder(inner, max_texts=4)
    calls = [[f"t{i}-{j}" for j in range(3)] for i in range(6)] + [[f"big-{j}" for j in range(9)]]
    out = _ask_at_once(shared, calls)
    assert all(isinstance(o, np.ndarray) for o in out)
    assert any(len(p) == 9 for p in inner.passes)  # the big call went whole
    assert all(len(p) <= 4 for p in inner.passes if len(p) != 9)
    with pytest.raises(ValueError, match="max_texts"):
        MicroBatchingEmbedder(inner, max_texts=0)
