"""The countries that nationality words name: "an American actor" is a citizen of the United States.

Text gives nationality as an adjective far more often than as a country ("a Polish poet", not "a poet from
Poland"), so a nationality entity answers to its country's names as aliases: a question or a knowledge-graph
query about "Poland" then finds the people and works the text calls Polish. General English, not any corpus's
vocabulary; a word that names no one country ("Arab", "Latin") is left out.
"""

from __future__ import annotations

# fmt: off
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "afghan": ("Afghanistan",), "albanian": ("Albania",), "algerian": ("Algeria",),
    "american": ("United States", "United States of America", "USA", "America"), "andorran": ("Andorra",),
    "angolan": ("Angola",), "argentine": ("Argentina",), "argentinian": ("Argentina",), "armenian": ("Armenia",),
    "australian": ("Australia",), "austrian": ("Austria",), "azerbaijani": ("Azerbaijan",),
    "bahamian": ("Bahamas", "The Bahamas"), "bahraini": ("Bahrain",), "bangladeshi": ("Bangladesh",),
    "barbadian": ("Barbados",), "belarusian": ("Belarus",), "belgian": ("Belgium",), "beninese": ("Benin",),
    "bolivian": ("Bolivia",), "bosnian": ("Bosnia and Herzegovina",), "brazilian": ("Brazil",),
    "british": ("United Kingdom", "UK", "Great Britain"), "bulgarian": ("Bulgaria",),
    "burmese": ("Myanmar", "Burma"), "cambodian": ("Cambodia",), "cameroonian": ("Cameroon",),
    "canadian": ("Canada",), "chadian": ("Chad",), "chilean": ("Chile",),
    "chinese": ("China", "People's Republic of China"), "colombian": ("Colombia",), "congolese": ("Congo",),
    "costa rican": ("Costa Rica",), "croatian": ("Croatia",), "cuban": ("Cuba",), "cypriot": ("Cyprus",),
    "czech": ("Czech Republic", "Czechia"), "czechoslovak": ("Czechoslovakia",), "danish": ("Denmark",),
    "dominican": ("Dominican Republic",), "dutch": ("Netherlands", "Kingdom of the Netherlands"),
    "ecuadorian": ("Ecuador",), "egyptian": ("Egypt",), "english": ("England",), "eritrean": ("Eritrea",),
    "estonian": ("Estonia",), "ethiopian": ("Ethiopia",), "fijian": ("Fiji",), "filipino": ("Philippines",),
    "finnish": ("Finland",), "french": ("France",), "gabonese": ("Gabon",), "georgian": ("Georgia",),
    "german": ("Germany",), "ghanaian": ("Ghana",), "greek": ("Greece",), "guatemalan": ("Guatemala",),
    "guinean": ("Guinea",), "haitian": ("Haiti",), "honduran": ("Honduras",), "hungarian": ("Hungary",),
    "icelandic": ("Iceland",), "indian": ("India",), "indonesian": ("Indonesia",), "iranian": ("Iran",),
    "iraqi": ("Iraq",), "irish": ("Ireland", "Republic of Ireland"), "israeli": ("Israel",),
    "italian": ("Italy",), "ivorian": ("Ivory Coast", "Côte d'Ivoire"), "jamaican": ("Jamaica",),
    "japanese": ("Japan",), "jordanian": ("Jordan",), "kazakh": ("Kazakhstan",), "kenyan": ("Kenya",),
    "korean": ("Korea",), "kosovan": ("Kosovo",), "kuwaiti": ("Kuwait",), "kyrgyz": ("Kyrgyzstan",),
    "lao": ("Laos",), "latvian": ("Latvia",), "lebanese": ("Lebanon",), "liberian": ("Liberia",),
    "libyan": ("Libya",), "lithuanian": ("Lithuania",), "luxembourgish": ("Luxembourg",),
    "macedonian": ("North Macedonia",), "malagasy": ("Madagascar",), "malawian": ("Malawi",),
    "malaysian": ("Malaysia",), "malian": ("Mali",), "maltese": ("Malta",), "mauritanian": ("Mauritania",),
    "mauritian": ("Mauritius",), "mexican": ("Mexico",), "moldovan": ("Moldova",), "monegasque": ("Monaco",),
    "mongolian": ("Mongolia",), "montenegrin": ("Montenegro",), "moroccan": ("Morocco",),
    "mozambican": ("Mozambique",), "namibian": ("Namibia",), "nepalese": ("Nepal",), "nepali": ("Nepal",),
    "new zealand": ("New Zealand",), "nicaraguan": ("Nicaragua",), "nigerian": ("Nigeria",),
    "nigerien": ("Niger",), "north korean": ("North Korea",), "norwegian": ("Norway",), "omani": ("Oman",),
    "pakistani": ("Pakistan",), "palestinian": ("Palestine",), "panamanian": ("Panama",),
    "paraguayan": ("Paraguay",), "persian": ("Iran", "Persia"), "peruvian": ("Peru",), "polish": ("Poland",),
    "portuguese": ("Portugal",), "puerto rican": ("Puerto Rico",), "qatari": ("Qatar",),
    "romanian": ("Romania",), "russian": ("Russia",), "rwandan": ("Rwanda",), "salvadoran": ("El Salvador",),
    "saudi": ("Saudi Arabia",), "scottish": ("Scotland",), "senegalese": ("Senegal",), "serbian": ("Serbia",),
    "singaporean": ("Singapore",), "slovak": ("Slovakia",), "slovene": ("Slovenia",),
    "slovenian": ("Slovenia",), "somali": ("Somalia",), "south african": ("South Africa",),
    "south korean": ("South Korea",), "soviet": ("Soviet Union",), "spanish": ("Spain",),
    "sri lankan": ("Sri Lanka",), "sudanese": ("Sudan",), "swedish": ("Sweden",), "swiss": ("Switzerland",),
    "syrian": ("Syria",), "taiwanese": ("Taiwan",), "tajik": ("Tajikistan",), "tanzanian": ("Tanzania",),
    "thai": ("Thailand",), "togolese": ("Togo",), "trinidadian": ("Trinidad and Tobago",),
    "tunisian": ("Tunisia",), "turkish": ("Turkey",), "turkmen": ("Turkmenistan",), "ugandan": ("Uganda",),
    "ukrainian": ("Ukraine",), "uruguayan": ("Uruguay",), "uzbek": ("Uzbekistan",),
    "venezuelan": ("Venezuela",), "vietnamese": ("Vietnam",), "welsh": ("Wales",), "yemeni": ("Yemen",),
    "yugoslav": ("Yugoslavia",), "yugoslavian": ("Yugoslavia",), "zambian": ("Zambia",),
    "zimbabwean": ("Zimbabwe",),
}
# fmt: on


_COUNTRY_NAMES = frozenset(name.casefold() for names in _COUNTRIES.values() for name in names)


def is_country(name: str) -> bool:
    """Whether ``name`` is one of the countries' names ("France", "the United States", "USA")."""
    s = " ".join(name.split()).casefold()
    return s in _COUNTRY_NAMES or (s.startswith("the ") and s[4:] in _COUNTRY_NAMES)


def country_names(nationality: str) -> tuple[str, ...]:
    """The names of the country a nationality word names ("Polish" -> ("Poland",)); ``()`` when it names none."""
    return _COUNTRIES.get(" ".join(nationality.lower().replace("-", " ").split()), ())


__all__ = ["country_names"]
