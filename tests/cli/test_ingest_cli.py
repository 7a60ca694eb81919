"""``graphrag ingest``: in-process CLI runs, skipped bad files (exit 3), delete and re-ingest, and a real kill
-9."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from extract.helpers import snapshot, synthetic_records, write_corpus

import graphrag.extract.ingest as ingest_module
import graphrag.extract.pipeline as pipeline_module
from graphrag.cli import main
from graphrag.extract.analysis_worker import InlineAnalysisRunner


@pytest.fixture
def inline_nlp(monkeypatch, spacy_analyzer):
    """In-process CLI runs share the session's loaded spaCy model and analyse inline (no worker start-up)."""
    monkeypatch.setattr(ingest_module, "default_analyzer", lambda config: spacy_analyzer)
    monkeypatch.setattr(
        pipeline_module, "make_runner", lambda analyzer, separate_process: InlineAnalysisRunner(analyzer)
    )


def ingest_json(capsys, *args: str) -> tuple[int, dict]:
    code = main(["ingest", *args, "--embedder", "hashing", "--json"])
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip() else {}), out.err


def test_ingest_skips_bad_files_with_exit_3_and_loads_the_rest(tmp_path: Path, capsys, inline_nlp) -> None:
    write_corpus(tmp_path / "in")
    (tmp_path / "in" / "bad.jsonl").write_text('{"title": "ok", "text": "fine"}\n["not", "a", "record"]\n')
    (tmp_path / "in" / "blob.txt").write_bytes(b"\x00\x01binary")
    db = tmp_path / "g.kuzu"
    code, report, err = ingest_json(capsys, str(tmp_path / "in"), "--db", str(db))
    assert code == 3  # the good record "ok" of bad.jsonl is loaded, its bad line 2 skipped and reported
    assert (report["documents_new"], report["files_skipped"], report["records_skipped"]) == (6, 1, 1)
    assert "bad.jsonl:2: expected a" in err and "blob.txt:1: binary content" in err
    assert "skipped 1 input file(s) and 1 record(s) of corpora" in " ".join(err.split())
    # stats see what was loaded
    assert main(["stats", "--db", str(db), "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["nodes"]["Document"] == 6 and stats["relationships"]["RELATION"] == report["triples"] > 0
    # a second run adds nothing
    (tmp_path / "in" / "bad.jsonl").unlink()
    (tmp_path / "in" / "blob.txt").unlink()
    code, again, _ = ingest_json(capsys, str(tmp_path / "in"), "--db", str(db))
    assert code == 0 and again["documents_unchanged"] == 5 and again["documents_new"] == again["chunks"] == 0


def test_delete_then_reingest_restores_the_same_graph(tmp_path: Path, capsys, inline_nlp) -> None:
    files = write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    assert ingest_json(capsys, str(tmp_path / "in"), "--db", str(db))[0] == 0
    full = snapshot(db)
    assert main(["delete", str(files["kings"]), "--db", str(db)]) == 0
    assert "removed 3 document(s)" in capsys.readouterr().out
    after = snapshot(db)
    assert len(after["documents"]) == 2
    kept_docs = {d for d, *_ in after["documents"]}
    assert all(r[4] in kept_docs for r in after["relations"])
    code, report, _ = ingest_json(capsys, str(tmp_path / "in"), "--db", str(db))
    assert code == 0 and (report["documents_new"], report["documents_unchanged"]) == (3, 2)
    restored = snapshot(db)
    for snap in (full, restored):  # a shared entity may keep the type its first document gave it
        snap["stats"].pop("entity_types")
        snap["entities"] = {(i, n) for i, n, _ in snap["entities"]}
    assert restored == full


def test_human_summary_and_bad_options(tmp_path: Path, capsys, inline_nlp) -> None:
    write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    assert main(["ingest", str(tmp_path / "in" / "ada.md"), "--db", str(db), "--embedder", "hashing"]) == 0
    out = capsys.readouterr()
    assert "Ingest summary" in out.out and "documents new" in out.out and "Time per stage" in out.out
    assert "committed batch 1: 1 documents (1 of 1)" in out.err  # plain progress lines when stderr is not a terminal
    assert main(["ingest", str(tmp_path / "in"), "--db", str(db), "--embedder", "bert"]) == 2
    assert "unknown embedder 'bert'; choose one of: hashing, minilm" in capsys.readouterr().err
    assert main(["ingest", str(tmp_path / "nothing-here"), "--db", str(db), "--embedder", "hashing"]) == 3


def test_pipeline_step_runs_ingest(tmp_path: Path, capsys, inline_nlp) -> None:
    write_corpus(tmp_path / "in")
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "g.kuzu"}"\n\n[[steps]]\nkind = "ingest"\n'
        f'paths = ["{tmp_path / "in"}"]\n'
        'embedder = "hashing"\ndocs_per_batch = 2\n'
    )
    assert main(["run", str(spec)]) == 0
    assert "Ingest summary" in capsys.readouterr().out
    spec.write_text(spec.read_text() + "colour = 1\n")
    assert main(["run", str(spec)]) == 2
    assert "unknown options ['colour']" in capsys.readouterr().err


