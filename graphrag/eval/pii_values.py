"""The values of the PII masking benchmark (:mod:`graphrag.eval.pii_corpus` sets them in sentences): generators of
PII strings of six kinds (cards passing Luhn, IBANs with valid check digits, e-mails, phones, IPs, person names) and
of distractors that a masker must leave alone (dates, prices, versions, Luhn-failing numbers, places ...), from small
word lists written here.
"""

from __future__ import annotations

import ipaddress
import random
import string
from collections.abc import Callable, Sequence
from functools import partial

Gen = Callable[[random.Random], str]

# -- word lists ----------------------------------------------------------------------------------------------------
_NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "english": (("James", "Emily", "Oliver", "Charlotte", "Henry", "Grace", "Thomas", "Hannah"),
                ("Smith", "Johnson", "Brown", "Taylor", "Walker", "Harris", "Clarke", "Bennett")),
    "spanish": (("María", "José", "Lucía", "Carlos", "Javier", "Carmen", "Diego", "Elena"),
                ("García", "Rodríguez", "Fernández", "Martínez", "López", "Sánchez", "Ortega", "Navarro")),
    "german": (("Lukas", "Anna", "Felix", "Lena", "Jonas", "Katharina", "Matthias", "Sabine"),
               ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Hoffmann", "Becker", "Wagner")),
    "polish": (("Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marek", "Magdalena", "Krzysztof", "Joanna"),
               ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński", "Szymański")),
    "indian": (("Priya", "Rahul", "Ananya", "Vikram", "Arjun", "Deepika", "Sanjay", "Kavya"),
               ("Sharma", "Gupta", "Iyer", "Patel", "Reddy", "Nair", "Chatterjee", "Menon")),
    "chinese": (("Wei", "Fang", "Jie", "Xiaoming", "Yan", "Hao", "Lei", "Mei"),
                ("Zhang", "Wang", "Chen", "Liu", "Huang", "Zhou", "Wu", "Xu")),
    "japanese": (("Haruto", "Yui", "Ren", "Sakura", "Takeshi", "Aiko", "Kenji", "Yuki"),
                 ("Sato", "Tanaka", "Suzuki", "Takahashi", "Watanabe", "Yamamoto", "Nakamura", "Kobayashi")),
    "arabic": (("Omar", "Fatima", "Youssef", "Layla", "Karim", "Nour", "Hassan", "Amina"),
               ("Haddad", "Mansour", "Nasser", "Khalil", "Saleh", "Farouk", "Rahman", "Aziz")),
    "nigerian": (("Chinedu", "Ngozi", "Emeka", "Folake", "Oluwaseun", "Adaeze", "Tunde", "Chiamaka"),
                 ("Okafor", "Adeyemi", "Obi", "Balogun", "Eze", "Okonkwo", "Adebayo", "Nwosu")),
    "french": (("Camille", "Julien", "Chloé", "Mathieu", "Élodie", "Antoine", "Margaux", "Sébastien"),
               ("Dubois", "Moreau", "Lefebvre", "Laurent", "Girard", "Rousseau", "Fontaine", "Mercier")),
    "irish": (("Siobhán", "Declan", "Aoife", "Ciarán", "Niamh", "Eoin", "Sinéad", "Padraig"),
              ("O'Brien", "McCarthy", "Murphy", "Byrne", "O'Sullivan", "Gallagher", "Doyle", "Kavanagh")),
    "nordic": (("Sofie", "Erik", "Ingrid", "Lars", "Astrid", "Magnus", "Freja", "Nils"),
               ("Nielsen", "Johansson", "Andersen", "Lindqvist", "Hansen", "Berg", "Larsen", "Eriksson")),
    "turkish": (("Emre", "Ayşe", "Mehmet", "Zeynep", "Burak", "Elif", "Can", "Selin"),
                ("Yılmaz", "Demir", "Kaya", "Şahin", "Çelik", "Aydın", "Öztürk", "Arslan")),
    "russian": (("Dmitri", "Olga", "Sergei", "Natalia", "Alexei", "Irina", "Mikhail", "Tatiana"),
                ("Ivanov", "Petrova", "Smirnov", "Volkova", "Kuznetsov", "Popova", "Sokolov", "Lebedeva")),
    "vietnamese": (("Minh", "Lan", "Hung", "Thu", "Duc", "Linh", "Tuan", "Mai"),
                   ("Nguyen", "Tran", "Le", "Pham", "Hoang", "Vu", "Dang", "Bui")),
}  # fmt: skip
TITLES = ("Dr.", "Mr.", "Ms.", "Mrs.", "Prof.", "Dr", "Mr", "Ms")
_DOMAINS = ("example.com", "mail.example.org", "acme.co.uk", "uni-berlin.de", "post.example.net", "startup.io",
            "city.gov.au", "firma.pl", "hospital.org", "shop.example.fr")  # fmt: skip
# Organisations and places that are not persons (a person finder must leave them alone).
_ORGS = ("Goldman Sachs", "Deutsche Bank", "Siemens Healthineers", "Morgan Stanley", "the Red Cross",
         "Acme Corporation", "Procter & Gamble", "General Electric", "Bain Capital", "Warner Bros",
         "the World Health Organization", "Volkswagen", "Tata Consultancy Services", "Banco Santander",
         "Nippon Steel", "Air France")  # fmt: skip
_PLACES = ("New York", "Buenos Aires", "Hong Kong", "San Francisco", "Kuala Lumpur", "Rio de Janeiro", "Cape Town",
           "Tel Aviv", "Abu Dhabi", "Los Angeles", "New Delhi", "Costa Rica", "Lake Geneva", "Mount Kenya",
           "Saint Petersburg", "Ho Chi Minh City")  # fmt: skip
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip

# -- PII generators ------------------------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def _luhn_complete(body: str) -> str:
    """``body`` and the Luhn check digit that makes it valid."""
    for d in string.digits:
        total = 0
        for i, ch in enumerate(reversed(body + d)):
            v = int(ch)
            if i % 2:
                v = v * 2 - 9 if v > 4 else v * 2
            total += v
        if total % 10 == 0:
            return body + d
    raise AssertionError("unreachable")


# (prefix choices, length, group sizes)
_CARD_BRANDS: tuple[tuple[tuple[str, ...], int, tuple[int, ...]], ...] = (
    (("4",), 16, (4, 4, 4, 4)),  # Visa
    (("4",), 13, (4, 4, 5)),
    (("51", "52", "53", "54", "55", "2221", "2500", "2720"), 16, (4, 4, 4, 4)),  # Mastercard
    (("34", "37"), 15, (4, 6, 5)),  # American Express
    (("6011", "65", "644"), 16, (4, 4, 4, 4)),  # Discover
    (("3528", "3540", "3589"), 16, (4, 4, 4, 4)),  # JCB
    (("36", "38"), 14, (4, 6, 4)),  # Diners Club
    (("62",), 19, (4, 4, 4, 4, 3)),  # UnionPay
)


def _group(digits: str, sizes: Sequence[int], sep: str) -> str:
    out, pos = [], 0
    for size in sizes:
        out.append(digits[pos : pos + size])
        pos += size
    return sep.join(p for p in out if p)


def gen_card(rng: random.Random) -> str:
    """A Luhn-valid card number of a random brand, compact or grouped by spaces or dashes."""
    prefixes, length, sizes = rng.choice(_CARD_BRANDS)
    prefix = rng.choice(prefixes)
    number = _luhn_complete(prefix + _digits(rng, length - len(prefix) - 1))
    sep = rng.choice(("", " ", " ", "-"))
    if length == 13 and sep:
        sizes = (4, 4, 4, 1)  # the 4-4-4-x print format
    return number if not sep else _group(number, sizes, sep)


# BBAN layouts: (count, class) with n = digit, a = capital letter, c = either.
_IBAN_LAYOUTS: dict[str, tuple[tuple[int, str], ...]] = {
    "DE": ((18, "n"),), "GB": ((4, "a"), (14, "n")), "FR": ((10, "n"), (11, "c"), (2, "n")),
    "NL": ((4, "a"), (10, "n")), "ES": ((20, "n"),), "IT": ((1, "a"), (10, "n"), (12, "c")),
    "BE": ((12, "n"),), "CH": ((5, "n"), (12, "c")), "PL": ((24, "n"),), "AT": ((16, "n"),),
    "NO": ((11, "n"),), "IE": ((4, "a"), (14, "n")), "PT": ((21, "n"),), "SE": ((20, "n"),),
    "DK": ((14, "n"),), "FI": ((14, "n"),),
}  # fmt: skip


def _iban_check(country: str, bban: str) -> str:
    moved = bban + country + "00"
    return f"{98 - int(''.join(str(int(ch, 36)) for ch in moved)) % 97:02d}"


def _bban(rng: random.Random, country: str) -> str:
    pools = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + string.ascii_uppercase}
    return "".join(rng.choice(pools[cls]) for count, cls in _IBAN_LAYOUTS[country] for _ in range(count))


