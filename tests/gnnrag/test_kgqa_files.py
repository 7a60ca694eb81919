"""The MetaQA question-file loader: parsing, topic entities, hop counts, masking, and clear errors."""

from __future__ import annotations

import pytest

from graphrag.errors import InputError
from graphrag.gnnrag.kgqa_files import hops_from_path, load_many, load_metaqa, mask_topics, parse_lines, topic_names


def test_parse_lines():
    ex = parse_lines(["what films did [Tom  Hanks] star in\tBig|Splash| Big\n", "\n"], source="f.txt", hops=1)
    assert len(ex) == 1
    assert ex[0].topics == ("Tom Hanks",)
    assert ex[0].answers == ("Big", "Splash")  # stripped and deduplicated, order kept
    assert ex[0].plain_question == "what films did Tom  Hanks star in"
    assert (ex[0].source, ex[0].line, ex[0].hops) == ("f.txt", 1, 1)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("no tab here", "no tab found"),
        ("q [X]\ta\tb", "more than one tab"),
        ("q [X]\t", "empty question or answer"),
        ("q without brackets\ta", "no topic entity"),
    ],
)
def test_bad_lines_name_file_and_line(line, message):
    with pytest.raises(InputError, match=rf"f.txt:2: .*{message}"):
        parse_lines(["ok [X]\ta", line], source="f.txt")


def test_load_files(tmp_path):
    d = tmp_path / "2-hop" / "vanilla"
    d.mkdir(parents=True)
    p = d / "qa_test.txt"
    p.write_text("who directed [A]\tB\nwho starred in [A]\tC|D\n", encoding="utf-8")
    assert [e.hops for e in load_metaqa(p)] == [2, 2]
    assert len(load_metaqa(p, limit=1)) == 1
    assert len(load_many([p, p])) == 4
    with pytest.raises(InputError, match="no such file"):
        load_metaqa(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(InputError, match="no questions"):
        load_metaqa(empty)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok [X]\ta\n\xff\xfe [Y]\tb\n")
    with pytest.raises(InputError, match=r"bad.txt:2: not valid UTF-8"):
        load_metaqa(bad)


def test_topics_hops_and_masking():
    assert topic_names("is [A] like [B] or [A]") == ("A", "B")
    assert hops_from_path("/x/3-hop/vanilla/qa_dev.txt") == 3
    assert hops_from_path("/x/questions.txt") is None
    assert mask_topics("what films did [Tom Hanks] star in") == "what films did it star in"
    assert mask_topics("[A] and [B]", "NE") == "NE and NE"
