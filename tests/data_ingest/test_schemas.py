"""Validation: countries, years, counts, headings and layouts, and the exact report for each sample file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import TypeAdapter, ValidationError

from data_ingest.cells import SUGGESTIONS_PER_FILE, YEAR_CELL, Count, ValidationContext
from data_ingest.columns import canonical_column, column_letter
from data_ingest.countries import lookup
from data_ingest.load import read_file, validate_file
from models.recording import CellValue
from models.reference import read_participant_register

SAMPLES = Path(__file__).resolve().parent.parent / "data" / "ingest"
TODAY = dt.date(2026, 11, 28)
REGISTER = {record.code: record.name for record in read_participant_register()}
CONTEXT = ValidationContext(REGISTER, TODAY)
COUNT: TypeAdapter[int | None] = TypeAdapter(Count)


def _report(
    name: str, context: ValidationContext = CONTEXT
) -> list[tuple[int | None, str | None, str | None, str]]:
    validated = validate_file(read_file((SAMPLES / name).read_bytes(), name), context)
    return [(e.row, e.column, e.value, e.message) for e in validated.errors]


def _values(content: bytes, name: str = "x.csv") -> list[CellValue]:
    validated = validate_file(read_file(content, name), CONTEXT)
    assert validated.errors == ()
    return [cell.value for cell in validated.cells]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("DEU", "DEU"), ("de", "DEU"), ("Germany", "DEU"), (" germany ", "DEU"),
        ("Federal Republic of Germany", "DEU"),
        ("USA", "USA"), ("US", "USA"), ("U.S.A.", "USA"), ("United States", "USA"),
        ("United States of America", "USA"),
        ("UK", "GBR"), ("Great Britain", "GBR"), ("United Kingdom", "GBR"), ("GB", "GBR"),
        ("South Korea", "KOR"), ("Korea (Republic of)", "KOR"), ("Republic of Korea", "KOR"),
        ("Korea, Republic of", "KOR"),
        ("Czechia", "CZE"), ("Czech Republic", "CZE"),
        ("Türkiye", "TUR"), ("TURKIYE", "TUR"), ("Turkey", "TUR"),
        ("Viet Nam", "VNM"), ("Vietnam", "VNM"),
        ("Republic of Moldova", "MDA"), ("Moldova", "MDA"),
        ("The Netherlands", "NLD"), ("Netherlands", "NLD"), ("Holland", "NLD"),
        ("Côte d’Ivoire", "CIV"), ("EL", "GRC"),
    ],
)  # fmt: skip
def test_countries_are_recognised_by_code_name_and_usual_alias(text: str, code: str) -> None:
    assert lookup(text) == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234", 1234), ("0", 0), ("007", 7), ("1,234", 1234), ("1 234", 1234), ("1\u00a0234", 1234),
        ("1\u202f234", 1234), ("1'234", 1234), ("1’234’567", 1234567), ("1234.0", 1234), ("1,234.00", 1234),
        (" 12 ", 12), ("10000000000", 10**10), ("10,000,000,000", 10**10), ("00010000000000", 10**10),
        ("", None), ("  ", None), ("n/a", None), ("N/A", None), ("NA", None), ("-", None), ("–", None),
        ("..", None),
    ],
)  # fmt: skip
def test_counts_are_read_exactly_and_not_reported_is_never_zero(text: str, expected: int | None) -> None:
    assert COUNT.validate_python(text) == expected


TOO_LARGE = (
    "is larger than any count of victims can be: counts are at most 10,000,000,000, more than the world's "
    "population. Check the figure."
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1.234", "'1.234' is ambiguous (a point may separate thousands or decimals): write 1234 or 1,234."),
        (
            "12.000",
            "'12.000' is ambiguous (a point may separate thousands or decimals): write 12000 or 12,000.",
        ),
        ("1234.5", "'1234.5' is not a whole number: counts are whole numbers of victims."),
        ("-5", "'-5' is negative: a count cannot be below zero."),
        ("−5", "'−5' is negative: a count cannot be below zero."),
        ("many", "'many' is not a number. Leave the cell empty if not reported."),
        ("1,2345", "'1,2345' is not a whole number we can read: write digits only, e.g. 1234 or 1,234."),
        (
            "1,234 567",
            "'1,234 567' is not a whole number we can read: write digits only, e.g. 1234 or 1,234.",
        ),
        ("١٢٣", "'١٢٣' is not a whole number we can read: write digits only, e.g. 1234 or 1,234."),
        (
            "1.2E+05",
            "'1.2E+05' is in scientific notation, which can lose digits: write the figure with all its "
            "digits, e.g. 123456.",
        ),
        ("10000000001", f"'10000000001' {TOO_LARGE}"),
        ("10,000,000,001", f"'10,000,000,001' {TOO_LARGE}"),
        ("5000000000000000000", f"'5000000000000000000' {TOO_LARGE}"),
        ("9" * 5000, f"'{'9' * 79}…' {TOO_LARGE}"),  # quoted shortened: a message stays readable
        ("{x}", "'{x}' is not a number. Leave the cell empty if not reported."),
    ],
)
def test_counts_that_are_not_whole_non_negative_numbers_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        COUNT.validate_python(text)
    assert [error["msg"] for error in caught.value.errors()] == [message]


@pytest.mark.parametrize(
    ("text", "year"), [("2014", 2014), ("2014.0", 2014), (" 2000 ", 2000), ("2026", 2026)]
)
def test_years_from_2000_to_this_year_are_accepted(text: str, year: int) -> None:
    assert YEAR_CELL.validate_python(text, context=CONTEXT) == year


@pytest.mark.parametrize(
    ("heading", "column"),
    [
        ("Country", "country"), (" ISO3 ", "country"), ("Country Code", "country"),
        ("country-code", "country"), ("participant", "country"), ("iso", "country"),
        ("Reporting year", "year"), ("PERIOD", "year"),
        ("Identified victims", "identified_victims"), ("victims-identified", "identified_victims"),
        ("identified", "identified_victims"), ("New identified victims", "identified_victims"),
        ("Cumulative", "cumulative_total"), ("cumulative identified", "cumulative_total"),
        ("Total_Identified", "cumulative_total"), ("cumulative  total", "cumulative_total"),
        ("Notes", "notes"), ("victims", None), ("comment", None),
    ],
)  # fmt: skip
def test_headings_match_without_case_spacing_or_separators_and_through_aliases(
    heading: str, column: str | None
) -> None:
    assert canonical_column(heading) == column


@pytest.mark.parametrize(("index", "letter"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")])
def test_column_letters_are_the_spreadsheets(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def test_long_layout_gives_both_indicators_and_skips_not_reported() -> None:
    content = b"Country;Year;Victims identified;Cumulative\nGermany;2014;1.234,0;\nFR;2015;n/a;5 000\n"
    # 1.234,0 is not a form we accept: the semicolon file must write 1234 or 1 234.
    validated = validate_file(read_file(content, "x.csv"), CONTEXT)
    assert [e.message for e in validated.errors] == [
        "'1.234,0' is not a whole number we can read: write digits only, e.g. 1234 or 1,234."
    ]
    assert _values(
        b'country,year,identified_victims,cumulative_total\nDEU,2014,10,\nFR,2015,n/a,"5,000"\n'
    ) == [
        CellValue("DEU", "identified_victims", 2014, 10),
        CellValue("FRA", "cumulative_identified", 2015, 5000),
    ]


def test_wide_layout_gives_identified_victims_per_year_column() -> None:
    content = b"Country,2013,2014,2015.0\nGermany,10,,7\nUSA,,n/a,1\n"
    assert _values(content) == [
        CellValue("DEU", "identified_victims", 2013, 10),
        CellValue("DEU", "identified_victims", 2015, 7),
        CellValue("USA", "identified_victims", 2015, 1),
    ]


def test_wide_layout_may_leave_the_country_heading_empty() -> None:
    assert _values(b",2014\nDEU,3\n") == [CellValue("DEU", "identified_victims", 2014, 3)]


def test_a_file_for_another_participant_than_allowed_is_refused_row_by_row() -> None:
    context = ValidationContext(REGISTER, TODAY, allowed_participant="DEU")
    validated = validate_file(
        read_file(b"country,year,identified_victims\nDEU,2014,1\nFrance,2014,2\n", "x.csv"), context
    )
    assert [(e.row, e.column, e.value, e.message) for e in validated.errors] == [
        (
            3,
            "country",
            "France",
            "This file may only hold figures for Germany (DEU); this row is for France (FRA).",
        ),
    ]


EXPECTED_REPORTS = {
    "ambiguous-number.csv": [
        (2, "identified_victims", "1.234",
         "'1.234' is ambiguous (a point may separate thousands or decimals): write 1234 or 1,234."),
        (3, "cumulative_total", "1.000.000",
         "'1.000.000' is ambiguous (a point may separate thousands or decimals): "
         "write 1000000 or 1,000,000."),
    ],
    "bad-year.csv": [
        (2, "year", "2031", "Year 2031 is in the future."),
        (3, "year", "1999", "Year 1999 is before 2000, the first year the Monitor records."),
        (4, "year", "14", "'14' is not a year: write all four digits, e.g. 2014."),
        (5, "year", "twenty", "'twenty' is not a year: write it as four digits, e.g. 2014."),
        (6, "year", "", "The year is missing."),
    ],
    "demo-export.csv": [
        (2, "notes", "Demonstration data — not real figures",
         "This row comes from demonstration data (an export of the demonstration database): its figures are "
         "invented and cannot be loaded as real figures."),
    ],
    "empty.csv": [(None, None, None, "The file is empty.")],
    "header-only.csv": [
        (None, None, None, "The file has a header but no rows of figures. Add one row per country and year.")
    ],
    "json-problems.json": [
        (2, None, "FRA,2014,5",
         'Item 2 is not a row object with column names, like {"country": "DEU", "year": 2014, ...}.'),
        (3, "identified_victims", None, "The column 'identified_victims' is given twice in this object."),
    ],
    "missing-column.csv": [(1, "year", None, "The column 'year' is missing.")],
    "no-figure.csv": [
        (2, "identified_victims", "",
         "This row has no figure: fill in 'identified_victims' or 'cumulative_total', or delete the row."),
    ],
    "not-an-array.json": [
        (None, None, None,
         'A JSON file must be an array of row objects: [{"country": "DEU", "year": 2014, ...}, ...].'),
    ],
    "not-whole-numbers.csv": [
        (2, "identified_victims", "12.5",
         "'12.5' is not a whole number: counts are whole numbers of victims."),
        (2, "cumulative_total", "-3", "'-3' is negative: a count cannot be below zero."),
        (3, "identified_victims", "many", "'many' is not a number. Leave the cell empty if not reported."),
        (3, "cumulative_total", "1e5",
         "'1e5' is in scientific notation, which can lose digits: write the figure with all its digits, "
         "e.g. 123456."),
        (4, "identified_victims", "1 234.50",
         "'1 234.50' is not a whole number: counts are whole numbers of victims."),
        (4, "cumulative_total", "12,34",
         "'12,34' is not a whole number we can read: write digits only, e.g. 1234 or 1,234."),
    ],
    "pdf-renamed.csv": [
        (None, None, None,
         "This is a PDF document, not a table of figures. Send the figures as CSV, XLSX or JSON "
         "(see the file format page, /file-format)."),
    ],
    "repeated-country-year.csv": [
        (4, "country", "Germany",
         "Germany (DEU) 2014 is also in row 2: each country and year may appear only once in a file."),
    ],
    "unclosed-quote.csv": [
        (2, None, None,
         "Row 2 cannot be read: a quotation mark (\") is not closed, or stands in the middle of a cell. "
         "Check that row and the ones after it."),
    ],
    "unknown-column.csv": [
        (1, "victims", "victims",
         "Unknown column 'victims'. The columns are: country, year, identified_victims, cumulative_total, "
         "notes (see the file format page, /file-format)."),
        (1, "comment", "comment",
         "Unknown column 'comment'. The columns are: country, year, identified_victims, cumulative_total, "
         "notes (see the file format page, /file-format)."),
    ],
    "unknown-country.csv": [
        (2, "country", "Germny", "'Germny' is not a country we recognise. Did you mean Germany (DEU)?"),
        (3, "country", "Atlantis",
         "'Atlantis' is not a country we recognise. Write the ISO code (e.g. DEU) or the name in English, "
         "French, Spanish or Arabic (e.g. Germany or Allemagne)."),
        (4, "country", "Brazil", "Brazil (BRA) is not a registered participant of the Alliance."),
    ],
    "wide-layout-problems.csv": [
        (1, "2031", "2031", "Year 2031 is in the future."),
        (1, "notes", "notes",
         "'notes' is not a year: in a table with years as column headings, every column after the country "
         "must be a year, such as 2014."),
        (3, "2013", "1.5", "'1.5' is not a whole number: counts are whole numbers of victims."),
        (4, "country", "Germany",
         "Germany (DEU) is also in row 2: each country may appear only once in a file."),
    ],
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED_REPORTS))
def test_each_sample_file_gets_exactly_its_report(name: str) -> None:
    assert _report(name) == EXPECTED_REPORTS[name]


def test_every_sample_file_has_an_expected_report() -> None:
    assert sorted(path.name for path in SAMPLES.iterdir()) == sorted(EXPECTED_REPORTS)


def test_unknown_heading_close_to_a_known_one_gets_a_suggestion() -> None:
    validated = validate_file(read_file(b"country,year,identified_victim\nDEU,2014,1\n", "x.csv"), CONTEXT)
    assert [e.message for e in validated.errors] == [
        "Unknown column 'identified_victim'. Did you mean 'identified_victims'? The columns are: "
        "country, year, identified_victims, cumulative_total, notes "
        "(see the file format page, /file-format).",
        "The file needs a column 'identified_victims' or 'cumulative_total' (or both).",
    ]


def test_a_column_given_twice_under_two_names_is_an_error_naming_both() -> None:
    validated = validate_file(read_file(b"country,iso3,year,identified\nDEU,DEU,2014,1\n", "x.csv"), CONTEXT)
    assert [(e.row, e.column, e.message) for e in validated.errors] == [
        (1, "iso3", "Column 'iso3' repeats column 'country' (A): both give the country. Keep one."),
    ]


def test_figures_without_a_heading_are_not_dropped_silently() -> None:
    validated = validate_file(
        read_file(b"country,year,identified_victims\nDEU,2014,1,99\n", "x.csv"), CONTEXT
    )
    assert [(e.row, e.column, e.value, e.message) for e in validated.errors] == [
        (1, "D", None, "Column D has figures but no heading."),
    ]


def test_a_file_of_unknown_names_makes_a_bounded_number_of_fuzzy_searches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import difflib

    from data_ingest import countries

    searches: list[str] = []
    real = difflib.get_close_matches

    def counted(word: str, *args: object, **kwargs: object) -> list[str]:
        searches.append(word)
        return real(word, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(countries.difflib, "get_close_matches", counted)
    countries.suggest.cache_clear()
    rows = "".join(f"Nowhereland {i},2014,1\n" for i in range(SUGGESTIONS_PER_FILE + 400))
    validated = validate_file(
        read_file(f"country,year,identified_victims\n{rows}".encode(), "x.csv"), CONTEXT
    )
    assert validated.error_count == SUGGESTIONS_PER_FILE + 400  # every row is still checked and reported
    assert len(set(searches)) == SUGGESTIONS_PER_FILE  # but only so many names are searched for
    last = validated.errors[-1].message
    assert last.endswith(
        "is not a country we recognise. Write the ISO code (e.g. DEU) or the name in English, French, "
        "Spanish or Arabic (e.g. Germany or Allemagne)."
    )
    again = validate_file(read_file(b"country,year,identified_victims\nGermny,2014,1\n", "y.csv"), CONTEXT)
    assert "Did you mean Germany (DEU)?" in again.errors[0].message  # every file has its own budget


def test_errors_beyond_those_kept_are_counted_per_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("data_ingest.report.ERRORS_KEPT", 50)
    rows = "".join("DEU,20x4,-1\n" for _ in range(100))
    validated = validate_file(
        read_file(f"country,year,identified_victims,oops\n{rows}".encode(), "x.csv"), CONTEXT
    )
    assert len(validated.errors) == 50
    assert validated.errors[0].row == 1  # the header's problem first
    assert validated.error_count == 201
    assert dict(validated.error_counts) == {"oops": 1, "year": 100, "identified_victims": 100}


def test_figures_in_the_last_of_a_hundred_columns_are_named_not_dropped() -> None:
    long_rows = "".join(f"DEU,{year},5" + "," * 97 + "x\n" for year in (2014, 2015, 2016))  # 100 cells
    validated = validate_file(
        read_file(f"country,year,identified_victims\n{long_rows}".encode(), "x.csv"), CONTEXT
    )
    assert [(e.row, e.column) for e in validated.errors] == [(1, "CV")]
    assert validated.errors[0].message == "Column CV has figures but no heading."


def test_a_refused_file_keeps_none_of_its_values_however_many_it_holds() -> None:
    header = "country," + ",".join(str(year) for year in range(2000, 2027))
    rows = "".join("DEU," + ",".join(["1"] * 27) + "\n" for _ in range(500))  # 27 values a row, 13,500 in all
    validated = validate_file(read_file(f"{header}\n{rows}".encode(), "x.csv"), CONTEXT)
    assert validated.error_count == 499  # every later row repeats Germany
    assert validated.cells == ()
