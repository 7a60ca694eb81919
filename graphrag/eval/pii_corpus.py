"""The generated text of the PII masking benchmark (:mod:`graphrag.eval.pii_bench`): PII strings of six kinds and
distractors that must stay (their generators: :mod:`graphrag.eval.pii_values`), set in sentences from the templates
below and shuffled into documents, from ``random.Random(seed)`` alone (no external data). See :func:`generate`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from graphrag.eval.pii_values import DISTRACTORS, PII_GENERATORS, TITLES
from graphrag.privacy import ALL_KINDS


@dataclass(frozen=True, slots=True)
class Item:
    """One generated string in document ``doc``: a PII value (``pii``) of ``kind``, or a distractor of
    category ``kind``."""

    doc: int
    start: int
    end: int
    kind: str
    text: str
    pii: bool


@dataclass(frozen=True, slots=True)
class Corpus:
    """Generated documents and every PII value and distractor placed in them."""

    docs: tuple[str, ...]
    items: tuple[Item, ...]


# -- sentence templates: {pii} is the PII value, other slots are distractors, {title} an honorific -----------------
_PII_TEMPLATES: dict[str, tuple[str, ...]] = {
    "EMAIL": (
        "Please write to {pii} before {date}.", "Her work address is {pii}.",
        "Contact: {pii} (replies within {quantity}).",
        "Send the signed form to {pii} by {time} tomorrow.", "The ticket was filed from {pii} on {date}.",
        "Questions about the {price} refund go to {pii}, not to the sales team.", "<{pii}> wrote at {time}:",
        "You can unsubscribe {pii} from the list at any time.",
    ),
    "PHONE": (
        "Call {pii} between {time} and {time}.", "You can reach the front desk at {pii}.", "Tel: {pii}",
        "Her mobile number is {pii}, not the office line.", "For support dial {pii} (open since {year}).",
        "The courier tried {pii} twice on {date}.", "Fax {pii} or e-mail the scan.",
        "If the {price} charge looks wrong, phone {pii} within {quantity}.",
    ),
    "CARD": (
        "The card {pii} was charged {price} on {date}.", "Card number: {pii}, expiry {expiry}.",
        "Payment with {pii} failed twice.", "Please refund {price} to card {pii}.",
        "Customer paid by credit card ({pii}) for order {order}.", "{pii} is the card on file since {year}.",
        "The terminal read {pii} at {time}.",
    ),
    "IBAN": (
        "Transfer {price} to {pii} by {date}.", "Our bank account: {pii} (BIC DEUTDEFF).", "IBAN: {pii}",
        "Salary is paid into {pii} every month.", "Refunds go back to the account {pii} within {quantity}.",
        "Please update the payee IBAN to {pii} before {date}.", "The direct debit from {pii} bounced on {date}.",
    ),
    "IP": (
        "Login from {pii} at {time} was blocked.", "The server at {pii} runs {version}.",
        "Requests from {pii} rose {percent} in {year}.", "Allow {pii} in the firewall.",
        "Ping {pii} to check the link.", "The DNS record points to {pii} since {date}.",
        "Traffic from {pii} peaked at {time} on {date}.",
    ),
    "PERSON": (
        "{pii} signed the lease on {date}.", "The contract was countersigned by {pii} in {year}.",
        "Yesterday {pii} told reporters that sales rose {percent}.",
        "Please forward the file to {title} {pii} before {time}.",
        "According to {pii}, the budget of {price} is enough.", "{title} {pii} will lead the workshop on {date}.",
        "Meeting notes: {pii} and the team reviewed {version}.", "I spoke with {pii} about order {order}.",
        "Our new hire, {pii}, starts on {date}.", "Invoice {order} was approved by {pii}.",
        "The patient, {pii}, was admitted at {time}.", "Thanks to {pii} for the review.",
    ),
}  # fmt: skip
_DISTRACTOR_TEMPLATES: tuple[str, ...] = (
    "The meeting on {date} starts at {time}.", "Version {version} was released in {year}.",
    "Prices rose {percent} to {price}.", "Order {order} contains {quantity}.", "See ISBN {isbn} for details.",
    "The warehouse at {coordinates} stores {quantity}.", "Reference {bad_iban} was rejected on {date}.",
    "Packets addressed to {bad_ip} were dropped.", "The score was {number} after {quantity}.",
    "Between {year} and {year} revenue grew {percent}.", "Ticket {number} was closed at {time} on {date}.",
    "Shipment {order} left on {date} with {quantity}.", "The office opens at {time} and the fee is {price}.",
    "Upgrade to {version} before {date}.", "The card expires {expiry} and the limit is {price}.",
    "Population reached {number} in {year}, up {percent}.", "{org} opened an office in {place} in {year}.",
    "Shares of {org} fell {percent} on {date}.", "The flight to {place} leaves at {time}.",
    "A report by {org} puts the cost at {price}.", "We visited {place} and {place} in {year}.",
    "The contract with {org} runs until {date}.",
)  # fmt: skip


def _fill(template: str, values: dict[str, Callable[[], str]]) -> tuple[str, list[tuple[int, int, str, str]]]:
    """The sentence and the ``(start, end, slot, text)`` of each filled slot."""
    out, slots, pos = [], [], 0
    for m in re.finditer(r"\{(\w+)\}", template):
        out.append(template[pos : m.start()])
        text = values[m.group(1)]()
        start = sum(len(p) for p in out)
        out.append(text)
        slots.append((start, start + len(text), m.group(1), text))
        pos = m.end()
    out.append(template[pos:])
    return "".join(out), slots


def generate(n: int, seed: int) -> Corpus:
    """``n`` PII strings (evenly over the six kinds) and ``n // 2`` distractor sentences, in documents."""
    rng = random.Random(seed)
    sentences: list[tuple[str, list[tuple[int, int, str, str, bool]]]] = []
    fillers: dict[str, Callable[[], str]] = {k: partial(g, rng) for k, g in DISTRACTORS.items()}
    fillers["title"] = partial(rng.choice, TITLES)
    for i in range(n):
        kind = ALL_KINDS[i % len(ALL_KINDS)]
        text, slots = _fill(rng.choice(_PII_TEMPLATES[kind]), {**fillers, "pii": partial(PII_GENERATORS[kind], rng)})
        marks = [
            (s, e, kind if slot == "pii" else slot, t, slot == "pii") for s, e, slot, t in slots if slot != "title"
        ]
        sentences.append((text, marks))
    for _ in range(n // 2):
        text, slots = _fill(rng.choice(_DISTRACTOR_TEMPLATES), fillers)
        sentences.append((text, [(s, e, slot, t, False) for s, e, slot, t in slots]))
    rng.shuffle(sentences)
    docs: list[str] = []
    items: list[Item] = []
    pos = 0
    while pos < len(sentences):
        group = sentences[pos : pos + rng.randint(1, 4)]
        pos += len(group)
        offset, parts = 0, []
        for text, marks in group:
            items += [Item(len(docs), offset + s, offset + e, k, t, p) for s, e, k, t, p in marks]
            parts.append(text)
            offset += len(text) + 1
        docs.append(" ".join(parts))
    return Corpus(tuple(docs), tuple(items))


__all__ = ["Corpus", "Item", "generate"]
