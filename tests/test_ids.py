from graphrag.ids import chunk_id, content_hash, document_id, entity_id, normalise_name


def test_ids_are_stable_and_distinct():
    assert entity_id("Sherlock Holmes") == entity_id("Sherlock  Holmes ")
    assert entity_id("Tina Fey") != entity_id("tina fey")  # MetaQA keeps case-distinct entities
    assert document_id("a.txt") != document_id("b.txt")
    assert chunk_id("d1", 0, "x") != chunk_id("d1", 1, "x")
    assert normalise_name("  a \n b ") == "a b"


def test_content_hash_is_unambiguous():
    assert content_hash("ab", "c") != content_hash("a", "bc")
    assert len(content_hash("x", size=8)) == 16
