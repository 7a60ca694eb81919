"""Whether a class noun denotes a person ("X is an English singer"): enough to tell whether "he" or "it" can
refer to a passage's topic. General English, not any corpus's vocabulary."""

from __future__ import annotations

# Nouns that class a person; with the suffixes in is_person_noun, the lexicon.
# fmt: off
_PERSON_NOUNS = frozenset({
    "actor", "actress", "singer", "songwriter", "musician", "composer", "director", "filmmaker", "producer",
    "screenwriter", "writer", "author", "poet", "novelist", "playwright", "journalist", "politician", "statesman",
    "diplomat", "lawyer", "judge", "king", "queen", "prince", "princess", "emperor", "empress", "duke", "duchess",
    "count", "countess", "earl", "baron", "baroness", "lord", "lady", "noble", "nobleman", "noblewoman", "bishop",
    "archbishop", "cardinal", "priest", "pope", "monk", "nun", "saint", "footballer", "player", "athlete",
    "cricketer", "boxer", "wrestler", "coach", "manager", "businessman", "businesswoman", "entrepreneur",
    "engineer", "scientist", "philosopher", "architect", "painter", "sculptor", "photographer", "designer",
    "dancer", "presenter", "host", "rapper", "drummer", "conductor", "soldier", "officer", "general", "admiral",
    "commander", "pilot", "astronaut", "explorer", "missionary", "teacher", "professor", "academic", "physician",
    "doctor", "surgeon", "nurse", "inventor", "chef", "model", "ruler", "regent", "sultan", "shah", "khan",
    "chief", "chieftain", "leader", "president", "minister", "governor", "mayor", "senator", "member", "wife",
    "husband", "son", "daughter", "man", "woman", "boy", "girl", "child", "person", "figure", "personality",
    "consort", "heir", "knight", "warrior", "merchant", "banker", "economist", "mathematician", "astronomer",
    "printer", "publisher", "editor", "critic", "scholar", "theologian", "rabbi", "imam", "caliph", "pharaoh",
    "magnate", "prelate", "aristocrat", "peer", "courtier", "socialite", "heiress", "monarch", "tsar", "czar",
    "margrave", "landgrave", "elector", "viscount", "marquess", "marquis", "baronet", "squire", "nobleperson",
    "sovereign", "chancellor", "ambassador", "envoy", "activist", "campaigner", "reformer", "revolutionary",
    "murderer", "criminal", "spy", "agent", "lyricist", "vocalist", "guitarist", "bassist", "pianist",
    "comedian", "humorist", "illustrator", "cartoonist", "animator", "cinematographer", "choreographer",
    "broadcaster", "commentator", "anchor", "reporter", "columnist", "essayist", "translator", "historian",
    "lecturer", "educator", "researcher", "physicist", "chemist", "biologist", "botanist", "zoologist",
    "geologist", "psychologist", "sociologist", "anthropologist", "linguist", "epidemiologist", "clergyman",
    "preacher", "pastor", "deacon", "abbot", "abbess", "friar", "hermit", "martyr", "prophet", "mystic",
    "swimmer", "runner", "cyclist", "skier", "golfer", "jockey", "racer", "driver", "sprinter", "fencer",
    "rower", "sailor", "captain", "lieutenant", "colonel", "major", "sergeant", "marshal", "warlord",
    "mother", "father", "sister", "brother", "widow", "widower", "mistress", "concubine", "descendant",
})
# fmt: on


def is_person_noun(noun: str) -> bool:
    """Whether a class noun denotes a person ("singer", "guitarist", "politician"), in general English."""
    word = noun.lower()
    return word in _PERSON_NOUNS or (len(word) > 5 and word.endswith(("ist", "ian")))


__all__ = ["is_person_noun"]
