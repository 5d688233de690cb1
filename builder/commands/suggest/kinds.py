"""What a name names, read from its own words: an organisation or place word at its
head (`Bank of England`, `Kursk Oblast`), or a place word before it (`Port Moresby`).

Finding names uses this too: a title followed by such a word is part of the name
(`General Assembly`), not a person's title.
"""

from __future__ import annotations

# The head word of a name that says what it names (`Bank of England`, `Kursk Oblast`).
_ORGANIZATION_WORDS = {
    "Ministry",
    "Agency",
    "Service",
    "Services",
    "Council",
    "Committee",
    "Commission",
    "Bank",
    "Party",
    "Forces",
    "Army",
    "Navy",
    "Times",
    "News",
    "Post",
    "Herald",
    "Journal",
    "Centre",
    "Center",
    "Institute",
    "University",
    "Department",
    "Office",
    "Union",
    "Corporation",
    "Company",
    "Authority",
    "Assembly",
    "Parliament",
    "Court",
    "Organization",
    "Organisation",
    "Association",
    "Foundation",
}
_PLACE_WORDS = {
    "Province",
    "Region",
    "Oblast",
    "Krai",
    "City",
    "Ground",
    "Base",
    "Island",
    "Islands",
    "Peninsula",
    "Valley",
    "River",
    "Sea",
    "Bay",
    "Strait",
    "District",
    "County",
    "Airport",
    "Square",
}
_PLACE_PREFIXES = {"Port", "Mount", "Lake", "Fort", "Cape", "Isle"}


def head_kind(words: list[str]) -> str | None:
    """`organization`, `place` or None: see `head`."""
    return head(words)[0]


def head(words: list[str]) -> tuple[str | None, str]:
    """(`organization` or `place` or None, the word that says so) for a name: its head
    is its last word, or the word before its `of` (`Bank of England`); a place may also
    start with `Port`, `Mount`..."""
    words = [w.rstrip(".").removesuffix("'s").removesuffix("’s") for w in words]
    if not words:
        return None, ""
    word = words[: words.index("of")][-1] if "of" in words[1:] else words[-1]
    if word in _ORGANIZATION_WORDS:
        return "organization", word
    if word in _PLACE_WORDS:
        return "place", word
    if len(words) > 1 and words[0] in _PLACE_PREFIXES:
        return "place", words[0]
    return None, ""
