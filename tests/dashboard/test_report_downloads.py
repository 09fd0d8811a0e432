"""The spreadsheet and CSV downloads as a report needs them: a report sheet beside the long data, an
About sheet that defines exactly the statuses its columns hold, and files that differ when they show
different things."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

import openpyxl
import pytest
from flask import Flask

from dashboard.pages import compliance, reporting
from dashboard.pages import map as map_page
from models.demo import DEMO_LABEL
from models.metrics.compliance import PROGRESS, STATUSES
from models.metrics.reporting import REPORTING_STATUSES
from models.reports.exports import about_codes
from models.reports.sheets import STATUS_CELLS

COMPLIANCE = {"basis": "annual", "start": "2019", "end": "2021", "cycle": "any", "status": list(STATUSES),
              "participants": None}  # fmt: skip


def content(download: dict[str, Any]) -> bytes:
    return base64.b64decode(download["content"]) if download.get("base64") else download["content"].encode()


def book(download: dict[str, Any]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content(download)))


def rows(download: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content(download).decode("utf-8-sig"))))


def test_the_compliance_xlsx_has_a_report_sheet_participants_down_years_across(demo_app: Flask) -> None:
    workbook = book(compliance.compliance_download("compliance-table-xlsx", **COMPLIANCE))
    assert workbook.sheetnames == ["Report", "Data", "About"]
    sheet = workbook["Report"]
    assert sheet["A1"].value == "Compliance with the 10% goal, annual basis, 2019–2021"
    assert sheet["A3"].value == DEMO_LABEL
    header = [c.value for c in sheet[4]]
    assert header == ["Participant", "Code", "2019", "2020", "2021"]
    assert sheet.freeze_panes == "C5"
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    body = [[c.value for c in row] for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row)]
    people = [row for row in body if row[1] and row[1] != "ALL"]
    assert [row[0] for row in people] == sorted(row[0] for row in people)
    shown = {cell for row in people for cell in row[2:] if cell}
    assert shown <= set(STATUS_CELLS.values())
    assert "✓ Met" in shown
    assert "✗ Not met" in shown
    alliance = next(row for row in body if row[1] == "ALL")
    covers = body[body.index(alliance) + 1]
    assert covers[0] == "Alliance covers"
    assert all(" of " in str(cell) for cell in covers[2:])
    # columns as wide as their content: the participant column fits its longest name
    longest = max(len(str(row[0])) for row in body if row[0] and row[1])
    assert sheet.column_dimensions["A"].width >= longest
    assert sheet.column_dimensions["C"].width < sheet.column_dimensions["A"].width
    assert [c.value for c in workbook["Data"][1]][:2] == ["participant", "name"]  # the long sheet stays


@pytest.mark.parametrize(
    ("trigger", "domains"),
    [
        ("reporting-participants-xlsx", {"status": REPORTING_STATUSES}),
        ("reporting-summary-xlsx", {}),
    ],
)
def test_the_reporting_about_sheet_defines_the_statuses_its_columns_hold(
    demo_app: Flask, trigger: str, domains: dict[str, tuple[str, ...]]
) -> None:
    workbook = book(reporting.reporting_download(trigger, cycle="Report 2020"))
    defined = about_codes(workbook["About"])
    assert {column: set(codes) for column, codes in domains.items()} == defined
    data = workbook["Data"]
    header = [c.value for c in data[1]]
    for column, codes in defined.items():
        held = {row[header.index(column)] for row in data.iter_rows(min_row=2, values_only=True)}
        assert held <= codes, held - codes
    assert "met" not in str(defined)


def test_the_compliance_about_sheet_defines_exactly_the_compliance_codes(demo_app: Flask) -> None:
    workbook = book(compliance.compliance_download("compliance-table-xlsx", **COMPLIANCE))
    defined = about_codes(workbook["About"])
    assert defined == {"status": set(STATUSES), "progress": set(PROGRESS)}
    data = workbook["Data"]
    header = [c.value for c in data[1]]
    for column, codes in defined.items():
        held = {row[header.index(column)] for row in data.iter_rows(min_row=2, values_only=True)} - {None}
        assert held <= codes
    assert {"met", "not_met"} <= {
        row[header.index("status")] for row in data.iter_rows(min_row=2, values_only=True)
    }


def test_the_reporting_participants_sheet_shows_the_covered_years_and_the_status(demo_app: Flask) -> None:
    sheet = book(reporting.reporting_download("reporting-participants-xlsx", cycle="Report 2020"))["Report"]
    header = [c.value for c in sheet[4]]
    assert header == ["Participant", "Code", "2018", "2019", "Status", "Last year reported on", "Days late"]
    statuses = {row[4] for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]}
    assert statuses <= {"✓ On time", "◷ Late", "◐ Incomplete", "– Missing"}
    assert "✓ On time" in statuses


def test_the_compliance_grid_csv_is_wide_and_differs_from_the_table(demo_app: Flask) -> None:
    grid = compliance.compliance_download("compliance-grid-csv", **COMPLIANCE)
    table = compliance.compliance_download("compliance-table-csv", **COMPLIANCE)
    assert content(grid) != content(table)
    wide = rows(grid)
    assert list(wide[0]) == [
        "participant",
        "name",
        "2019",
        "2020",
        "2021",
        "revised_after_close_years",
        "data_note",
    ]
    assert {r["revised_after_close_years"] for r in wide} == {""}  # no demonstration cycle is closed
    assert wide[-1]["participant"] == "ALL"
    assert len({r["participant"] for r in wide}) == len(wide)
    long = rows(table)
    assert len(long) == 3 * len(wide)  # three years per participant, each a row of its own
    fra = {(r["year"], r["status"]) for r in long if r["participant"] == "FRA"}
    assert fra == {
        (year, next(w for w in wide if w["participant"] == "FRA")[year]) for year in ("2019", "2020", "2021")
    }


def test_the_map_downloads_hold_what_each_view_shows(demo_app: Flask) -> None:
    controls = {"year": "2020", "basis": "annual", "measure": "growth", "region": "world"}
    chart, ranking, table = (
        map_page.map_download(trigger, **controls)
        for trigger in ("map-choropleth-csv", "map-ranking-csv", "map-table-csv")
    )
    assert len({content(chart), content(ranking), content(table)}) == 3
    assert list(rows(chart)[0]) == ["participant", "name", "status", "growth", "data_note"]
    ranked = rows(ranking)
    assert list(ranked[0]) == ["rank", "participant", "name", "growth", "status", "data_note"]
    assert [r["rank"] for r in ranked] == [str(n) for n in range(1, len(ranked) + 1)]
    growths = [float(r["growth"]) for r in ranked if r["growth"]]
    assert growths == sorted(growths, reverse=True)
    assert {"previous_value", "required_value", "progress"} <= set(rows(table)[0])


def test_the_page_and_the_command_line_agree_on_the_alliance_of_a_one_year_range(
    demo_app: Flask, demo_db_url: str
) -> None:
    from models.metrics.__main__ import main
    from tests.cli import invoke

    result = invoke(main, "compliance", "--database", demo_db_url, "--from", "2025", "--to", "2025",
                    "--participant", "ALL", "--format", "csv")  # fmt: skip
    cli = {r["year"]: r["status"] for r in csv.DictReader(io.StringIO(result.stdout))}
    outputs = compliance.update_compliance_grid("cumulative", "2025", "2025", "any", list(STATUSES), None)
    page = {str(r["year"]): r["status"] for r in outputs[4] if r["participant"] == "ALL"}
    assert cli == page
    assert cli["2025"] in ("met", "not_met")


def test_the_reporting_chart_csv_holds_what_the_bars_draw_and_differs_from_the_table(demo_app: Flask) -> None:
    chart = reporting.reporting_download("reporting-cycles-csv", cycle="Report 2020")
    table = reporting.reporting_download("reporting-summary-csv", cycle="Report 2020")
    assert content(chart) != content(table)
    assert list(rows(chart)[0]) == [
        "cycle",
        "expected",
        "on_time",
        "late",
        "incomplete",
        "missing",
        "data_note",
    ]
    assert {"deadline", "completeness_pct", "timeliness_pct"} <= set(rows(table)[0])
    assert [r["cycle"] for r in rows(chart)] == [r["cycle"] for r in rows(table)]
