"""Country names and codes as liaisons write them, resolved to ISO 3166-1 alpha-3 with pycountry.

Recognised (docs/file-format.md, "Country"): the alpha-3, alpha-2 and three-digit numeric codes;
pycountry's short, official and common English names and their French, Spanish and Arabic
translations (its gettext catalogues); the short forms and participants' own names of
`data_ingest.country_names`; the register's own names and codes; and the app's display form
"Name (ISO3)". Names are compared folded (`fold`). A name that can mean several countries means
the one of them that is a registered participant, if exactly one is; otherwise it is ambiguous.

The index is built once per process, on first use (importing this module does no work).
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

import pycountry

from data_ingest.country_names import AMBIGUOUS, CATALOGUE_ERRORS, SHORT_FORMS

#: The languages whose names are read from pycountry's catalogues, besides English.
LANGUAGES = ("fr", "es", "ar")
_CATALOGUE = "iso3166-1"
_FUZZY_CUTOFF = 0.75

# Word separators: anything that is neither a letter nor a digit, in any script.
_SEPARATORS = re.compile(r"[\W_]+")
# What no name holds and a cell must not be read past: control characters, NUL, lone surrogates.
_BROKEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# Arabic letters written in several ways (ta marbuta, alef maksura, Persian yeh and keheh, the
# wasla) and the tatweel that only stretches a word. Hamzas on alef, waw and yeh, and the
# vowel marks, go with the other combining marks.
_ARABIC_VARIANTS = str.maketrans({"ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ٱ": "ا", "ـ": None})
# Arabic vowel marks and shadda, which pycountry's catalogue writes and people mostly do not.
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670]")
_ARABIC_ARTICLE = "ال"
_ARABIC_AND = "و"
_SAINT = {"st": "saint", "ste": "sainte"}
# Marks go (accents, Arabic vowels and hamzas), and format characters (a right-to-left mark, a
# zero-width joiner) go without splitting the word they sit in.
_DROPPED = frozenset({"Mn", "Mc", "Me", "Cf"})


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """A name as compared: no case, accents, vowel marks or punctuation; spaces and Arabic letter
    variants made alike; no leading "the" or Arabic article; St = Saint; U.K. = UK."""
    if text.isascii():  # codes and most names: no marks, no Arabic, nothing to decompose
        plain = text.lower().replace("&", " and ")
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(char for char in decomposed if unicodedata.category(char) not in _DROPPED)
        plain = plain.casefold().translate(_ARABIC_VARIANTS).replace("&", " and ")
    words = _SEPARATORS.sub(" ", plain).split()
    if words and words[0] == "the":
        words = words[1:]
    if words and words[0].startswith(_ARABIC_ARTICLE) and len(words[0]) > len(_ARABIC_ARTICLE) + 1:
        words[0] = words[0][len(_ARABIC_ARTICLE) :]
    if len(words) > 1 and all(len(word) == 1 and word.isalpha() for word in words):
        words = ["".join(words)]  # U.S.A. -> usa
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == _ARABIC_AND:
            joined[-1] += word  # "و الهرسك" is written "والهرسك" too
        else:
            joined.append(_SAINT.get(word, word))
    return " ".join(joined)


@dataclass(frozen=True)
class Reading:
    """What a country cell says: the one country it names (`code`), or else the countries it may
    name (`candidates`: an ambiguous name), or, for "Name (CODE)" whose name does not name that
    code, the code given (`conflict`, with what the name alone names as `candidates`)."""

    code: str | None = None
    candidates: tuple[str, ...] = ()
    conflict: str | None = None


@dataclass(frozen=True)
class _Index:
    codes: dict[str, str]  # folded alpha-3, alpha-2 or numeric code -> alpha-3
    names: dict[str, tuple[str, ...]]  # folded name -> the countries it can mean
    spellings: dict[str, tuple[str, ...]]  # alpha-3 -> its names as written, English first
    fuzzy_pool: tuple[str, ...]  # the folded names a suggestion is searched among


def _name_forms(name: str) -> list[str]:
    """A catalogue name and, for 'Korea, Republic of', also 'Republic of Korea'."""
    for comma in (", ", "، "):
        if comma in name:
            head, tail = name.split(comma, 1)
            if fold(head) in fold(tail):  # Arabic: 'كوريا، جمهوريّة كوريا'
                return [name, tail]
            if tail.endswith(("'", "’")):  # French: "Iran, République islamique d'"
                return [name, tail + head]
            return [name, f"{tail} {head}"]
    return [name]


def _catalogues() -> dict[str, dict[str, str]]:
    """Language -> English name -> translated name, from pycountry's gettext catalogues."""
    found: dict[str, dict[str, str]] = {}
    for language in LANGUAGES:
        translation = gettext.translation(_CATALOGUE, pycountry.LOCALES_DIR, languages=[language])
        found[language] = {
            english: translation.gettext(english)
            for country in pycountry.countries
            for english in _english_names(country)
            if (language, english) not in CATALOGUE_ERRORS and translation.gettext(english) != english
        }
    return found


