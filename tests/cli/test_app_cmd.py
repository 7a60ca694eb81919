"""``graphrag app``: the streamlit command line it runs, in-process with the child process replaced."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphrag.cli import app_cmd, main


def test_app_script_is_the_repository_app() -> None:
    script = app_cmd.app_script()
    assert script.name == "main.py" and script.parent.name == "app" and script.is_file()


def test_streamlit_command_is_local_headless_and_private(tmp_path: Path) -> None:
    cmd = app_cmd.streamlit_command(Path("app/main.py"), db=tmp_path / "g.kuzu", port=8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    opts = dict(zip(cmd[5:-3:2], cmd[6:-3:2], strict=True))
    assert opts == {
        "--server.address": "localhost",
        "--server.port": "8765",
        "--server.headless": "true",
        "--server.fileWatcherType": "none",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",
    }
    assert cmd[-3:] == ["--", "--db", str(tmp_path / "g.kuzu")]


def test_app_command_starts_streamlit_on_the_given_db_and_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []

    def fake_call(cmd: list[str], env: dict[str, str]) -> int:
        calls.append((cmd, env))
        return 0

    monkeypatch.setattr(app_cmd.subprocess, "call", fake_call)
    assert main(["app", "--db", str(tmp_path / "g.kuzu"), "--port", "9123"]) == 0
    ((cmd, env),) = calls
    assert cmd[cmd.index("--server.port") + 1] == "9123"
    assert env["GRAPHRAG_DB"] == str((tmp_path / "g.kuzu").resolve())
    assert cmd[-1] == str((tmp_path / "g.kuzu").resolve())


def test_app_command_passes_streamlit_failures_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_cmd.subprocess, "call", lambda cmd, env: 3)
    assert main(["app", "--db", str(tmp_path / "g.kuzu")]) == 3


def test_app_command_rejects_a_bad_port() -> None:
    assert main(["app", "--port", "70000"]) == 2
