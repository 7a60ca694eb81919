"""graphrag.runtime: OpenMP's wait policy, the BLAS pool and torch threads, as applied before questions."""

from __future__ import annotations

import os

import pytest

from graphrag import runtime
from graphrag.runtime import Runtime, limit_blas_threads, prefer_passive_openmp, torch_threads


def test_passive_openmp_is_set_before_an_openmp_user_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_OPENMP_USERS", ("no_such_openmp_module",))
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert prefer_passive_openmp() is True
    assert os.environ["OMP_WAIT_POLICY"] == "PASSIVE"


def test_a_users_wait_policy_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runtime, "_OPENMP_USERS", ("no_such_openmp_module",))
    monkeypatch.setenv("OMP_WAIT_POLICY", "ACTIVE")
    assert prefer_passive_openmp() is False
    assert os.environ["OMP_WAIT_POLICY"] == "ACTIVE"


def test_too_late_once_openmp_has_started(monkeypatch: pytest.MonkeyPatch) -> None:
    # "os" stands in for torch: a module that is already loaded, so the policy is fixed and must not change.
    monkeypatch.setattr(runtime, "_OPENMP_USERS", ("os",))
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert prefer_passive_openmp() is False
    assert "OMP_WAIT_POLICY" not in os.environ


def test_limit_blas_threads_caps_the_pool() -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    with threadpoolctl.threadpool_limits(limits=None):  # restore the caller's limits afterwards
        limit_blas_threads(1)
        blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
        assert blas and all(p["num_threads"] == 1 for p in blas)


def test_runtime_before_questions_applies_both(monkeypatch: pytest.MonkeyPatch) -> None:
    threadpoolctl = pytest.importorskip("threadpoolctl")
    monkeypatch.setattr(runtime, "_OPENMP_USERS", ("no_such_openmp_module",))
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    with threadpoolctl.threadpool_limits(limits=None):
        assert Runtime().before_questions() is True
        blas = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
        assert all(p["num_threads"] == 1 for p in blas)
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    assert Runtime(passive_openmp=False, blas_threads=None).before_questions() is False
    assert "OMP_WAIT_POLICY" not in os.environ


def test_the_blas_cap_is_applied_again_only_after_new_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding the BLAS libraries costs milliseconds per question; a new one can only come with an import."""
    import sys
    import types

    calls: list[int] = []
    monkeypatch.setattr(runtime, "limit_blas_threads", calls.append)
    settings = Runtime(passive_openmp=False)
    settings.before_questions()
    settings.before_questions()
    assert calls == [1]
    monkeypatch.setitem(sys.modules, "graphrag_test_newly_imported", types.ModuleType("graphrag_test_newly_imported"))
    settings.before_questions()
    assert calls == [1, 1]
    Runtime(passive_openmp=False).before_questions()  # another object applies it for itself
    assert calls == [1, 1, 1]


def test_torch_threads_restores_the_setting() -> None:
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    with torch_threads(1):
        assert torch.get_num_threads() == 1
    assert torch.get_num_threads() == before