def test_pipeline_step_maps_onto_a_schema(tmp_path: Path, capsys, inline_nlp) -> None:
    write_corpus(tmp_path / "in")
    (tmp_path / "s.toml").write_text('[[relations]]\nname = "birth"\naliases = ["born in"]\n')
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f'[store]\ndb = "{tmp_path / "g.kuzu"}"\n\n[[steps]]\nkind = "ingest"\npaths = ["{tmp_path / "in"}"]\n'
        'embedder = "hashing"\nschema = "s.toml"\nschema_mode = "strict"\n'
    )
    assert main(["run", str(spec)]) == 0
    assert "Schema mapping (strict" in capsys.readouterr().out
    query = "MATCH ()-[r:RELATION]->() RETURN DISTINCT r.predicate"
    assert main(["cypher", "--db", str(tmp_path / "g.kuzu"), query]) == 0
    assert capsys.readouterr().out.split().count("birth") == 1
    spec.write_text(spec.read_text().replace('schema_mode = "strict"', "schema_mode = 3"))
    assert main(["run", str(spec)]) == 2
    assert "`schema_mode` must be a string" in capsys.readouterr().err


_CLI = "import sys; from graphrag.cli import main; sys.exit(main(sys.argv[1:]))"


def _cli(db: Path, corpus: Path) -> list[str]:
    return [
        sys.executable,
        "-X",
        "faulthandler",  # SIGABRT dumps every thread's stack: what a hung run was waiting for
        "-c",
        _CLI,
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--embedder",
        "hashing",
        "--batch-docs",
        "4",
    ]


def _session_members(sid: int) -> list[int]:
    """Live processes of session ``sid`` (a process started with ``start_new_session`` and all it spawned)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while we looked
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # fields after the name: state, ppid, pgrp, session
            members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to find the process tree")
@pytest.mark.parametrize(
    ("sig", "to_group"),
    [(signal.SIGKILL, False), (signal.SIGTERM, False), (signal.SIGINT, True)],
    ids=["kill-9", "sigterm", "ctrl-c"],
)
def test_killing_an_ingest_leaves_no_process_of_its_tree(tmp_path: Path, sig: signal.Signals, to_group: bool) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(200)))
    proc = subprocess.Popen(
        _cli(tmp_path / "db.kuzu", corpus),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,
    )
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            if "committed batch 1:" in line:  # the NLP worker is up and busy
                break
        assert len(_session_members(proc.pid)) >= 2, "the ingest should have an NLP worker by now"
        if to_group:
            os.killpg(proc.pid, sig)  # Ctrl+C in a terminal reaches every process of the foreground group
        else:
            os.kill(proc.pid, sig)  # the ingest only, as the OOM killer or a closed terminal would
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGABRT)
            raise AssertionError(f"the ingest did not stop within 60 s; its threads:\n{proc.stderr.read()}") from None
        deadline = time.monotonic() + 10
        while _session_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _session_members(proc.pid) == [], "a process of the killed ingest outlived it by 10 s"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)


def test_an_ingest_killed_midway_resumes_to_exactly_the_clean_result(tmp_path: Path, inline_nlp) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(36)))
    db, clean = tmp_path / "killed.kuzu", tmp_path / "clean.kuzu"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen(
        _cli(db, corpus),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    lines = []
    try:
        for line in proc.stderr:  # type: ignore[union-attr]
            lines.append(line)
            if "committed batch 1: 4 documents (4 of 36)" in line:
                os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its NLP worker, mid-run
                break
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(lines)
    partial = snapshot(db)["stats"]["nodes"]["Document"]
    assert 4 <= partial < 36 and partial % 4 == 0, partial  # whole batches only, and not all of them
    resumed = subprocess.run([*_cli(db, corpus), "--json"], capture_output=True, text=True, env=env, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert (report["documents_unchanged"], report["documents_new"]) == (partial, 36 - partial)
    # the clean run for comparison runs in-process (same model and settings, no worker start-up)
    assert main(["ingest", str(corpus), "--db", str(clean), "--embedder", "hashing", "--batch-docs", "4"]) == 0
    a, b = snapshot(db), snapshot(clean)
    assert a["stats"] == b["stats"]
    assert a == b


def test_a_config_file_sets_store_and_ingest_settings(tmp_path: Path, capsys, inline_nlp) -> None:
    write_corpus(tmp_path / "in")
    cfg = tmp_path / "c.toml"
    cfg.write_text("[store]\nbuffer_pool_mb = 128\n\n[ingest]\ndocs_per_batch = 1\nbatch_kb = 0\n")
    code, report, _ = ingest_json(capsys, str(tmp_path / "in"), "--db", str(tmp_path / "g.kuzu"), "--config", str(cfg))
    assert code == 0 and report["batches"] == report["documents_new"] == 5  # one document a batch
    cfg.write_text("[store]\nbuffer_pool_mb = 'big'\n")
    assert main(["ingest", str(tmp_path / "in"), "--db", str(tmp_path / "h.kuzu"), "--config", str(cfg)]) == 2
    assert "[store] buffer_pool_mb" in capsys.readouterr().err