def _print_iban(rng: random.Random, compact: str) -> str:
    if rng.random() < 0.3:
        return compact
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def gen_iban(rng: random.Random) -> str:
    """An IBAN of a random country with correct check digits, compact or in groups of four."""
    country = rng.choice(sorted(_IBAN_LAYOUTS))
    bban = _bban(rng, country)
    return _print_iban(rng, country + _iban_check(country, bban) + bban)


def _ascii_name(rng: random.Random) -> tuple[str, str]:
    firsts, lasts = _NAMES[rng.choice(sorted(_NAMES))]
    strip = str.maketrans("áéíóúñüöäłśćźżęąşçğıİŞÇÖÜÉ'", "aeiounuoalsczzeascgiISCOUE_")
    return rng.choice(firsts).lower().translate(strip), rng.choice(lasts).lower().translate(strip).replace("_", "")


def gen_email(rng: random.Random) -> str:
    """An e-mail address built from a name, a role word or a handle."""
    first, last = _ascii_name(rng)
    local = rng.choice(
        (f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last}{rng.randint(1, 99)}", f"{first}_{last}",
         f"{last}", f"{rng.choice(('info', 'sales', 'support', 'billing'))}+{rng.choice(('eu', 'us', 'q3'))}")
    )  # fmt: skip
    if rng.random() < 0.2:
        local = local.capitalize()
    return f"{local}@{rng.choice(_DOMAINS)}"


