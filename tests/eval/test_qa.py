"""``graphrag eval qa``: answer metrics, question files, the side-by-side run and its report, and the CLI on a
tiny real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphrag.cli import main
from graphrag.errors import InputError
from graphrag.eval.qa import QAItem, Reply, evaluate_qa, load_qa_items, markdown, write_report
from graphrag.eval.qa_metrics import (
    citation_scores,
    contains_answer,
    exact_match,
    is_abstention,
    normalize_answer,
    percentile,
    token_f1,
)


def test_squad_normalisation_exact_match_and_f1() -> None:
    assert normalize_answer("The  Beatles!") == "beatles"
    assert exact_match("the Beatles", ["Beatles"]) == 1.0
    assert exact_match("Yes.", ["yes"]) == 1.0 and exact_match("no", ["yes"]) == 0.0
    assert token_f1("20 March 851", ["20 March 851"]) == 1.0
    assert token_f1("March 851", ["20 March 851"]) == pytest.approx(0.8)
    assert token_f1("Paris", ["London", "Paris"]) == 1.0  # the best of several gold answers
    assert token_f1("", ["Paris"]) == 0.0 and token_f1("Rome", ["Paris"]) == 0.0


def test_containment_abstention_citations_and_percentiles() -> None:
    assert contains_answer(["He died on 20 March 851 in Tours."], ["20 March 851"])
    assert not contains_answer(["He died in 1851."], ["851"])  # whole words only
    assert is_abstention("Not found in the documents.") and is_abstention("I don't know") and is_abstention(" ")
    assert not is_abstention("Graz")
    assert citation_scores(["A", "B"], ["A", "C"]) == (0.5, 0.5)
    assert citation_scores([], ["A"]) == (0.0, 0.0)
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5 and percentile([], 95) == 0.0


def test_question_files_json_and_metaqa(tmp_path: Path) -> None:
    js = tmp_path / "q.json"
    js.write_text(json.dumps([{"id": "a", "question": "Who?", "answer": "Ann", "question_type": "bridge"}]))
    [item] = load_qa_items(js, {"a": ("Ann Page",)})
    assert item == QAItem("a", "Who?", ("Ann",), "bridge", ("Ann Page",))
    mq = tmp_path / "q.txt"
    mq.write_text("[Alien] was directed by who\tRidley Scott\nwhat films did [Tom Hanks] act in\tBig|Splash\n")
    items = load_qa_items(mq)
    assert items[0].question == "Alien was directed by who" and items[1].answers == ("Big", "Splash")
    bad = tmp_path / "bad.txt"
    bad.write_text("who directed Alien\n")
    with pytest.raises(InputError, match="bad.txt:1"):
        load_qa_items(bad)
    with pytest.raises(InputError, match='needs "question" and "answer"'):
        js.write_text(json.dumps([{"question": "Who?"}]))
        load_qa_items(js)


def test_answerers_side_by_side_with_types_citations_and_a_report(tmp_path: Path) -> None:
    items = [
        QAItem("1", "Where was Louis Ralph born?", ("Graz",), "bridge", ("Louis Ralph",)),
        QAItem("2", "When did Ermengarde die?", ("20 March 851",), "date", ("Ermengarde of Tours",)),
    ]
    replies = {
        ("Where was Louis Ralph born?", "good"): Reply("Graz", ("Louis Ralph",), ("He was born in Graz.",)),
        ("When did Ermengarde die?", "good"): Reply("March 851", ("Teutberga",), ("Nothing here.",)),
    }

    def ask(question: str, answerer: str) -> Reply:
        return replies.get((question, answerer), Reply("Not found in the documents."))

    reports = evaluate_qa(items, ["good", "shy"], ask)
    data = write_report(reports, tmp_path / "qa.json", question_file="q.json", db="g.kuzu", settings={})
    good, shy = data["answerers"]
    assert (good["exact_match"], good["f1"]) == (50.0, 90.0)
    assert good["by_type"]["bridge"]["f1"] == 100.0 and good["by_type"]["date"]["f1"] == 80.0
    assert good["cited_text_has_answer"] == 50.0  # the date answer's cited text does not hold it
    assert (good["citation_precision"], good["citation_recall"]) == (50.0, 50.0)
    assert (shy["f1"], shy["abstention_rate"], shy["cites_a_source"]) == (0.0, 100.0, 0.0)
    assert good["per_question"][1]["answer"] == "March 851"
    md = (tmp_path / "qa.md").read_text()
    assert "| good | 50.0 | 90.0 |" in md and "| answerer | bridge | date |" in md
    assert markdown(data) == md
    assert all(Path(p).is_file() for p in data.get("plots", []))


def test_eval_qa_cli_on_a_tiny_store(tmp_path: Path, capsys, tiny_graph_db) -> None:
    q = tmp_path / "q.json"
    q.write_text(json.dumps([
        {"id": "1", "question": "Where was Louis Ralph born?", "answer": "Graz", "question_type": "bridge"},
        {"id": "2", "question": "Who directed Our Emden?", "answer": "Louis Ralph", "question_type": "bridge"},
    ]))  # fmt: skip
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps({"1": ["Louis Ralph"], "2": ["Our Emden"]}))
    out = tmp_path / "r" / "qa.json"
    args = ["eval", "qa", "--db", str(tiny_graph_db), "--questions", str(q), "--gold", str(gold), "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "extractive: EM" in printed  # the default answerer
    data = json.loads(out.read_text())
    [reader] = data["answerers"]
    assert reader["answerer"] == "extractive" and reader["questions"] == 2
    assert reader["cites_a_source"] == 100.0  # every answer it gives cites its passage
    assert 0.0 <= reader["f1"] <= 100.0 and reader["latency_ms"]["p50"] > 0
    assert all(0.0 <= row["support"]["score"] <= 1.0 for row in reader["per_question"])
    assert out.with_suffix(".md").is_file()
    # --skip leaves out the first questions; --gnn off is recorded; a named checkpoint must exist
    assert main([*args, "--skip", "1", "--gnn", "off"]) == 0
    data = json.loads(out.read_text())
    assert data["answerers"][0]["questions"] == 1 and data["settings"]["gnn"] == "off"
    assert main([*args, "--gnn", str(tmp_path / "missing.pt")]) == 3


def test_absent_entity_questions_replace_the_names_asked_about() -> None:
    from graphrag.eval.absent import absent_entity_questions, invented_name

    items = [
        QAItem("1", "Who directed Our Emden?", ("Louis Ralph",), "bridge", ("Our Emden",)),
        QAItem("2", "Is it raining?", ("no",), "", ("Weather",)),  # names none of its titles: left out
    ]
    [absent] = absent_entity_questions(items, seed=3)
    assert absent.id == "absent-1" and "Our Emden" not in absent.question
    assert absent.question.startswith("Who directed ") and absent.answers == ("Not found in the documents",)
    assert absent_entity_questions(items, seed=3) == [absent]  # seeded
    import random

    name = invented_name(random.Random(0), 2)
    assert len(name.split()) == 2 and all(w[0].isupper() for w in name.split())


def test_the_report_puts_abstention_on_absent_entities_beside_each_answerer(tmp_path: Path) -> None:
    item = QAItem("1", "Who directed Our Emden?", ("Louis Ralph",), "bridge", ("Our Emden",))
    absent = QAItem("absent-1", "Who directed Zorbu Klai?", ("Not found in the documents",), "bridge", ())

    def ask(question: str, answerer: str) -> Reply:
        return Reply("Louis Ralph") if "Emden" in question else Reply("Not found in the documents.")

    data = write_report(
        evaluate_qa([item], ["x"], ask), tmp_path / "qa.json", question_file="q", db="g", settings={},
        absent=evaluate_qa([absent], ["x"], ask),
    )  # fmt: skip
    [x] = data["answerers"]
    assert x["absent_entities"]["abstention_rate"] == 100.0 and x["abstention_rate"] == 0.0
    assert "about entities not in the corpus" in (tmp_path / "qa.md").read_text()
