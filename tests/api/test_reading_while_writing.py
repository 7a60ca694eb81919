"""Reading while another process writes (issue 17): a reader waits a bounded, configurable time for the lock,
then fails with one clear sentence -- never a traceback, never a hang."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from engine_code import ENGINE_IMPORT

from graphrag.api import GraphRAG
from graphrag.config import GraphRAGConfig, StoreConfig
from graphrag.errors import StoreLockedError

HOLD = (
    "import sys, time\n" + ENGINE_IMPORT + "\n"
    "for _ in range(int(sys.argv[2])):\n"
    "    db = kuzu.Database(sys.argv[1]); print('held', flush=True); time.sleep(float(sys.argv[3]))\n"
    "    del db; time.sleep(float(sys.argv[4]))\n"
)


def hold(db: Path, times: int = 1, held_s: float = 60.0, free_s: float = 0.0) -> subprocess.Popen:
    """A process that opens the database for writing ``times`` times, ``held_s`` each, ``free_s`` apart."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(times), str(held_s), str(free_s)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def rag(db: Path, wait_s: float) -> GraphRAG:
    return GraphRAG(db, config=GraphRAGConfig(store=StoreConfig(lock_wait_s=wait_s)))


def test_a_reader_waits_for_a_short_write_then_reads(tiny_db: Path) -> None:
    writer = hold(tiny_db, held_s=1.0)
    try:
        t0 = time.monotonic()
        stats = rag(tiny_db, wait_s=20.0).stats()  # the lock is released after ~1 s: the read goes through
        assert stats["nodes"]["Document"] == 3 and time.monotonic() - t0 < 15
    finally:
        writer.kill()
        writer.wait()


def test_a_reader_gives_up_after_its_wait_with_one_clear_error(tiny_db: Path) -> None:
    writer = hold(tiny_db)
    try:
        t0 = time.monotonic()
        try:
            rag(tiny_db, wait_s=0.6).cypher("MATCH (d:Document) RETURN count(*)")
        except StoreLockedError as exc:
            waited = time.monotonic() - t0
            assert "locked by another process" in str(exc) and "\n" not in str(exc)
        else:
            raise AssertionError("the read should not get through while the database is held")
        assert 0.5 <= waited < 5.0
    finally:
        writer.kill()
        writer.wait()


def test_readers_during_repeated_writes_never_crash(tiny_db: Path) -> None:
    """100 reads while another process keeps taking and releasing the write lock: each one either reads or
    says the database is locked."""
    writer = hold(tiny_db, times=1000, held_s=0.05, free_s=0.05)
    outcomes = {"read": 0, "locked": 0}
    try:
        for k in range(100):
            graph = rag(tiny_db, wait_s=0.0 if k % 2 else 0.2)
            try:
                graph.stats() if k % 3 else graph.cypher("MATCH (e:Entity) RETURN count(*)")
                outcomes["read"] += 1
            except StoreLockedError:
                outcomes["locked"] += 1
    finally:
        writer.kill()
        writer.wait()
    assert sum(outcomes.values()) == 100 and outcomes["read"] > 0


def test_the_cli_says_locked_in_one_sentence_with_its_exit_code(tiny_db: Path, tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[store]\nlock_wait_s = 0.5\n")
    writer = hold(tiny_db)
    try:
        cli = [sys.executable, "-m", "graphrag", "ask", "Who is Ada?", "--db", str(tiny_db), "--llm", "none",
               "--config", str(config)]  # fmt: skip
        done = subprocess.run(cli, capture_output=True, text=True, timeout=120)
    finally:
        writer.kill()
        writer.wait()
    assert done.returncode == 5, done.stderr
    assert "locked by another process" in done.stderr and "Traceback" not in done.stderr


def test_last_changed_follows_writes(tiny_db: Path) -> None:
    graph = rag(tiny_db, wait_s=0.0)
    before = graph.last_changed()
    assert before is not None and GraphRAG(tiny_db.parent / "none.kuzu").last_changed() is None
    time.sleep(0.05)
    graph.write_cypher("CREATE (:Entity {id: 'e-new', name: 'New', type: 'X', aliases: []})")
    assert graph.last_changed() > before


def test_a_writer_finishing_its_checkpoint_reads_as_locked_then_goes_through(tiny_db: Path, monkeypatch) -> None:
    """Kuzu releases the lock a moment before it removes a checkpoint's shadow pages; a read-only opening in that
    moment fails. It is a short wait like a lock, not a broken database."""
    from graphrag.store.engines import default_engine, engine_module

    kuzu = engine_module(default_engine())
    real, failures = kuzu.Database, [2]

    def database(path: str, **kwargs: object) -> object:
        if kwargs.get("read_only") and failures[0] > 0:
            failures[0] -= 1
            raise RuntimeError("Runtime exception: Couldn't replay shadow pages under read-only mode. Please re-open")
        return real(path, **kwargs)

    monkeypatch.setattr(kuzu, "Database", database)
    assert rag(tiny_db, wait_s=5.0).stats()["nodes"]["Document"] == 3 and failures == [0]
    failures[0] = 1
    try:
        rag(tiny_db, wait_s=0.0).stats()
    except StoreLockedError as exc:
        assert "just finishing" in str(exc) and "cypher --write" in str(exc)
    else:
        raise AssertionError("a reader that may not wait should be told the database is busy")
