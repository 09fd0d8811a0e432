"""Templates: never a formula, whatever they are made from; a country drop-down taking what it promises."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook, load_workbook

from data_ingest.cells import COUNTRY_CELL, ValidationContext
from data_ingest.exports import DatasetRow, dataset_csv
from data_ingest.template import template_csv, template_xlsx
from models.reference import read_participant_register

TODAY = dt.date(2026, 12, 1)
FORGED = '=HYPERLINK("http://evil.example")'


def test_a_csv_template_made_from_a_formula_holds_it_as_text() -> None:
    rows = template_csv(FORGED, TODAY).splitlines()[1:]
    assert rows == [
        '"\'=HYPERLINK(""http://evil.example"")",2024,,,',
        '"\'=HYPERLINK(""http://evil.example"")",2025,,,',
    ]


def test_an_xlsx_template_made_from_formulas_has_no_formula_cell() -> None:
    book = load_workbook(io.BytesIO(template_xlsx({"=AB": FORGED, "DEU": "Germany"}, FORGED, TODAY)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert book["Figures"]["A2"].value == "'" + FORGED
    assert ("'=AB", "'" + FORGED) in list(book["Countries"].iter_rows(values_only=True))


def test_an_export_row_is_never_a_formula() -> None:
    text = dataset_csv([DatasetRow("DEU", 2014, 5, None, "-note"), DatasetRow("FRA", 2014, None, 7, "+x")])
    assert text.splitlines()[1:] == ["DEU,2014,5,,'-note", "FRA,2014,,7,'+x"]


def _country_list(book: Workbook) -> tuple[str, list[str]]:
    """The country column's validation formula, and the entries of the range it names."""
    rules = book["Figures"].data_validations.dataValidation
    [rule] = [rule for rule in rules if str(rule.sqref) == "A2:A1001"]
    assert rule.type == "list"
    assert rule.showErrorMessage  # Excel refuses what the list does not hold
    [(sheet, cells)] = list(book.defined_names[rule.formula1].destinations)
    return rule.formula1, [cell.value for row in book[sheet][cells] for cell in row]


def test_the_xlsx_country_drop_down_holds_what_its_instructions_promise() -> None:
    register = {record.code: record.name for record in read_participant_register()}
    book = load_workbook(io.BytesIO(template_xlsx(register, None, TODAY)))
    formula, entries = _country_list(book)
    assert formula == "CountryNames"
    names = book["Names"]
    assert names.sheet_state == "hidden"
    assert entries == [row[0] for row in names.iter_rows(min_row=2, values_only=True)]  # the whole column
    assert entries[:3] == ["Albania (ALB)", "Australia (AUS)", "Austria (AUT)"]  # display forms first
    assert len({entry.casefold() for entry in entries}) == len(entries)
    [promise] = [c.value for c in book["Instructions"]["A"] if str(c.value).startswith("country:")]
    examples = ["Germany (DEU)", "DEU", "DE", "Germany", "Allemagne", "Alemania", "ألمانيا", "UK", "USA",
                "Deutschland"]  # fmt: skip
    assert all(example in promise for example in examples)
    assert set(examples) <= set(entries)
    for code, name in register.items():
        assert {f"{name} ({code})", code, name} <= set(entries), code
    assert {"Korea", "Corée", "Republic of Korea", "Corea del Sur", "كوريا الجنوبية", "Royaume-Uni",
            "Reino Unido", "المملكة المتحدة", "Turquie", "Türkiye", "Turkey"} <= set(entries)  # fmt: skip
    context = ValidationContext(register, TODAY)
    assert {COUNTRY_CELL.validate_python(entry, context=context) for entry in entries} == set(register)
    assert "Congo" not in entries  # no participant's name, and ambiguous
    assert "Guinea" not in entries
