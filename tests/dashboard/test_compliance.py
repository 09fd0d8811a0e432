"""Compliance page: the grid and table for a basis, a range or a cycle, and chosen statuses."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard import _data
from dashboard.pages import compliance
from models.metrics import service
from models.metrics.compliance import STATUSES
from tests.dashboard.conftest import content, find
from tests.web import WebClient


def met_in(engine: Engine, basis: str, year: int) -> list[str]:
    table = service.compliance(engine, basis)
    names = dict(zip(service.participants(engine)["code"], service.participants(engine)["name"], strict=True))
    rows = table[(table["participant"] != "ALL") & (table["year"] == year) & (table["status"] == "met")]
    return sorted(names[code] for code in rows["participant"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"basis": "annual", "from": "2016", "to": "2018", "status": "met"},
            ("annual", "2016", "2018", "any", ["met"]),
        ),
        (
            {"from": "2018", "to": "2016"},  # reversed: the same two years, in order
            ("cumulative", "2016", "2018", "any", ["met", "not_met", "no_baseline", "missing"]),
        ),
        (
            {"basis": "annual", "from": "2025", "to": "2024", "status": "met,missing"},
            ("annual", "2024", "2025", "any", ["met", "missing"]),
        ),
        (
            {"cycle": "Report 2020", "from": "2013"},
            ("cumulative", "2018", "2019", "Report 2020", ["met", "not_met", "no_baseline", "missing"]),
        ),
        (
            {"cycle": "Report 1999", "status": "bogus"},
            ("cumulative", "2012", "2025", "any", ["met", "not_met", "no_baseline", "missing"]),
        ),
    ],
)
def test_layout_reads_the_url_and_falls_back_to_defaults(
    demo_app: Flask, query: dict[str, str], expected: tuple[object, ...]
) -> None:
    page = compliance.layout(**query)
    ids = ["compliance-basis", "compliance-from", "compliance-to", "compliance-cycle", "compliance-status"]
    assert tuple(find(page, i).value for i in ids) == expected


@pytest.mark.parametrize("basis", ["cumulative", "annual"])
def test_one_year_and_met_answers_who_met_the_goal(demo_app: Flask, demo_engine: Engine, basis: str) -> None:
    heading, grid, _config, summary, rows, _label, _figures, _revised, query = (
        compliance.update_compliance_grid(basis, "2020", "2020", "any", ["met"], [])
    )
    expected = met_in(demo_engine, basis, 2020)
    participants = [row for row in rows if row["participant"] != "ALL"]
    assert sorted(row["name"] for row in participants) == expected
    assert summary.startswith(f"In 2020, on the {basis} basis — ✓ met: {len(expected)} (")
    assert all(name in summary for name in expected)
    assert heading == f"Status per participant and year, {basis} basis, 2020"
    assert query == f"?basis={basis}&from=2020&to=2020&status=met"
    assert {trace["name"] for trace in grid["data"]} == {"✓ met"}


NO = compliance.no_update


@pytest.mark.parametrize(
    ("trigger", "start", "end", "cycle", "expected"),
    [
        ("compliance-from", "2025", "2024", "any", (NO, "2025", "any")),  # To moves along to From
        ("compliance-from", "2016", "2024", "any", (NO, NO, "any")),
        ("compliance-from", "2024", "2024", "any", (NO, NO, "any")),  # From = To: one year
        ("compliance-to", "2024", "2013", "any", ("2013", NO, "any")),  # From moves back to To
        ("compliance-to", "2016", "2018", "any", (NO, NO, "any")),
        ("compliance-one-year", "2020", "2025", "any", (NO, "2020", "any")),
        ("compliance-one-year", "2020", "2020", "any", (NO, NO, "any")),
        ("compliance-from", "2022", "2021", "Report 2022", (NO, "2022", "any")),
        ("compliance-to", "2020", "2021", "Report 2022", (NO, NO, NO)),  # still the cycle's years
        ("compliance-cycle", "2025", "2025", "Report 2020", ("2018", "2019", NO)),
        ("compliance-cycle", "2016", "2018", "any", (NO, NO, NO)),
        ("compliance-from", None, "2018", "any", (NO, NO, NO)),  # nothing to go by: nothing moves
        ("compliance-one-year", "x", "2018", ["any"], (NO, NO, NO)),
    ],
)
def test_the_year_just_chosen_is_kept_and_the_other_end_follows(
    demo_app: Flask, trigger: str, start: object, end: object, cycle: object, expected: tuple[object, ...]
) -> None:
    assert compliance.compliance_range(trigger, start, end, cycle) == expected


@pytest.mark.parametrize(
    ("controls", "expected"),
    [
        (
            ("annual", "2025", "2024", "any", ["met"], ["FRA"]),
            ("annual", 2024, 2025, "any", ["met"], ["FRA"]),
        ),
        # No status given at all (not even an empty choice): every status, as in the address.
        (("annual", "2018", "2018", None, None, None), ("annual", 2018, 2018, "any", list(STATUSES), None)),
        (("annual", "2018", "2018", None, [], None), ("annual", 2018, 2018, "any", [], None)),
        (
            ("bogus", "1900", "2016", "any", ["met", "x"], []),
            ("cumulative", 2012, 2016, "any", ["met"], None),
        ),
        (
            ("cumulative", "2025", "2012", "Report 2020", ["not_met"], ["DEU"]),
            ("cumulative", 2018, 2019, "Report 2020", ["not_met"], ["DEU"]),
        ),
    ],
)
def test_the_query_checks_every_control_and_keeps_the_others_when_one_is_bad(
    demo_app: Flask, controls: tuple[object, ...], expected: tuple[object, ...]
) -> None:
    keys = ["basis", "from", "to", "cycle", "status", "participants"]
    query = _data.compliance_page(dict(zip(keys, controls, strict=True))).query
    assert (query.basis, query.start, query.end, query.cycle, query.statuses, query.codes) == expected


def test_a_cycle_sets_its_years_and_hand_picked_years_clear_it(demo_app: Flask) -> None:
    assert compliance.compliance_range("compliance-cycle", "2012", "2025", "Report 2022") == (
        "2020",
        "2021",
        compliance.no_update,
    )
    assert compliance.compliance_range("compliance-from", "2019", "2021", "Report 2022")[2] == "any"
    assert (
        compliance.compliance_range("compliance-to", "2020", "2021", "Report 2022")[2] is compliance.no_update
    )
    *_, query = compliance.update_compliance_grid(
        "annual", "2012", "2025", "Report 2022", ["met", "not_met"], None
    )
    assert query == "?basis=annual&from=2020&to=2021&cycle=Report+2022&status=met,not_met"


def test_no_status_chosen_shows_nothing_and_a_reload_keeps_it_so(demo_app: Flask) -> None:
    _heading, _grid, _config, _summary, rows, _label, _figures, _revised, query = (
        compliance.update_compliance_grid("annual", "2020", "2020", "any", [], [])
    )
    assert rows == []
    assert query == "?basis=annual&from=2020&to=2020&status=none"
    reloaded = compliance.layout(basis="annual", **{"from": "2020", "to": "2020", "status": "none"})
    assert find(reloaded, "compliance-status").value == []
    assert find(compliance.layout(basis="annual"), "compliance-status").value == list(STATUSES)


def test_downloads_are_the_rows_shown(demo_app: Flask, demo_engine: Engine) -> None:
    csv = compliance.compliance_download(
        "compliance-table-csv", basis="annual", start="2020", end="2020", cycle="any", status=["met"]
    )
    assert csv["filename"] == "vid-compliance-table-annual-2020-demo.csv"
    lines = content(csv).decode("utf-8-sig").splitlines()
    table = service.compliance(demo_engine, "annual")
    met = table[(table["year"] == 2020) & (table["status"] == "met")]  # participants and the Alliance row
    assert len(lines) - 1 == len(met)
    xlsx = compliance.compliance_download(
        "compliance-table-xlsx", basis="annual", start="2012", end="2025", cycle="any", status=["met"]
    )
    assert xlsx["filename"] == "vid-compliance-table-annual-2012-2025-demo.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content(xlsx)))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["years"] == "2012–2025"
    assert about["statuses"] == "met"


def test_chosen_participants_and_the_alliance(demo_app: Flask) -> None:
    page = compliance.layout(participants="fra,DEU,xyz,ALL")
    assert find(page, "compliance-participants").value == ["FRA", "DEU", "ALL"]  # by name: France, Germany
    _heading, _grid, _config, _summary, rows, label, _figures, _revised, query = (
        compliance.update_compliance_grid(
            "annual", "2020", "2021", "any", ["met", "not_met"], ["DEU", "FRA", "ALL"]
        )
    )
    assert {row["participant"] for row in rows} <= {"DEU", "FRA", "ALL"}
    assert label == "Participants: 3 chosen"
    assert query.endswith("&participants=FRA,DEU,ALL")  # canonical order: by name, the Alliance last
    download = compliance.compliance_download(
        "compliance-table-xlsx",
        basis="annual",
        start="2020",
        end="2021",
        cycle="any",
        status=["met"],
        participants=["FRA"],
    )
    book = openpyxl.load_workbook(io.BytesIO(content(download)))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["participants shown"] == "FRA"


def test_the_chart_and_the_table_download_under_different_names(demo_app: Flask) -> None:
    controls = {"basis": "cumulative", "start": "2016", "end": "2018", "cycle": "any", "status": ["met"]}
    names = {
        trigger: compliance.compliance_download(trigger, **controls)["filename"]
        for trigger in ("compliance-grid-csv", "compliance-table-csv", "compliance-table-xlsx")
    }
    assert names == {
        "compliance-grid-csv": "vid-compliance-grid-cumulative-2016-2018-demo.csv",
        "compliance-table-csv": "vid-compliance-table-cumulative-2016-2018-demo.csv",
        "compliance-table-xlsx": "vid-compliance-table-cumulative-2016-2018-demo.xlsx",
    }


def test_a_cycle_nobody_reported_for_shows_its_years_and_everyone_missing(
    web: WebClient, engine: Engine
) -> None:
    from data_ingest.load import load_file

    recent = b"country,year,identified_victims\nFRA,2023,10\nFRA,2024,12\nDEU,2024,7\n"
    assert load_file(engine, recent, "recent.csv", user="tests").status == "loaded"
    outputs = [("compliance-grid-heading", "children"), ("compliance-grid-graph", "figure"),
               ("compliance-grid-graph", "config"),
               ("compliance-grid-summary", "children"), ("compliance-table", "rowData"),
               ("compliance-participants-summary", "children"), ("compliance-figures-note", "children"),
               ("compliance-revised-note", "children"), ("compliance-query", "data")]  # fmt: skip
    inputs = [("compliance-basis", "value", "annual"), ("compliance-from", "value", "2023"),
              ("compliance-to", "value", "2024"), ("compliance-cycle", "value", "Report 2016"),
              ("compliance-status", "value", ["missing"]),
              ("compliance-participants", "value", None),
              ("compliance-submitted", "value", False)]  # fmt: skip
    response = web.callback(outputs, inputs).get_json()["response"]
    assert response["compliance-grid-heading"]["children"].endswith("annual basis, 2014–2015")
    rows = response["compliance-table"]["rowData"]
    joined = service.participants(engine)
    expected = sorted(joined.loc[joined["joined_on"] <= dt.date(2015, 12, 31), "code"])
    assert sorted({row["participant"] for row in rows if row["participant"] != "ALL"}) == expected
    assert {row["status"] for row in rows if row["participant"] != "ALL"} == {"missing"}
    assert {row["year"] for row in rows} == {2014, 2015}

    from app import server

    with server.test_request_context("/"):
        layout = compliance.layout(basis="annual", cycle="Report 2016")
    start, end = find(layout, "compliance-from"), find(layout, "compliance-to")
    assert (start.value, end.value) == ("2014", "2015")  # the selects show the cycle's years
    assert {"2014", "2015", "2023", "2024"} <= {option["value"] for option in start.options}
