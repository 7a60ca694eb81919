"""PII masking at ingest (``graphrag ingest --mask-pii``): each document's title and text are masked before they
are chunked, analysed, embedded or stored, so no stored row, embedding or extracted entity holds the originals.

Placeholders are typed (``[EMAIL_1]``, ``[PERSON_2]``; see :class:`~graphrag.privacy.PiiMasker`). With a vault key
(``GRAPHRAG_PII_KEY``, a Fernet key that ``graphrag unmask --new-key`` prints) the same value gets the same
placeholder in every document (a keyed hash) and the originals are sealed into a vault file beside the store
(``<db>.pii-vault.jsonl``: placeholder, kind, encrypted original), from which holders of the key can unmask
answers (``graphrag unmask``). Without a key nothing can be unmasked.

A record's title also names it in the document's source (``corpus.jsonl#Maria Lopez``), so the source keeps the
masked title; file names and paths are stored as given.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

from graphrag.errors import ConfigError
from graphrag.privacy import MaskedText, PiiMasker, PiiVault
from graphrag.types import Document

#: The version of the masking, part of every masked document's stored hash (masked and unmasked stores differ).
PII_VERSION = "pii1"


def vault_path(db: str | Path) -> Path:
    """Where the vault of the store at ``db`` lives."""
    return Path(f"{db}.pii-vault.jsonl")


def read_vault(path: Path) -> dict[str, str]:
    """``placeholder -> sealed original`` from a vault file (empty when there is none)."""
    sealed: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                sealed[row["placeholder"]] = row["sealed"]
    return sealed


def unmask(db: str | Path, text: str) -> str:
    """``text`` with the placeholders of the store at ``db`` replaced by their originals from its vault, with the
    key in ``GRAPHRAG_PII_KEY``; unknown placeholders stay as they are."""
    vault = PiiVault.from_env()
    if vault is None:
        raise ConfigError("set GRAPHRAG_PII_KEY to the key the store was ingested with to unmask")
    return vault.unmask(text, read_vault(vault_path(db)))


class PiiStage:
    """Masks documents one at a time; counts what it masked by kind and keeps the sealed originals to write.

    Args:
        masker: finds and replaces PII.
        vault: seals originals (``None``: nothing is kept).
        path: the vault file (needed with ``vault``).
    """

    def __init__(self, masker: PiiMasker, *, vault: PiiVault | None = None, path: Path | None = None) -> None:
        if vault is not None and path is None:
            raise ValueError("a vault needs a file to write to")
        self.masker = masker
        self.vault = vault
        self.path = path
        self.counts: Counter[str] = Counter()
        self._sealed: dict[str, tuple[str, str]] = {}
        self._known = read_vault(path) if path is not None else {}

    def apply(self, doc: Document) -> Document:
        """``doc`` with its title, text and record name masked."""
        title = " ".join(doc.title.split())
        joined = self.masker.mask(f"{title}\n{doc.text}")
        cut = joined.text.find("\n")
        if cut < 0 or any(s.start <= len(title) < s.end for s in joined.spans):  # a span over the seam: apart
            masked_title, masked_text = self.masker.mask(title), self.masker.mask(doc.text)
            self._keep(masked_title)
            self._keep(masked_text)
            new_title, new_text = masked_title.text, masked_text.text
        else:
            self._keep(joined)
            new_title, new_text = joined.text[:cut], joined.text[cut + 1 :]
        source = doc.source
        if doc.title and f"#{doc.title}" in source:
            source = source.replace(f"#{doc.title}", f"#{new_title}", 1)
        return replace(doc, title=new_title, text=new_text, source=source)

    def _keep(self, masked: MaskedText) -> None:
        self.counts.update(masked.counts)
        if self.vault is None:
            return
        kinds = {s.placeholder: s.kind for s in masked.spans}
        for placeholder, token in self.vault.seal_spans(masked).items():
            if placeholder not in self._known:
                self._sealed.setdefault(placeholder, (kinds.get(placeholder, ""), token))

    def flush(self) -> int:
        """Append the originals sealed since the last flush to the vault file; returns how many."""
        if not self._sealed or self.path is None:
            return 0
        with self.path.open("a", encoding="utf-8") as f:
            for placeholder, (kind, token) in self._sealed.items():
                f.write(json.dumps({"placeholder": placeholder, "kind": kind, "sealed": token}) + "\n")
                self._known[placeholder] = token
        n = len(self._sealed)
        self._sealed.clear()
        return n


__all__ = ["PII_VERSION", "PiiStage", "read_vault", "unmask", "vault_path"]
