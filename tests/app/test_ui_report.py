"""Reading evaluation reports into headline metrics, tables and charts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphrag.errors import InputError

pytestmark = pytest.mark.usefixtures("app_modules_on_path")


def test_layout_of_a_nested_report() -> None:
    from ui_report import layout

    report = {
        "kind": "retrieval",
        "questions": 800,
        "systems": {
            "bm25": {"recall@2": 0.55, "recall@5": 0.65},
            "hybrid": {"recall@2": 0.7, "recall@5": 0.85},
        },
        "latency_ms": {"p50": 12.0, "p95": 40.0},
        "per_question": [{"id": "q1", "hit": True, "titles": ["A", "B"]}],
        "command": "graphrag eval retrieval ...",
        "notes": "x" * 200,
    }
    lay = layout(report)
    assert lay.title == "retrieval"
    assert lay.headline["questions"] == 800 and lay.headline["latency_ms.p95"] == 40.0
    assert lay.charts["systems"] == {"bm25": {"recall@2": 0.55, "recall@5": 0.65},
                                     "hybrid": {"recall@2": 0.7, "recall@5": 0.85}}  # fmt: skip
    assert lay.tables["systems"][1] == {"": "hybrid", "recall@2": 0.7, "recall@5": 0.85}
    assert lay.charts["latency_ms"] == {"latency_ms": {"p50": 12.0, "p95": 40.0}}
    assert lay.tables["per_question"] == [{"id": "q1", "hit": True, "titles": '["A", "B"]'}]
    assert lay.notes == {"notes": "x" * 200}


def test_load_report_errors_name_the_file(tmp_path: Path) -> None:
    from ui_report import load_report

    bad = tmp_path / "r.json"
    bad.write_text('{"a": 1,\n oops}')
    with pytest.raises(InputError, match=r"r\.json:2: not a JSON report"):
        load_report(bad)
    (tmp_path / "list.json").write_text("[1, 2]")
    with pytest.raises(InputError, match="a report is a JSON object"):
        load_report(tmp_path / "list.json")
    with pytest.raises(InputError, match="no such report file"):
        load_report(tmp_path / "missing.json")
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"hits@1": 0.9}))
    assert load_report(good) == {"hits@1": 0.9}


def test_find_reports_and_images_beside(tmp_path: Path) -> None:
    from ui_report import find_reports, images_beside

    (tmp_path / "reports").mkdir()
    a = tmp_path / "reports" / "kgqa.json"
    a.write_text("{}")
    b = tmp_path / "sub" / "retrieval_report.json"
    b.parent.mkdir()
    b.write_text("{}")
    (tmp_path / "sub" / "config.json").write_text("{}")  # not a report
    assert set(find_reports(tmp_path)) == {a, b}
    (tmp_path / "reports" / "kgqa_hops.png").write_bytes(b"png")
    (tmp_path / "reports" / "other.png").write_bytes(b"png")
    assert [p.name for p in images_beside(a)] == ["kgqa_hops.png"]
    assert [p.name for p in images_beside(b)] == []
    assert find_reports(tmp_path / "absent") == []
