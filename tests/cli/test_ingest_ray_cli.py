"""``graphrag ingest --ray [--ray-address ADDRESS]`` and the ingest step's ``engine = "ray"`` without a cluster: a
bad address is one sentence and exit code 8 before the store is touched, and a local ingest never imports Ray. (Runs
on a cluster: tests/extract/test_ray_compute.py.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from extract.helpers import write_corpus

from graphrag.cli import main

pytest.importorskip("ray")


def test_an_unreachable_or_malformed_address_is_one_sentence_and_exit_8(tmp_path: Path, capsys) -> None:
    files = write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    for address, message in (
        ("127.0.0.1:1", "cannot reach a Ray cluster at 127.0.0.1:1 (Connection refused); start one with"),
        ("no-port", "'no-port' is not a Ray cluster address: give auto, HOST:PORT or ray://HOST:PORT"),
    ):
        code = main(["ingest", str(files["ada"]), "--db", str(db), "--embedder", "hashing", "--ray-address", address])
        err = " ".join(capsys.readouterr().err.split())
        assert code == 8 and message in err and "Traceback" not in err
        assert not db.exists()  # refused before the store was opened
    config = tmp_path / "ray.toml"  # the same from a --config file's [ingest] engine and [ingest.ray]
    config.write_text('[ingest]\nengine = "ray"\n\n[ingest.ray]\naddress = "127.0.0.1:1"\nworkers = 3\n')
    assert main(["ingest", str(files["ada"]), "--db", str(db), "--embedder", "hashing", "--config", str(config)]) == 8
    assert "cannot reach a Ray cluster at 127.0.0.1:1" in capsys.readouterr().err


def test_the_ingest_step_takes_engine_ray_and_checks_its_options(tmp_path: Path, capsys) -> None:
    write_corpus(tmp_path / "in")
    spec = tmp_path / "spec.toml"
    head = f'[store]\ndb = "{tmp_path / "g.kuzu"}"\n\n[[steps]]\nkind = "ingest"\npaths = ["{tmp_path / "in"}"]\n'
    for options, code, message in (
        ('engine = "ray"\nray_address = "127.0.0.1:1"\nray_workers = 2\n', 8, "cannot reach a Ray cluster"),
        ('engine = "spark"\n', 2, "unknown ingest engine 'spark'; choose one of: local, ray"),
        ('engine = "ray"\nray_workers = 0\n', 2, "`ray_workers` must be a positive integer"),
        ('ray_address = "auto"\n', 2, 'need engine = "ray"'),
    ):
        spec.write_text(head + 'embedder = "hashing"\n' + options)
        assert main(["run", str(spec)]) == code
        assert message in " ".join(capsys.readouterr().err.split())


def test_a_local_ingest_does_not_import_ray(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "in")
    code = textwrap.dedent(f"""
        import sys
        from graphrag.embed import HashingEmbedder
        from graphrag.extract.ingest import ingest
        report = ingest([{str(files["ada"])!r}], db={str(tmp_path / "g.kuzu")!r}, embedder=HashingEmbedder(),
                        separate_process=False)
        assert report.documents_new == 1, report
        assert "ray" not in sys.modules, "a local ingest imported ray"
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.skipif(os.environ.get("GRAPHRAG_ENGINE") == "ladybug", reason="the cluster side only: the Kuzu pass")
def test_ingest_ray_starts_a_local_cluster_and_leaves_the_process_as_it_was(tmp_path: Path) -> None:
    files = write_corpus(tmp_path / "in")
    code = textwrap.dedent(f"""
        import os, signal
        import ray
        from graphrag.cli import main
        env, term = dict(os.environ), signal.getsignal(signal.SIGTERM)
        code = main(["ingest", {str(files["kings"])!r}, "--db", {str(tmp_path / "g.kuzu")!r}, "--embedder", "hashing",
                     "--json", "--ray", "--ray-workers", "1"])
        assert code == 0, code
        assert not ray.is_initialized(), "the local cluster is still up"
        assert dict(os.environ) == env and signal.getsignal(signal.SIGTERM) == term, "ray.init left state behind"
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout[done.stdout.index("{"):])
    assert report["documents_new"] == 3 and report["timings_s"]["ray_start"] > 0
