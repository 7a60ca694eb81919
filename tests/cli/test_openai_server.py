"""The remote-LLM path for real: llama-cpp-python's OpenAI-compatible server on 127.0.0.1 with the packaged
SmolLM2 GGUF, asked through ``ask --llm openai`` and ``eval qa``; and an endpoint that is down or talks garbage
is a clear error, not a traceback."""

from __future__ import annotations

import http.server
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graphrag.cli import main

pytest.importorskip("fastapi", reason="llama-cpp-python[server] is not installed")
pytest.importorskip("llama_cpp")

QUESTION = "Where was the director of film Our Emden born?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """``python -m llama_cpp.server`` with the packaged SmolLM2 on a free loopback port; its ``/v1`` URL."""
    from graphrag.generate.llm import SMOLLM2_PACKAGE, package_gguf

    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(package_gguf(SMOLLM2_PACKAGE)),
           "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", "2"]  # fmt: skip
    log = tmp_path_factory.mktemp("llm_server") / "server.log"  # a file: a full pipe would stall the server
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("w"))
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({proc.returncode}): {log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not start within 120 s")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, " ".join(out.err.split())


def test_ask_through_the_server(capsys, server, tiny_graph_db) -> None:
    code, out, err = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "openai", "--base-url", server,
                         "--k", "3", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["llm"].startswith("openai:") and data["llm"].endswith(".gguf")  # the name asked of /models
    assert data["answer"].strip()
    assert data["support"] is not None and 0.0 <= data["support"]["score"] <= 1.0
    # the reply was held to {answer, cited}: either it cites what it was given, or it abstained
    titles = {c["title"] for c in data["sources"]}
    assert {c["title"] for c in data["citations"]} <= titles
    assert data["citations"] or data["answer"] in ("Not found in the documents.", "I don't know.")


def test_eval_qa_through_the_server_with_workers(capsys, server, tiny_graph_db, tmp_path: Path) -> None:
    q = tmp_path / "q.json"
    q.write_text(json.dumps([
        {"id": "1", "question": "Where was Louis Ralph born?", "answer": "Graz", "question_type": "bridge"},
        {"id": "2", "question": "Who directed Our Emden?", "answer": "Louis Ralph", "question_type": "bridge"},
        {"id": "3", "question": QUESTION, "answer": "Graz", "question_type": "compositional"},
    ]))  # fmt: skip
    out = tmp_path / "qa.json"
    code, printed, err = run(capsys, "eval", "qa", "--db", str(tiny_graph_db), "--questions", str(q), "--out", str(out),
                             "--answerer", "openai", "--base-url", server, "--workers", "2")  # fmt: skip
    assert code == 0, err
    [report] = json.loads(out.read_text())["answerers"]
    assert report["answerer"] == "openai" and report["questions"] == 3
    assert [r["id"] for r in report["per_question"]] == ["1", "2", "3"]  # file order, whatever finished first
    assert "openai: EM" in printed


def test_an_endpoint_that_is_down_is_a_clear_error(capsys, tiny_graph_db) -> None:
    url = f"http://127.0.0.1:{free_port()}/v1"
    code, _, err = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "openai", "--base-url", url,
                       "--model", "m")  # fmt: skip
    assert code == 7
    assert f"{url}/chat/completions cannot be reached" in err and "is the server running?" in err
    assert "Traceback" not in err


def test_an_endpoint_that_talks_garbage_is_a_clear_error(capsys, tiny_graph_db) -> None:
    class Garbage(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the handler's API
            body = b"<html>please log in</html>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
        code, _, err = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "openai", "--base-url", url,
                           "--model", "m")  # fmt: skip
    finally:
        httpd.shutdown()
    assert code == 7 and "replied with something that is not JSON: '<html>please log in</html>'" in err
