"""Templates and exports never carry a formula, whatever they are made from."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from data_ingest.exports import DatasetRow, dataset_csv
from data_ingest.template import template_csv, template_xlsx

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