def _english_names(country: object) -> list[str]:
    names = (getattr(country, attribute, None) for attribute in ("name", "official_name", "common_name"))
    return [name for name in names if name]


@lru_cache(maxsize=1)
def _index() -> _Index:
    """Every code and name pycountry knows, in English and LANGUAGES, plus data_ingest.country_names."""
    codes: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    spellings: dict[str, list[str]] = {}

    def add(name: str, code: str) -> None:
        key = fold(name)
        if not key:
            return
        meanings = names.setdefault(key, [])
        if code not in meanings:
            meanings.append(code)  # one name for two countries (none in pycountry 26.2.16): ambiguous
        written = spellings.setdefault(code, [])
        for spelling in (name, _ARABIC_MARKS.sub("", name)):  # as the catalogue writes it, and as typed
            if spelling not in written:
                written.append(spelling)

    countries = list(pycountry.countries)
    catalogues = _catalogues()
    for country in countries:
        for code in (country.alpha_3, country.alpha_2, country.numeric):
            codes.setdefault(fold(code), country.alpha_3)
    for country in countries:
        english = _english_names(country)
        for name in english:
            for form in _name_forms(name):
                add(form, country.alpha_3)
        for language in LANGUAGES:
            for name in english:
                translated = catalogues[language].get(name)
                for form in _name_forms(translated) if translated else ():
                    add(form, country.alpha_3)
    for name, code in SHORT_FORMS.items():
        add(name, code)
    for name, meanings in AMBIGUOUS.items():
        names[fold(name)] = list(meanings)
        for code in meanings:
            spellings.setdefault(code, []).append(name)
    # Two- and three-letter names resemble codes and each other too easily to be useful suggestions.
    pool = tuple(key for key in names if len(key) > 3)
    return _Index(
        codes,
        {key: tuple(meanings) for key, meanings in names.items()},
        {code: tuple(written) for code, written in spellings.items()},
        pool,
    )


class Register:
    """The registered participants (code -> name) as reading a country needs them: one per file."""

    def __init__(self, participants: Mapping[str, str]) -> None:
        self.participants = participants
        self.codes = frozenset(participants)

    @cached_property
    def names(self) -> dict[str, str]:
        """Folded register name -> code: the register's own names (e.g. Kosovo, XKX) are names too."""
        folded: dict[str, str] = {}
        for code, name in self.participants.items():
            folded.setdefault(fold(name), code)
        return folded


def resolve(text: str, register: Register | None = None) -> Reading:
    """What a country cell means: a code, a name (see the module's docstring) or "Name (CODE)".

    Linear in the text's length. A name that can mean several countries is decided against
    `register`: it means the one of them that is a registered participant, if exactly one is.
    Text holding a control character or a broken one (a NUL, a lone surrogate) means nothing.
    """
    if _BROKEN.search(text):
        return Reading()
    labelled = _display_form(text.strip())
    if labelled is not None:
        name, given = labelled
        code = _code(given, register)
        if code is not None:
            if code in _candidates(name, register):
                return Reading(code)
            named = _decided(_candidates(name, register), register)
            return Reading(candidates=(named.code,) if named.code else named.candidates, conflict=code)
    return _decided(_candidates(text, register), register)


def lookup(text: str) -> str | None:
    """The alpha-3 code of the one country `text` names (a code or a name), or None."""
    return resolve(text).code


