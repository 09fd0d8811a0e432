"""Values changed after their cycle's close are marked "† revised after close" wherever /compliance and
/country show them (grid, table, history), with a footnote naming the cycle, and in the downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from tests.dashboard.conftest import content
from tests.dashboard.test_cycle_close import closed_then_revised
from tests.dashboard.test_figures_awaiting_review import COUNTRY, GRID, answer, controls, download, page
from tests.web import WebClient


def test_the_compliance_grid_and_table_mark_the_revised_value_and_name_its_cycle(
    web: WebClient, db_url: str, tmp_path: Path
) -> None:
    closed_then_revised(db_url, tmp_path)
    response = web.callback(GRID, controls(False))
    assert response.status_code == 200
    got = answer(response)
    rows = got["compliance-table"]["rowData"]
    marked = [(r["participant"], r["year"]) for r in rows if r["revised_after_close"]]
    assert marked == [("DEU", 2015)]
    note = got["compliance-revised-note"]["children"]
    assert note.startswith("† revised after close: ")
    assert "(Report 2016)" in note
    assert note in got["compliance-grid-summary"]["children"]  # the chart's caption says it too
    figure = got["compliance-grid-graph"]["figure"]
    cells = [
        (text, hover)
        for trace in figure["data"]
        for texts, hovers in zip(trace["text"], trace["customdata"], strict=True)
        for text, hover in zip(texts, hovers, strict=True)
        if text
    ]
    revised = [(text, hover) for text, hover in cells if "†" in text]
    assert len(revised) == 1
    assert "Germany" in revised[0][1]
    assert "† revised after close of Report 2016" in revised[0][1]
    assert sum("†" in text for text, _ in cells) == 1


def test_the_compliance_downloads_carry_the_mark(web: WebClient, db_url: str, tmp_path: Path) -> None:
    closed_then_revised(db_url, tmp_path)

    def rows(button: str) -> list[dict[str, str]]:
        data = answer(download(web, button, False))["compliance-download"]["data"]
        return list(csv.DictReader(io.StringIO(content(data).decode("utf-8-sig"))))

    table = rows("compliance-table-csv")
    assert {(r["participant"], r["year"]) for r in table if r["revised_after_close"] == "True"} == {
        ("DEU", "2015")
    }
    assert {r["revised_after_close"] for r in table} == {"True", "False"}
    wide = {r["participant"]: r["revised_after_close_years"] for r in rows("compliance-grid-csv")}
    assert wide["DEU"] == "2015"
    assert {v for k, v in wide.items() if k != "DEU"} == {""}


def test_the_country_page_marks_the_table_and_the_history(
    web: WebClient, db_url: str, tmp_path: Path
) -> None:
    closed_then_revised(db_url, tmp_path)
    response = web.callback(
        COUNTRY,
        [("country-basis", "value", "annual"), ("country-submitted", "value", False)],
        [("country-code", "data", "DEU")],
    )
    assert response.status_code == 200
    got = answer(response)
    assert {r["year"]: r["revised_after_close"] for r in got["country-table"]["rowData"]} == {
        2014: False,
        2015: True,
    }
    assert "(Report 2016)" in got["country-revised-note"]["children"]
    layout = json.loads(page(web, "/country/DEU"))

    def component(node: Any, wanted: str) -> dict[str, Any]:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == wanted:
                return dict(node["props"])
            for value in node.values():
                if isinstance(value, dict | list) and (found := component(value, wanted)):
                    return found
        elif isinstance(node, list):
            for value in node:
                if found := component(value, wanted):
                    return found
        return {}

    history = component(layout, "country-revisions")["rowData"]
    changes = {(r["basis"], r["change"]) for r in history if r["year"] == 2015}
    assert changes == {
        ("annual", "111 (first recorded)"),
        ("annual", "111 → 140 †"),
        ("cumulative", "1,111 (first recorded)"),
        ("cumulative", "1,111 → 1,140 †"),
    }
    note = component(layout, "country-revisions-note")["children"]
    assert note.startswith("† revised after close: ")
    assert "(Report 2016)" in note


def test_nothing_is_marked_while_no_cycle_is_closed(web: WebClient, db_url: str, tmp_path: Path) -> None:
    from tests.models.cycles.conftest import load

    assert load(db_url, tmp_path, "DEU,2014,100,1000\nDEU,2015,111,1111\n").returncode == 0
    got = answer(web.callback(GRID, controls(False)))
    assert not any(r["revised_after_close"] for r in got["compliance-table"]["rowData"])
    assert got["compliance-revised-note"]["children"] == ""
