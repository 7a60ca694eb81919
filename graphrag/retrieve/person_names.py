"""The other ways a person's full name is written, so a text that says "Charlie Day" or "R. G. Springsteen"
finds the passage about *Charles Peckham Day* or *Robert G. Springsteen*.

Only the common patterns of English-language writing about people: titles and post-nominal letters dropped,
middle names dropped or shortened to initials, a quoted or bracketed nickname used as the first name, and the
usual short forms of common English first names. Every variant keeps the surname, so a variant names the same
person far more often than not; callers let an exact name win over a variant.
"""

from __future__ import annotations

import re

_SUFFIX = re.compile(r",\s.*$|\s+(?:n[ée]e|Jr\.?|Sr\.?)\b.*$")
_NICKNAME = re.compile(r"""["“(]\s*([A-Z][\w.'-]*)\s*["”)]""")
_HONORIFICS = frozenset({"sir", "dame", "lord", "lady", "dr", "dr.", "don", "doña", "rev", "rev."})
_POST_NOMINAL = re.compile(r"^[A-Z]{2,5}$")
_PARTICLES = frozenset(
    {"de", "da", "di", "del", "della", "du", "des", "la", "le", "van", "von", "der", "den", "bin", "ibn"}
)

# The usual short forms of common English first names (a name's own list, most common first).
_SHORT_FORMS = {
    "alexander": ("Alex",), "alfred": ("Fred", "Alf"), "andrew": ("Andy", "Drew"), "anthony": ("Tony",),
    "albert": ("Bert", "Al"), "benjamin": ("Ben",), "charles": ("Charlie", "Chuck"), "christopher": ("Chris",),
    "daniel": ("Dan", "Danny"), "david": ("Dave",), "donald": ("Don",), "edward": ("Ed", "Eddie", "Ted"),
    "elizabeth": ("Liz", "Beth"), "francis": ("Frank",), "frederick": ("Fred",), "gerald": ("Gerry",),
    "gregory": ("Greg",), "henry": ("Harry", "Hank"), "jacob": ("Jake",), "james": ("Jim", "Jimmy"),
    "jennifer": ("Jenny",), "john": ("Jack", "Johnny"), "jonathan": ("Jon", "Jonny"), "joseph": ("Joe",),
    "katherine": ("Kate", "Kathy"), "kenneth": ("Ken", "Kenny"), "lawrence": ("Larry",), "leonard": ("Len",),
    "margaret": ("Maggie", "Peggy"), "matthew": ("Matt",), "michael": ("Mike", "Mick"), "nicholas": ("Nick",),
    "patricia": ("Pat",), "patrick": ("Pat",), "peter": ("Pete",), "philip": ("Phil",), "raymond": ("Ray",),
    "richard": ("Dick", "Rick"), "robert": ("Bob", "Rob", "Bobby"), "rodney": ("Rod",), "ronald": ("Ron",),
    "samuel": ("Sam",), "stephen": ("Steve",), "steven": ("Steve",), "susan": ("Sue",), "theodore": ("Ted",),
    "thomas": ("Tom", "Tommy"), "timothy": ("Tim",), "victoria": ("Vicky",), "walter": ("Walt",),
    "william": ("Bill", "Will", "Billy"),
}  # fmt: skip


def name_variants(name: str) -> list[str]:
    """Other ways a person's full name is written (none for a name of two words or fewer with nothing to
    drop):

    - without a trailing ``, 1st Baron ...``, ``Jr``, ``née X``, a leading ``Sir`` or trailing ``FRS``;
    - without middle names (``Frank Wright Tuttle`` -> ``Frank Tuttle``), with them as initials
      (``Frank W. Tuttle``), or with every given name as an initial (``F. W. Tuttle``);
    - with a surname particle kept (``Étienne Bernard Marie de Crécy`` -> ``Étienne de Crécy``);
    - with a quoted or bracketed nickname as the first name (``Gian-Carla "Gia" Coppola`` -> ``Gia Coppola``);
    - with the short form of a common first name (``Charles Peckham Day`` -> ``Charlie Day``).
    """
    text = " ".join(name.split())
    nickname = _NICKNAME.search(text)
    base = _SUFFIX.sub("", _NICKNAME.sub(" ", text)).strip()
    words = base.split()
    while words and words[0].lower() in _HONORIFICS:
        words = words[1:]
    while len(words) > 2 and _POST_NOMINAL.match(words[-1]):
        words = words[:-1]
    out = [" ".join(words)]
    if len(words) >= 2 and all(w[:1].isupper() or w.lower() in _PARTICLES for w in words):
        k = next((i for i in range(1, len(words) - 1) if words[i].lower() in _PARTICLES), len(words) - 1)
        first, middle, last = words[0], words[1:k], words[k:]
        firsts = [first]
        if nickname:
            firsts.insert(0, nickname.group(1))
        firsts += _SHORT_FORMS.get(first.lower(), ())
        out += [" ".join([f, *last]) for f in firsts]
        if middle:
            out.append(" ".join([first, *(_initial(m) for m in middle), *last]))
            out.append(" ".join([*(_initial(g) for g in (first, *middle)), *last]))
    return [v for v in dict.fromkeys(out) if len(v.split()) >= 2 and v != name]


def _initial(word: str) -> str:
    return word if word.endswith(".") else word[0] + "."


__all__ = ["name_variants"]