def gen_phone(rng: random.Random) -> str:
    """A phone number in one of several international, ``00`` and North American print forms."""
    area, exch, line = f"{rng.randint(2, 9)}{_digits(rng, 2)}", f"{rng.randint(2, 9)}{_digits(rng, 2)}", _digits(rng, 4)
    uk = f"20 {_digits(rng, 4)} {_digits(rng, 4)}"
    forms = (
        f"+44 {uk}", f"+44 (0){uk}", f"0044 {uk}", f"+1-{area}-{exch}-{line}", f"+1 ({area}) {exch}-{line}",
        f"({area}) {exch}-{line}", f"{area}-{exch}-{line}", f"{area}.{exch}.{line}", f"1-{area}-{exch}-{line}",
        f"+49 30 {_digits(rng, 8)}", f"+49 (0)89 {_digits(rng, 3)} {_digits(rng, 4)}",
        f"+33 6 {' '.join(_digits(rng, 2) for _ in range(4))}", f"0033 1 {' '.join(_digits(rng, 2) for _ in range(4))}",
        f"+81 3-{_digits(rng, 4)}-{_digits(rng, 4)}", f"+91 9{_digits(rng, 4)} {_digits(rng, 5)}",
        f"+61 2 {_digits(rng, 4)} {_digits(rng, 4)}", f"+48 {_digits(rng, 3)} {_digits(rng, 3)} {_digits(rng, 3)}",
        f"+442{_digits(rng, 9)}", f"+34 9{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
    )  # fmt: skip
    return rng.choice(forms)


