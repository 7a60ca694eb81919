"""The ingest pipeline's progress drawn as one bar per stage."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("app_modules_on_path")


class _Bar:
    def __init__(self, log: list, name: int) -> None:
        self.log, self.name = log, name

    def progress(self, value: float, text: str) -> None:
        self.log.append((self.name, round(value, 3), text))

    def caption(self, text: str) -> None:
        self.log.append(("notes", text))


class _Container:
    """Records what the progress object draws, in order."""

    def __init__(self) -> None:
        self.log: list = []
        self.n = 0

    def empty(self) -> _Bar:
        return _Bar(self.log, -1)

    def progress(self, value: float, text: str) -> _Bar:
        self.n += 1
        bar = _Bar(self.log, self.n)
        bar.progress(value, text)
        return bar


def test_bars_per_stage_notes_and_close() -> None:
    from ui_progress import StreamlitProgress

    box = _Container()
    p = StreamlitProgress(box)
    p.stage("read", 2)
    p.advance("read")
    p.stage("load", 4)
    p.advance("load", 3)
    p.advance("unknown")  # a stage never announced is ignored
    p.note("committed batch 1/1")
    assert (1, 0.5, "read: 1/2") in box.log and (2, 0.75, "load: 3/4") in box.log
    assert ("notes", "committed batch 1/1") in box.log
    p.close()
    assert box.log[-2:] == [(1, 1.0, "read: 2/2"), (2, 1.0, "load: 4/4")]
    p.stage("empty", 0)
    assert box.log[-1] == (3, 1.0, "empty: 0/0")
