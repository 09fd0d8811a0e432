"""Country names and codes as liaisons write them, resolved to ISO 3166-1 alpha-3 with pycountry.

pycountry supplies every code and the short, official and common English names; only the few
names it does not know (UK, Turkey, Holland, ...) are listed here.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

import pycountry

# Names in everyday or EU use that pycountry does not carry. Keep this list short.
ALIASES: dict[str, str] = {
    "UK": "GBR",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "EL": "GRC",  # the EU's code for Greece
    "Turkey": "TUR",
    "Holland": "NLD",
    "Russia": "RUS",
    "Ivory Coast": "CIV",
    "Cape Verde": "CPV",
    "Swaziland": "SWZ",
    "Macedonia": "MKD",
    "Burma": "MMR",
    "East Timor": "TLS",
    "Brunei": "BRN",
    "Vatican": "VAT",
}

_NON_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """A name as compared: no accents, case, punctuation or leading "the"; St = Saint; U.K. = UK."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
    words = _NON_ALPHANUMERIC.sub(" ", plain.replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    if len(words) > 1 and all(len(word) == 1 for word in words):
        words = ["".join(words)]  # U.S.A. -> usa
    return " ".join("saint" if word == "st" else word for word in words)


def _name_forms(name: str) -> list[str]:
    """A pycountry name and, for 'Korea, Republic of', also 'Republic of Korea'."""
    forms = [name]
    if ", " in name:
        head, tail = name.split(", ", 1)
        forms.append(f"{tail} {head}")
    return forms


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    """Folded code or name -> alpha-3, over every country pycountry knows plus ALIASES."""
    index: dict[str, str] = {}
    countries = list(pycountry.countries)
    # Codes first, so that no name can take the place of a code.
    for country in countries:
        index.setdefault(fold(country.alpha_3), country.alpha_3)
        index.setdefault(fold(country.alpha_2), country.alpha_3)
    for country in countries:
        for attribute in ("name", "official_name", "common_name"):
            name = getattr(country, attribute, None)
            if name:
                for form in _name_forms(name):
                    index.setdefault(fold(form), country.alpha_3)
    for alias, code in ALIASES.items():
        index.setdefault(fold(alias), code)
    return index


@lru_cache(maxsize=4096)
def lookup(text: str) -> str | None:
    """The alpha-3 code of a country written as a code or an English name, or None if unknown."""
    return _index().get(fold(text))


def display_name(code: str, registered: Mapping[str, str] | None = None) -> str:
    """The name to show for a code: the participant register's, else pycountry's common or short name."""
    if registered and code in registered:
        return registered[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


@lru_cache(maxsize=4096)
def suggest(text: str, preferred: frozenset[str] = frozenset()) -> str | None:
    """The alpha-3 code of the country whose code or name is closest to `text`, if any is close.

    Codes in `preferred` (the registered participants) are tried first.
    """
    folded = fold(text)
    if not folded:
        return None
    index = _index()
    # Two- and three-letter codes resemble each other too easily to be useful suggestions.
    names = [key for key in index if len(key) > 3]
    for pool in ([key for key in names if index[key] in preferred], names):
        found = difflib.get_close_matches(folded, pool, n=1, cutoff=0.75)
        if found:
            return index[found[0]]
    return None