def _display_form(text: str) -> tuple[str, str] | None:
    """('Germany', 'DEU') for 'Germany (DEU)': a name, then a two- or three-letter code in brackets."""
    if not text.endswith(")"):
        return None
    opening = text.rfind("(")
    name, code = text[:opening].strip(), text[opening + 1 : -1].strip()
    if opening <= 0 or not name or not 2 <= len(code) <= 3 or not (code.isascii() and code.isalpha()):
        return None
    return name, code


def _code(text: str, register: Register | None) -> str | None:
    if register is not None and text.upper() in register.codes:
        return text.upper()
    return _index().codes.get(fold(text))


def _candidates(text: str, register: Register | None) -> list[str]:
    """Every country a code or a name (without brackets) can mean: one for a code."""
    stripped = text.strip()
    if register is not None and stripped.upper() in register.codes:
        return [stripped.upper()]
    folded = fold(stripped)
    index = _index()
    code = index.codes.get(folded)
    if code is not None:
        return [code]
    candidates = list(index.names.get(folded, ()))
    if register is not None:
        own = register.names.get(folded)
        if own is not None and own not in candidates:
            candidates.append(own)
    return candidates


def _decided(candidates: list[str], register: Register | None) -> Reading:
    """The one country among `candidates`, or the registered participant if exactly one is."""
    if len(candidates) == 1:
        return Reading(candidates[0])
    if register is not None:
        registered = [code for code in candidates if code in register.codes]
        if len(registered) == 1:
            return Reading(registered[0])
    return Reading(candidates=tuple(candidates))


def display_name(code: str, registered: Mapping[str, str] | None = None) -> str:
    """The name to show for a code: the participant register's, else pycountry's common or short name."""
    if registered and code in registered:
        return registered[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def full_name(code: str, registered: Mapping[str, str] | None = None) -> str:
    """A name that tells apart countries a short name could mean: the register's, else the official
    name, else the short name in natural order ('Democratic Republic of the Congo')."""
    if registered and code in registered:
        return registered[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    official = getattr(country, "official_name", None)
    if official:
        return str(official).removeprefix("the ")
    name = _name_forms(str(country.name))[-1]
    return name.removeprefix("The ")


def labelled(code: str, registered: Mapping[str, str] | None = None) -> str:
    """The display form 'Germany (DEU)', which is also recognised as input."""
    return f"{display_name(code, registered)} ({code})"


def alternatives(codes: Iterable[str], registered: Mapping[str, str] | None = None) -> str:
    """'A (X), B (Y) or C (Z)', with names that tell the countries apart."""
    named = [f"{full_name(code, registered)} ({code})" for code in codes]
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


@lru_cache(maxsize=4096)
def suggest(text: str, preferred: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The countries whose name is closest to `text`, if one is close (several: an ambiguous name).

    Names of the `preferred` countries (the registered participants) are tried first; a name that
    can mean several countries is decided against them as in `resolve`.
    """
    folded = fold(text)
    if not folded:
        return ()
    register = Register(dict.fromkeys(preferred, "")) if preferred else None
    for pool in (_preferred_pool(preferred), _index().fuzzy_pool):
        found = difflib.get_close_matches(folded, pool, n=1, cutoff=_FUZZY_CUTOFF)
        if found:
            reading = _decided(list(_index().names[found[0]]), register)
            return (reading.code,) if reading.code else reading.candidates
    return ()


@lru_cache(maxsize=8)
def _preferred_pool(preferred: frozenset[str]) -> tuple[str, ...]:
    names = _index().names
    return tuple(key for key in _index().fuzzy_pool if not preferred.isdisjoint(names[key]))


def accepted_names(participants: Mapping[str, str]) -> dict[str, list[str]]:
    """Participant code -> every entry that names it as written (its display form, alpha-3 and
    alpha-2 codes, register name, names in English, LANGUAGES and data_ingest.country_names), each
    checked to resolve to it against this register. Numeric codes are left out."""
    register = Register(participants)
    index = _index()
    accepted: dict[str, list[str]] = {}
    for code, name in participants.items():
        country = pycountry.countries.get(alpha_3=code)
        entries = [labelled(code, participants), code]
        if country is not None:
            entries.append(country.alpha_2)
        entries.append(name)
        entries.extend(index.spellings.get(code, ()))
        kept: list[str] = []
        seen: set[str] = set()
        for entry in entries:
            if entry.casefold() not in seen and resolve(entry, register).code == code:
                seen.add(entry.casefold())
                kept.append(entry)
        accepted[code] = kept
    return accepted