def gen_ip(rng: random.Random) -> str:
    """An IPv4 address, or an IPv6 address written compressed, in full, or with an embedded IPv4 part."""
    r = rng.random()
    if r < 0.5:
        first = rng.choice((10, 172, 192, rng.randint(1, 223)))
        return ".".join(str(x) for x in (first, rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254)))
    if r < 0.6:
        return f"::ffff:{rng.randint(1, 223)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
    groups = [rng.randint(0, 0xFFFF) for _ in range(8)]
    if rng.random() < 0.6:  # leave runs of zero groups so that '::' appears
        start = rng.randint(1, 5)
        groups[start : start + rng.randint(2, 3)] = [0] * len(groups[start : start + 3])
        groups = groups[:8]
    if rng.random() < 0.3:
        groups[0] = 0xFE80
    addr = ipaddress.IPv6Address(sum(g << (16 * (7 - i)) for i, g in enumerate(groups[:8])))
    return addr.exploded if rng.random() < 0.2 else addr.compressed


def gen_person(rng: random.Random) -> str:
    """A full name: first and last name of one origin, sometimes with a middle initial."""
    firsts, lasts = _NAMES[rng.choice(sorted(_NAMES))]
    first, last = rng.choice(firsts), rng.choice(lasts)
    if rng.random() < 0.15:
        return f"{first} {rng.choice(string.ascii_uppercase)}. {last}"
    return f"{first} {last}"


PII_GENERATORS: dict[str, Gen] = {
    "EMAIL": gen_email, "PHONE": gen_phone, "CARD": gen_card, "IBAN": gen_iban, "IP": gen_ip, "PERSON": gen_person,
}  # fmt: skip

# -- distractor generators -----------------------------------------------------------------------------------------


def _date(rng: random.Random) -> str:
    y, m, d = rng.randint(1950, 2030), rng.randint(1, 12), rng.randint(1, 28)
    return rng.choice(
        (f"{d} {_MONTHS[m - 1]} {y}", f"{_MONTHS[m - 1]} {d}, {y}", f"{y}-{m:02d}-{d:02d}", f"{m:02d}/{d:02d}/{y}",
         f"{d:02d}.{m:02d}.{y}", f"{d:02d}-{m:02d}-{y}", f"{y}-{m:02d}-{d:02d}T{rng.randint(0, 23):02d}:30:00Z",
         f"{d}/{m}/{y % 100:02d}", f"{_MONTHS[m - 1][:3]} {d} {y}")
    )  # fmt: skip


def _year(rng: random.Random) -> str:
    y = rng.randint(1900, 2030)
    return rng.choice(
        (str(y), f"{y // 10 * 10}s", f"{y}-{y + rng.randint(1, 9)}", f"FY{y}", f"{y}/{(y + 1) % 100:02d}")
    )


def _time(rng: random.Random) -> str:
    h, m = rng.randint(0, 23), rng.randint(0, 59)
    return rng.choice((f"{h:02d}:{m:02d}", f"{h % 12 + 1}:{m:02d} {rng.choice(('am', 'pm'))}",
                       f"{h:02d}:{m:02d}:{rng.randint(0, 59):02d}", f"{h % 12 + 1} pm",
                       f"{h:02d}:{m:02d}-{(h + 2) % 24:02d}:{m:02d}"))  # fmt: skip


def _price(rng: random.Random) -> str:
    return rng.choice(
        (f"${rng.randint(1, 9999):,}.{rng.randint(0, 99):02d}", f"€{rng.randint(1, 500)}", f"£{rng.randint(1, 99)}.50",
         f"{rng.randint(1, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)} EUR",
         f"USD {rng.randint(1000, 99999):,}", f"${rng.randint(1, 99)}.{rng.randint(1, 9)} million",
         f"{rng.randint(10, 5000)} zł")
    )  # fmt: skip


def _percent(rng: random.Random) -> str:
    return rng.choice((f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%", f"{rng.randint(1, 100)} %",
                       f"-{rng.random():.2f}%", f"+{rng.randint(1, 30)}.{rng.randint(0, 9)}%"))  # fmt: skip


