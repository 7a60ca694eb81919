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
        "--server.maxUploadSize": "256",  # what ingest accepts ([ingest] max_file_mb)
    }
    assert cmd[-3:] == ["--", "--db", str(tmp_path / "g.kuzu")]


def test_app_command_execs_streamlit_on_the_given_db_and_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = []
    monkeypatch.setattr(app_cmd, "run_server", lambda cmd, env: calls.append((cmd, env)))
    assert main(["app", "--db", str(tmp_path / "g.kuzu"), "--port", "9123"]) == 0
    ((cmd, env),) = calls
    assert cmd[cmd.index("--server.port") + 1] == "9123"
    assert main(["app", "--db", str(tmp_path / "g.kuzu"), "--max-upload-mb", "16"]) == 0
    assert calls[-1][0][calls[-1][0].index("--server.maxUploadSize") + 1] == "16"
    assert env["GRAPHRAG_DB"] == str((tmp_path / "g.kuzu").resolve())
    assert cmd[-1] == str((tmp_path / "g.kuzu").resolve())


def test_app_command_rejects_a_bad_port() -> None:
    assert main(["app", "--port", "70000"]) == 2


def test_the_server_stops_with_the_command(tmp_path: Path) -> None:
    """SIGTERM to ``graphrag app`` stops the server: it is the same process, not an orphaned child."""
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from graphrag.cli import _entry; _entry()",
         "app", "--db", str(tmp_path / "g.kuzu"), "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail("the server did not start")
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        with pytest.raises(OSError):
            urllib.request.urlopen(f"http://localhost:{port}/_stcore/health", timeout=2)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_app_command_with_a_server_passes_it_on_and_warns_when_it_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{s.getsockname()[1]}"
    calls = []
    monkeypatch.setattr(app_cmd, "run_server", lambda cmd, env: calls.append((cmd, env)))
    assert main(["app", "--server", down + "/", "--as", "bob"]) == 0
    ((cmd, _),) = calls
    assert cmd[-2:] == ["--server", down] and cmd[cmd.index("--as") + 1] == "bob"
    err = " ".join(capsys.readouterr().err.split())
    assert f"answering through {down}" in err and f"warning: the server at {down} is not answering" in err
    assert main(["app", "--server", "127.0.0.1:8000"]) == 2  # not an address: refused before anything starts
    assert "--server must be the address of graphrag serve" in " ".join(capsys.readouterr().err.split())
