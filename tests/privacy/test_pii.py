"""PII finding and masking: every kind on tiny strings, the ordinary numbers that must stay, overlaps, placeholders,
a property test over arbitrary text, one run of the real spaCy person finder, and the benchmark's generator."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphrag.privacy import (
    ALL_KINDS,
    PLACEHOLDER_RE,
    MaskedText,
    PiiMasker,
    spacy_person_finder,
)
from graphrag.privacy.pii_patterns import card_ok, iban_ok, luhn_ok


def capitalised_pairs(text: str) -> list[tuple[int, int]]:
    """A fake person finder: two capitalised words in a row."""
    return [m.span() for m in re.finditer(r"\b[A-Z][a-z]+ [A-Z][a-z]+\b", text)]


def kinds_of(masked: MaskedText) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in masked.spans]


POSITIVES = {
    "EMAIL": ["john.smith@example.com", "J.O'Brien@Mail.Example.CO.UK", "sales+eu@shop-1.io", "josé@correo.es"],
    "PHONE": [
        "+44 20 7946 0958", "+1-202-555-0143", "+1 (202) 555-0143", "(202) 555-0143", "202-555-0143",
        "202.555.0143", "0044 20 7946 0958", "+44 (0)20 7946 0958", "+442079460958", "+33 6 12 34 56 78",
        "020 7946 0958", "1-800-555-0199", "(555) 123-4567", "(03) 1234-5678", "+7 495 123-45-67",
    ],
    "CARD": [
        "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111", "3782 822463 10005", "5555555555554444",
        "6011 1111 1111 1117", "3056 930902 5904", "4222222222222",
    ],
    "IBAN": [
        "DE89 3704 0044 0532 0130 00", "DE89370400440532013000", "GB82 WEST 1234 5698 7654 32",
        "NL91ABNA0417164300", "FR14 2004 1010 0505 0001 3M02 606", "NO93 8601 1117 947",
    ],
    "IP": [
        "192.168.1.1", "8.8.8.8", "2001:db8::1", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.1",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    ],
}  # fmt: skip


@pytest.mark.parametrize(("kind", "value"), [(k, v) for k, vs in POSITIVES.items() for v in vs])
def test_each_kind_is_found_whole_and_masked(kind: str, value: str) -> None:
    masked = PiiMasker().mask(f"Details: {value}. Thanks")
    assert kinds_of(masked) == [(kind, value)]
    assert masked.text == f"Details: [{kind}_1]. Thanks"


NEGATIVES = [
    "12 March 1999", "March 12, 1999", "1999-03-12", "03/12/1999", "12.03.1999", "12-03-1999",
    "2024-03-12T14:30:00Z", "in 1999", "the 1990s", "2010-2015", "14:30", "12:30:45", "9:05 am", "$1,299.99",
    "€45", "1 250 000 EUR", "12.5%", "+3.5%", "v2.3.1", "3.11.4", "version 1.2.3.4", "section 2.1.1.3",
    "1234567890", "3.14159265358979", "4111 1111 1111 1112", "4000123412341235", "DE89 3704 0044 0532 0130 01",
    "999.1.1.1", "256.1.1.1", "ISBN 978-3-16-148410-0", "ISBN 0-306-40615-2", "00:1A:2B:3C:4D:5E", "a::b",
    "std::vector", "10 000 000", "202 555 0143", "555-0143", "1.3.6.1.4.1", "52.5200, 13.4050", "score 3-1",
    "90210", "05 12 2023 14:30", "01 02 2023 12 30", "expiry 09/27", "1234 5678 9012 3456",
]  # fmt: skip


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_numbers_dates_and_versions_stay(text: str) -> None:
    masked = PiiMasker(person_finder=lambda t: []).mask(f"On {text} we met.")
    assert masked.spans == ()
    assert masked.text == f"On {text} we met."


def test_a_card_is_never_cut_out_of_a_longer_number() -> None:
    masker = PiiMasker()
    assert masker.find("id 94111111111111111 and 41111111111111110000") == []
    # a card-shaped slice of a longer grouped number (a bad IBAN's tail, a 19-digit order number) stays
    assert masker.find("ref PL97 6087 8913 6453 8344 9487 8854 / order 3708 3426 5258 3974 444") == []


def test_a_bad_iban_hides_no_card_or_phone_in_its_tail() -> None:
    # "0064 4703 4605 06" alone would read as a phone number with the 00 prefix
    assert PiiMasker().find("Reference GB72 XAYQ 0064 4703 4605 06 was rejected") == []


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("(+44 20 7946 0958)", "PHONE", "+44 20 7946 0958"),
        ("'a.b@x.org'", "EMAIL", "a.b@x.org"),
        ("fe80::1ff:fe23:4567:890a: next", "IP", "fe80::1ff:fe23:4567:890a"),
        ("::ffff:192.0.2.1: next", "IP", "::ffff:192.0.2.1"),
        ("4111\u00a01111\u00a01111\u00a01111", "CARD", "4111\u00a01111\u00a01111\u00a01111"),
        ("202\u2011555\u20110143", "PHONE", "202\u2011555\u20110143"),
        ("Tel: (933) 241-4791 3712 516114 53036", "CARD", "3712 516114 53036"),
        ("IBAN: FR7630006000011234567890189 4111 1111 1111 1111", "CARD", "4111 1111 1111 1111"),
    ],
)
def test_values_in_brackets_quotes_and_odd_company(text: str, kind: str, value: str) -> None:
    assert (kind, value) in kinds_of(PiiMasker().mask(text))


def test_validators() -> None:
    assert luhn_ok("79927398713") and not luhn_ok("79927398710")
    assert card_ok(["4111", "1111", "1111", "1111"]) and not card_ok(["4111", "111", "11111", "1111"])
    assert not card_ok(["1234567812345670"])  # Luhn-valid, but no issuer starts with 1
    assert iban_ok("GB82WEST12345698765432") and iban_ok("gb82west12345698765432")
    assert not iban_ok("GB82WEST1234569876543")  # one character short for GB
    assert not iban_ok("XX82WEST12345698765432")


def test_longest_span_wins_and_pattern_kinds_beat_persons() -> None:
    def finder(text: str) -> list[tuple[int, int]]:
        local = text.index("john.smith")
        return [(local, local + len("john.smith")), (0, text.index(" at"))]  # a local part; a whole name

    masked = PiiMasker(person_finder=finder).mask("Anna Nowak at john.smith@example.com")
    assert kinds_of(masked) == [("PERSON", "Anna Nowak"), ("EMAIL", "john.smith@example.com")]
    assert masked.text == "[PERSON_1] at [EMAIL_1]"


def test_a_person_span_over_a_pattern_span_is_cut_back() -> None:
    text = "Mail Anna Nowak anna@x.org today"
    masked = PiiMasker(person_finder=lambda t: [(5, len(t) - 6)]).mask(text)
    assert kinds_of(masked) == [("PERSON", "Anna Nowak"), ("EMAIL", "anna@x.org")]


def test_persons_need_a_finder_and_the_kind() -> None:
    text = "Anna Nowak wrote to a@b.org"
    assert kinds_of(PiiMasker().mask(text)) == [("EMAIL", "a@b.org")]
    masker = PiiMasker(kinds=["EMAIL"], person_finder=capitalised_pairs)
    assert kinds_of(masker.mask(text)) == [("EMAIL", "a@b.org")]
    masker = PiiMasker(kinds=["PERSON"], person_finder=capitalised_pairs)
    assert kinds_of(masker.mask(text)) == [("PERSON", "Anna Nowak")]


def test_unknown_kinds_and_empty_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown PII kinds \\['SSN'\\]"):
        PiiMasker(kinds=["EMAIL", "SSN"])
    with pytest.raises(ValueError, match="placeholder_key is empty"):
        PiiMasker(placeholder_key=b"")


def test_finder_spans_are_clamped_and_trimmed() -> None:
    masked = PiiMasker(person_finder=lambda t: [(-5, 11), (30, 99), (12, 12)]).mask(" Anna Nowak, hi.")
    assert kinds_of(masked) == [("PERSON", "Anna Nowak")]


def test_a_value_found_once_is_masked_wherever_it_stands_as_a_word() -> None:
    text = "Anna Nowak called. Later Anna Nowak left; Anna Nowakowska stayed."
    masked = PiiMasker(person_finder=lambda t: [(0, 10)]).mask(text)
    assert masked.text == "[PERSON_1] called. Later [PERSON_1] left; Anna Nowakowska stayed."


def test_placeholders_are_numbered_per_kind_and_shared_by_equal_values() -> None:
    text = "a@x.io, B@X.IO, a@x.io; +44 20 7946 0958 or 0044 20 7946 0958; 10.0.0.1 and 2001:db8::1"
    masked = PiiMasker().mask(text)
    assert masked.text == "[EMAIL_1], [EMAIL_2], [EMAIL_1]; [PHONE_1] or [PHONE_1]; [IP_1] and [IP_2]"
    assert masked.counts == {"EMAIL": 3, "PHONE": 2, "IP": 2}
    assert all(PLACEHOLDER_RE.fullmatch(s.placeholder) for s in masked.spans)
    spellings = PiiMasker().mask("2001:DB8:0:0::1 and 2001:db8::1").text
    assert spellings == "[IP_1] and [IP_1]"


def test_numbering_starts_again_in_each_call() -> None:
    masker = PiiMasker()
    assert masker.mask("b@x.io").text == "[EMAIL_1]"
    assert masker.mask("c@x.io").text == "[EMAIL_1]"


def test_keyed_placeholders_are_stable_across_texts_and_keys_differ() -> None:
    one, other = PiiMasker(placeholder_key=b"k1"), PiiMasker(placeholder_key=b"k2")
    first = one.mask("Write to a@x.io now.")
    second = one.mask("Also A@X.io and b@x.io")
    ph = first.spans[0].placeholder
    assert re.fullmatch(r"\[EMAIL_[0-9a-f]{8}\]", ph)
    assert second.spans[0].placeholder == ph and second.spans[1].placeholder != ph
    assert other.mask("Write to a@x.io now.").spans[0].placeholder != ph
    assert "a@x.io" not in first.text and PLACEHOLDER_RE.search(first.text)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_mask_never_raises_on_arbitrary_text(text: str) -> None:
    masked = PiiMasker(person_finder=capitalised_pairs).mask(text)
    assert len(PLACEHOLDER_RE.findall(masked.text)) >= len(masked.spans)


_SAMPLES = [v for vs in POSITIVES.values() for v in vs] + NEGATIVES
_PIECES = st.one_of(
    st.sampled_from(_SAMPLES),
    st.sampled_from([" ", ", ", ". ", "\n", "(", ")", ":", "-", "/", "+", "@", "x", "Anna Nowak"]),
    st.text(alphabet="0123456789 .-:abcdefABCDEF@+", max_size=12),
)


def _standalone(needle: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(needle)}(?!\w)", text) is not None


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_masked_text_keeps_no_found_value(text: str) -> None:
    masker = PiiMasker(person_finder=capitalised_pairs)
    masked = masker.mask(text)
    for span in masked.spans:
        assert text[span.start : span.end] == span.text
        if span.kind != "PERSON":
            assert not _standalone(span.text, masked.text), (span, masked.text)
    starts = [s.start for s in masked.spans]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in zip(masked.spans, masked.spans[1:], strict=False))


def test_the_spacy_person_finder(spacy_analyzer) -> None:  # noqa: ANN001 - the session fixture
    masker = PiiMasker(person_finder=spacy_person_finder(spacy_analyzer.nlp))
    text = (
        "Dr. Anna Kowalski met John Smith in Berlin on 12 March 1999. Salary is paid monthly. "
        "Write to John Smith at john.smith@example.com or call +44 20 7946 0958."
    )
    masked = masker.mask(text)
    assert masked.text == (
        "Dr. [PERSON_1] met [PERSON_2] in Berlin on 12 March 1999. Salary is paid monthly. "
        "Write to [PERSON_2] at [EMAIL_1] or call [PHONE_1]."
    )


def test_the_benchmark_generator_places_what_it_records() -> None:
    from graphrag.eval.pii_bench import generate, score  # generate: re-exported from pii_corpus

    corpus = generate(60, seed=3)
    assert corpus == generate(60, seed=3)
    assert sum(i.pii for i in corpus.items) == 60
    assert {i.kind for i in corpus.items if i.pii} == set(ALL_KINDS)
    for item in corpus.items:
        assert corpus.docs[item.doc][item.start : item.end] == item.text
    masker = PiiMasker()  # no person finder: every pattern kind found, no person
    report = score(corpus, [masker.mask(d) for d in corpus.docs])
    assert report["recall"]["PERSON"] == 0.0
    assert all(r == 1.0 for k, r in report["recall"].items() if k != "PERSON")
    assert report["distractors_masked"] == 0