def _version(rng: random.Random) -> str:
    a, b, c, d = rng.randint(0, 12), rng.randint(0, 30), rng.randint(0, 20), rng.randint(0, 200)
    return rng.choice((f"{a}.{b}.{c}", f"v{a}.{b}.{c}", f"version {a}.{b}.{c}.{d}", f"v{a}.{b}.{c}.{d}", f"{a}.{b}",
                       f"build {a}.{b}.{rng.randint(10000, 22000)}", f"release {a}.{b}.{c}.{d}"))  # fmt: skip


def _quantity(rng: random.Random) -> str:
    return rng.choice((f"{rng.randint(1000, 99999):,} units", f"{rng.randint(1, 99)}.{rng.randint(0, 9)} kg",
                       f"{rng.randint(1, 9)}.{rng.randint(1, 9)} million", f"{rng.randint(50, 999)} ml",
                       f"{rng.randint(2, 500)} pallets", f"{rng.randint(1, 99)} {rng.randint(100, 999)} boxes",
                       str(rng.randint(2, 9999))))  # fmt: skip


def _order_number(rng: random.Random) -> str:
    """A 13-19 digit number shaped like a card number that fails the Luhn check."""
    length = rng.choice((13, 14, 15, 16, 16, 16, 19))
    while True:
        number = rng.choice("3456") + _digits(rng, length - 1)
        if _luhn_complete(number[:-1]) != number:
            break
    if rng.random() < 0.5:
        return number
    return _group(number, [4] * (length // 4) + [length % 4], rng.choice((" ", "-")))


def _isbn(rng: random.Random) -> str:
    return f"978-{rng.randint(0, 9)}-{_digits(rng, 2)}-{_digits(rng, 6)}-{rng.randint(0, 9)}"


def _coordinates(rng: random.Random) -> str:
    return f"{rng.uniform(-80, 80):.4f}, {rng.uniform(-170, 170):.4f}"


def _bad_iban(rng: random.Random) -> str:
    country = rng.choice(sorted(_IBAN_LAYOUTS))
    bban = _bban(rng, country)
    good = _iban_check(country, bban)
    bad = f"{(int(good) + rng.randint(1, 90)) % 97 + 2:02d}"
    return _print_iban(rng, country + (bad if bad != good else f"{(int(good) + 1) % 97 + 2:02d}") + bban)


def _bad_ip(rng: random.Random) -> str:
    return rng.choice((f"999.{rng.randint(0, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}",
                       f"{rng.randint(256, 999)}.{rng.randint(0, 255)}.1.1",
                       f"{rng.randint(1, 9)}.{rng.randint(0, 9)}.{rng.randint(0, 9)}"))  # fmt: skip


def _plain_number(rng: random.Random) -> str:
    return rng.choice((_digits(rng, 10), f"{rng.randint(1, 99)} 000 000",
                       f"{rng.randint(100, 999)}-{rng.randint(10, 99)}", str(rng.randint(10000, 99999)),
                       f"{rng.randint(1, 9)}-{rng.randint(1, 9)}", f"#{_digits(rng, 7)}"))  # fmt: skip


def _pick(choices: Sequence[str], rng: random.Random) -> str:
    return rng.choice(choices)


def _expiry(rng: random.Random) -> str:
    return f"{rng.randint(1, 12):02d}/{rng.randint(24, 35)}"


DISTRACTORS: dict[str, Gen] = {
    "date": _date, "year": _year, "time": _time, "price": _price, "percent": _percent, "version": _version,
    "quantity": _quantity, "order": _order_number, "isbn": _isbn, "coordinates": _coordinates,
    "bad_iban": _bad_iban, "bad_ip": _bad_ip, "number": _plain_number, "expiry": _expiry,
    "org": partial(_pick, _ORGS), "place": partial(_pick, _PLACES),
}  # fmt: skip


__all__ = ["DISTRACTORS", "PII_GENERATORS", "TITLES", "Gen"]
