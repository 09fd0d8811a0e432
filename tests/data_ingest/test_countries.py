"""Country cells: codes, names in the working languages, short forms, "Name (ISO3)", and ambiguity."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from pydantic import ValidationError
from sqlalchemy import Engine, select

from data_ingest.cells import COUNTRY_CELL, ValidationContext
from data_ingest.countries import Register, _index, fold, lookup, resolve
from data_ingest.country_names import AMBIGUOUS, SHORT_FORMS
from models.db import read_session
from models.settings import PROJECT_ROOT
from models.tables import Observation
from tests.conftest import PASSWORD
from tests.dashboard.uploads import preview, text
from tests.data_ingest.test_cli import HEADER, run
from tests.data_ingest.test_schemas import REGISTER, TODAY
from tests.web import WebClient

CONTEXT = ValidationContext(REGISTER, TODAY)


def country(text: str, context: ValidationContext = CONTEXT) -> str:
    """The participant a country cell names, through the ingest schema."""
    return COUNTRY_CELL.validate_python(text, context=context)


def refusal(text: str, context: ValidationContext = CONTEXT) -> str:
    """The message a country cell is refused with, through the ingest schema."""
    with pytest.raises(ValidationError) as caught:
        COUNTRY_CELL.validate_python(text, context=context)
    [error] = caught.value.errors()
    return str(error["msg"])


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # codes
        ("DEU", "DEU"), ("deu", "DEU"), ("DE", "DEU"), ("276", "DEU"), ("250", "FRA"), ("D.E.U.", "DEU"),
        # English, French, Spanish, Arabic
        ("Germany", "DEU"), ("Allemagne", "DEU"), ("Alemania", "DEU"), ("ألمانيا", "DEU"),
        ("République fédérale d’Allemagne", "DEU"), ("República Federal de Alemania", "DEU"),
        ("Royaume-Uni", "GBR"), ("Reino Unido", "GBR"), ("المملكة المتحدة", "GBR"),
        ("États-Unis", "USA"), ("Estados Unidos", "USA"), ("الولايات المتحدة", "USA"),
        ("Pays-Bas", "NLD"), ("Países Bajos", "NLD"), ("هولندا", "NLD"),
        ("Suisse", "CHE"), ("Suiza", "CHE"), ("سويسرا", "CHE"), ("Japon", "JPN"), ("اليابان", "JPN"),
        ("Tchéquie", "CZE"), ("República Checa", "CZE"), ("Turquie", "TUR"), ("Turquía", "TUR"),
        ("Moldavie", "MDA"), ("Corée, République de", "KOR"), ("République de Corée", "KOR"),
        # short forms, in every working language, and participants' own names
        ("UK", "GBR"), ("U.K.", "GBR"), ("USA", "USA"), ("U.S.A.", "USA"), ("EE. UU.", "USA"),
        ("Korea", "KOR"), ("Corée", "KOR"), ("Corea", "KOR"), ("كوريا", "KOR"), ("Corée du Sud", "KOR"),
        ("Corea del Sur", "KOR"), ("كوريا الجنوبية", "KOR"), ("한국", "KOR"), ("تركيا", "TUR"),
        ("مولدوفا", "MDA"), ("Deutschland", "DEU"), ("Österreich", "AUT"), ("Schweiz", "CHE"),
        ("Sverige", "SWE"), ("Ελλάδα", "GRC"), ("Україна", "UKR"), ("日本", "JPN"),
        # the app's own display form, and the alpha-2 code in it
        ("Germany (DEU)", "DEU"), ("germany (deu)", "DEU"), ("Germany(DEU)", "DEU"), ("Germany (DE)", "DEU"),
        ("Allemagne (DEU)", "DEU"), ("Republic of Korea (KOR)", "KOR"), ("Korea (KOR)", "KOR"),
        ("Turkey (TUR)", "TUR"), ("Türkiye (TUR)", "TUR"), ("Czech Republic (CZE)", "CZE"),
        ("Vietnam (VNM)", "VNM"), ("Korea (Republic of)", "KOR"),
        # case, accents, spaces, punctuation and Arabic letter variants
        ("  ALLEMAGNE  ", "DEU"), ("allemagne", "DEU"), ("Etats Unis", "USA"), ("etats-unis", "USA"),
        ("Viêt Nam", "VNM"), ("Viet-Nam", "VNM"), ("Turkiye", "TUR"),
        ("Royaume\u00a0Uni", "GBR"), ("المانيا", "DEU"), ("ألمانيا\u200f", "DEU"), ("المملكه المتحده", "GBR"),
        ("الفيتنام", "VNM"), ("فيتنام", "VNM"), ("ألـمـانـيـا", "DEU"), ("أَلْمَانِيَا", "DEU"),
    ],
)  # fmt: skip
def test_a_participant_is_recognised_by_code_name_short_form_or_display_form(text: str, code: str) -> None:
    assert country(text) == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "RUS"), ("Russie", "RUS"), ("Rusia", "RUS"), ("روسيا", "RUS"), ("Federación Rusa", "RUS"),
        ("Fédération de Russie", "RUS"), ("North Korea", "PRK"), ("Korea (PRK)", "PRK"), ("DRC", "COD"),
        ("RDC", "COD"), ("Congo (COD)", "COD"), ("Congo-Brazzaville", "COG"), ("ساحل العاج", "CIV"),
        ("Costa de Marfil", "CIV"), ("Côte d'Ivoire", "CIV"), ("UAE", "ARE"), ("840", "USA"), ("004", "AFG"),
        ("المالديف", "MDV"),  # pycountry's Arabic catalogue gives this name to Moldova: left out
        ("Korea (KOR)", "KOR"),
    ],
)  # fmt: skip
def test_countries_that_are_not_participants_are_recognised_too(text: str, code: str) -> None:
    assert lookup(text) == code


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Congo",
         "'Congo' can mean Republic of the Congo (COG) or Democratic Republic of the Congo (COD). Write the "
         "ISO code or the full name."),
        ("الكونغو",
         "'الكونغو' can mean Republic of the Congo (COG) or Democratic Republic of the Congo (COD). "
         "Write the ISO code or the full name."),
        ("Guinea",
         "'Guinea' can mean Republic of Guinea (GIN), Republic of Guinea-Bissau (GNB) or Republic of "
         "Equatorial Guinea (GNQ). Write the ISO code or the full name."),
        ("Guinée",
         "'Guinée' can mean Republic of Guinea (GIN), Republic of Guinea-Bissau (GNB) or Republic of "
         "Equatorial Guinea (GNQ). Write the ISO code or the full name."),
        ("France (DEU)",
         "'France (DEU)' gives the name of France (FRA) but the code of Germany (DEU). Write the code or the "
         "name alone."),
        ("Allemagnee (DEU)",
         "'Allemagnee (DEU)' gives the code of Germany (DEU) with a name we do not know for it. Write the "
         "code or the name alone."),
        ("Korea (PRK)", "North Korea (PRK) is not a registered participant of the Alliance."),
        ("Russie", "Russian Federation (RUS) is not a registered participant of the Alliance."),
        ("Allemange", "'Allemange' is not a country we recognise. Did you mean Germany (DEU)?"),
        ("Koreaa", "'Koreaa' is not a country we recognise. Did you mean Republic of Korea (KOR)?"),
        ("Rep. of Korea",
         "'Rep. of Korea' is not a country we recognise. Did you mean Republic of Korea (KOR)?"),
        ("Congoo",
         "'Congoo' is not a country we recognise. Did you mean Republic of the Congo (COG) or Democratic "
         "Republic of the Congo (COD)?"),
        ("Atlantis",
         "'Atlantis' is not a country we recognise. Write the ISO code (e.g. DEU) or the name in English, "
         "French, Spanish or Arabic (e.g. Germany or Allemagne)."),
        ("Germany (DE\x00)",
         "This cell holds a NUL character, which cannot be stored. Type it again without it."),
    ],
)  # fmt: skip
def test_an_ambiguous_mismatched_or_unknown_country_is_refused_saying_why(text: str, message: str) -> None:
    assert refusal(text) == message


@pytest.mark.parametrize("text", ["DEU\x00", "DEU\ud800", "Germany\x00", "Allemagne (DEU\ud800)", "DE\x07U"])
def test_a_broken_character_after_a_code_or_name_is_never_read_past(text: str) -> None:
    assert "cannot be stored" in refusal(text) or "control character" in refusal(text)
    assert resolve(text, Register(REGISTER)).code is None  # also when called directly


@pytest.mark.parametrize(
    ("participants", "expected"),
    [
        ({"KOR": "Republic of Korea"}, "KOR"),  # the one participant "Korea" can mean
        ({"PRK": "DPR Korea"}, "PRK"),
        ({"DEU": "Germany"}, "ambiguous"),  # neither is a participant: both are named
        ({"KOR": "Republic of Korea", "PRK": "DPR Korea"}, "ambiguous"),  # both are
    ],
)
def test_a_name_several_countries_share_means_the_one_registered_participant(
    participants: dict[str, str], expected: str
) -> None:
    context = ValidationContext(participants, TODAY)
    if expected == "ambiguous":
        assert refusal("Korea", context).startswith("'Korea' can mean ")
        assert "(KOR)" in refusal("Korea", context)
        assert "(PRK)" in refusal("Korea", context)
    else:
        assert country("Korea", context) == expected


def test_the_registers_own_names_and_codes_are_recognised() -> None:
    context = ValidationContext({"XKX": "Kosovo", "DEU": "Germany"}, TODAY)
    assert [country(text, context) for text in ("XKX", "Kosovo", "kosovo", "Kosovo (XKX)")] == ["XKX"] * 4


def test_no_short_form_hides_a_code_and_each_names_a_real_country() -> None:
    index = _index()
    names = {**SHORT_FORMS, **{name: code for name, codes in AMBIGUOUS.items() for code in codes}}
    assert not [name for name in names if fold(name) in index.codes]
    assert not [code for code in names.values() if pycountry.countries.get(alpha_3=code) is None]


def test_only_the_listed_ambiguous_names_mean_several_countries() -> None:
    # A pycountry upgrade giving one name (in any language) to two countries shows up here.
    several = {key for key, codes in _index().names.items() if len(codes) > 1}
    assert several == {fold(name) for name in AMBIGUOUS}


def test_the_name_index_is_built_on_first_use_and_once() -> None:
    script = (
        "import data_ingest.schemas, data_ingest.countries as c\n"
        "assert c._index.cache_info().currsize == 0, 'built at import'\n"
        "assert c.lookup('Allemagne') == c.lookup('Alemania') == 'DEU'\n"
        "assert c._index.cache_info().misses == 1\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_command_line_loads_names_in_every_language_and_refuses_an_ambiguous_one(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    (tmp_path / "names.csv").write_text(
        HEADER + "Allemagne,2014,1,\nDeutschland,2015,2,\nGermany (DEU),2016,3,\nألمانيا,2017,4,\n"
        "Korea,2016,5,\nCorea del Sur,2017,6,\n",
        encoding="utf-8",
    )
    (tmp_path / "congo.csv").write_text(HEADER + "Congo,2014,1,\n", encoding="utf-8")
    loaded = run(tmp_path, "load", "names.csv", "--database", db_url)
    assert loaded.returncode == 0, loaded.stdout + loaded.stderr
    assert loaded.stdout.splitlines()[0] == (
        "names.csv: loaded, 6 rows, 6 values: 6 new, 0 revised, 0 unchanged"
    )
    with read_session(engine) as session:
        recorded = session.execute(select(Observation.participant_code, Observation.year)).all()
    assert sorted(recorded) == [("DEU", 2014), ("DEU", 2015), ("DEU", 2016), ("DEU", 2017),
                                ("KOR", 2016), ("KOR", 2017)]  # fmt: skip
    refused = run(tmp_path, "load", "congo.csv", "--database", db_url)
    assert refused.returncode == 1
    assert refused.stdout.splitlines()[1] == (
        "congo.csv:2:country: 'Congo' can mean Republic of the Congo (COG) or Democratic Republic of the "
        "Congo (COD). Write the ISO code or the full name."
    )
    prefilled = run(tmp_path, "template", "--participant", "Allemagne", "--database", db_url)
    assert prefilled.stdout.splitlines()[1].startswith("DEU,")
    ambiguous = run(tmp_path, "template", "--participant", "Guinea", "--database", db_url)
    assert ambiguous.returncode == 2
    assert "'Guinea' can mean Republic of Guinea (GIN)" in ambiguous.stderr


def test_the_upload_preview_reads_names_in_every_language_and_names_the_candidates(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    names = "country,year,identified_victims\nAllemagne,2023,5\nGermany (DEU),2024,6\nKorea,2024,7\n"
    valid = text(preview(web, names.encode()))
    assert "3 new values, 0 revised, 0 unchanged" in valid
    refused = text(preview(web, (names + "Congo,2024,1\n").encode()))
    assert "refused, 1 problem" in refused
    assert (
        "'Congo' can mean Republic of the Congo (COG) or Democratic Republic of the Congo (COD)." in refused
    )
