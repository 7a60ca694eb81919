"""graphrag.api.store_access: opened per block, released after, generation bumped by any write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from engine_code import ENGINE_IMPORT

from graphrag.api.store_access import StoreAccess, StoreProxy
from graphrag.errors import StoreError, StoreLockedError
from graphrag.store import KuzuGraphStore


def _writer_can_open(path: Path) -> bool:
    """Whether another process can open the database for writing right now."""
    code = "import sys; " + ENGINE_IMPORT + "; kuzu.Database(sys.argv[1]); print('ok')"
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    return out.stdout.strip() == "ok"


def test_read_opens_read_only_and_releases_after_the_block(tiny_db: Path) -> None:

    shared = StoreAccess(tiny_db)
    with shared.read() as store:
        assert store.read_only
        with shared.read() as inner:  # nested blocks share the opening
            assert inner is store
        assert not _writer_can_open(tiny_db)  # held while in the block
    assert _writer_can_open(tiny_db)  # released after it


def test_generation_changes_on_writes_here_and_elsewhere(tiny_db: Path) -> None:

    shared = StoreAccess(tiny_db)
    g0 = shared.refresh()
    assert shared.refresh() == g0  # reading changes nothing
    with shared.read():
        pass
    assert shared.refresh() == g0
    with shared.write() as store:
        store.set_meta("note", "written by the app")
    g1 = shared.refresh()
    assert g1 > g0
    code = "import sys; from graphrag.store import KuzuGraphStore as S; S(sys.argv[1]).set_meta('note', 'other')"
    subprocess.run([sys.executable, "-c", code, str(tiny_db)], check=True, timeout=60)
    assert shared.refresh() > g1
    with shared.read() as store:
        assert store.meta()["note"] == "other"


def test_write_inside_read_is_refused_and_exclusive_hands_the_path_over(tiny_db: Path) -> None:

    shared = StoreAccess(tiny_db)
    with shared.read(), pytest.raises(StoreError, match="while the same caller is reading"), shared.write():
        pass
    with shared.exclusive() as path:
        assert path == tiny_db
        with KuzuGraphStore(path) as store:  # the app holds nothing: the caller can open it for writing
            store.set_meta("k", "v")


def test_read_on_demand_opens_only_when_something_inside_reads(tiny_db: Path) -> None:
    opened: list[dict] = []

    def opener(path: Path, **options: object) -> KuzuGraphStore:
        opened.append(options)
        return KuzuGraphStore(path, **options)  # type: ignore[arg-type]

    shared = StoreAccess(tiny_db, opener=opener)
    g0 = shared.refresh()
    code = "import sys; from graphrag.store import KuzuGraphStore as S; S(sys.argv[1]).set_meta('note', 'other')"
    subprocess.run([sys.executable, "-c", code, str(tiny_db)], check=True, timeout=60)
    with shared.read_on_demand():
        assert shared.generation > g0 and opened == []  # the other process's write is noticed; nothing opened
        assert _writer_can_open(tiny_db)
    with shared.read_on_demand():
        with shared.read() as first:
            assert first.meta()["note"] == "other"
        with shared.read() as again:
            assert again is first  # the opening lasts until the on-demand block ends
        assert opened == [{"read_only": True}] and not _writer_can_open(tiny_db)
        with pytest.raises(StoreError, match="while the same caller is reading"), shared.write():
            pass
    assert _writer_can_open(tiny_db)


def test_proxy_reads_through_short_openings(tiny_db: Path) -> None:
    from graphrag.api.store_access import StoreAccess

    shared = StoreAccess(tiny_db)
    proxy = StoreProxy(shared)
    assert proxy.stats()["nodes"]["Entity"] == 5
    assert proxy.embedding_dim == 384
    assert _writer_can_open(tiny_db)
    with pytest.raises(StoreError, match="read-only"):
        proxy.transaction()


def test_missing_and_locked_databases_raise_clear_errors(tiny_db: Path, tmp_path: Path) -> None:

    missing = StoreAccess(tmp_path / "nothing.kuzu")
    assert not missing.exists()
    with pytest.raises(StoreError, match="no database"), missing.read():
        pass
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; " + ENGINE_IMPORT
         + "; db = kuzu.Database(sys.argv[1]); print('held', flush=True); time.sleep(60)",
         str(tiny_db)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLockedError, match="locked by another process"), StoreAccess(tiny_db).read():
            pass
    finally:
        holder.kill()
        holder.wait()
