"""A persistent cache of LLM extractions, keyed by chunk text and extractor version, so re-ingesting an
unchanged corpus (into the same store or a new one) asks the model nothing.

One SQLite file (``<db>.extract-cache.sqlite`` beside the store by default); values are JSON. Safe to share
between the threads of one process; a corrupt or unreadable file is an error naming it, never silently
replaced.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphrag.errors import StoreError
from graphrag.ids import content_hash


def cache_key(version: str, text: str) -> str:
    """The key of ``text`` extracted by the extractor at ``version``."""
    return content_hash(version, text)


class ExtractionCache:
    """Key -> JSON value, in SQLite at ``path`` (created with its folder)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(str(self.path), check_same_thread=False)
            self._db.execute("CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a usable extraction cache ({exc}); delete it to start afresh") from None

    def get_many(self, keys: Sequence[str]) -> dict[str, Any]:
        """The cached values of those ``keys`` that are cached."""
        found: dict[str, Any] = {}
        with self._lock:
            for start in range(0, len(keys), 500):
                part = list(keys[start : start + 500])
                marks = ",".join("?" * len(part))
                rows = self._db.execute(f"SELECT key, value FROM extraction WHERE key IN ({marks})", part)  # noqa: S608
                for key, value in rows:
                    found[key] = json.loads(value)
        return found

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` under ``key`` (committed at once, so an interrupted run keeps what it paid for)."""
        with self._lock:
            self._db.execute("INSERT OR REPLACE INTO extraction (key, value) VALUES (?, ?)", (key, json.dumps(value)))
            self._db.commit()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM extraction").fetchone()[0])

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._db.close()


__all__ = ["ExtractionCache", "cache_key"]
