"""The Ask page's guard around the local model: a native crash is found in a child process, not in the app."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("app_modules_on_path")


def test_a_crashing_local_model_is_reported_not_fatal(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui_ask

    monkeypatch.setattr(ui_ask, "_PROBE", "import os, signal; os.kill(os.getpid(), signal.SIGILL)")
    ui_ask.local_llm_problem.clear()
    problem = ui_ask.local_llm_problem("crash")
    assert problem is not None and "crashed in a trial run (SIGILL)" in problem


def test_a_failing_local_model_reports_its_last_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui_ask

    monkeypatch.setattr(ui_ask, "_PROBE", "raise SystemExit('no weights found in the package')")
    ui_ask.local_llm_problem.clear()
    expected = "the local model could not be loaded: no weights found in the package"
    assert ui_ask.local_llm_problem("fail") == expected


def test_a_working_local_model_has_no_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    import ui_ask

    monkeypatch.setattr(ui_ask, "_PROBE", "print('ok')")
    ui_ask.local_llm_problem.clear()
    assert ui_ask.local_llm_problem("fine") is None
