"""Every download button of a page gives a file of its own name, so a second download never
overwrites (or passes for) the first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask

from dashboard.pages import compliance, country, reporting
from dashboard.pages import map as map_page

PAGES: dict[str, tuple[Callable[..., dict[str, Any]], tuple[Any, ...], list[str]]] = {
    "map": (
        map_page.map_download,
        ("2020", "annual", "growth", "world"),
        ["map-choropleth-csv", "map-ranking-csv", "map-table-csv", "map-table-xlsx"],
    ),
    "country": (
        country.country_download,
        ("annual", "FRA"),
        [
            "country-series-csv",
            "country-growth-csv",
            "country-table-csv",
            "country-table-xlsx",
            "country-revisions-csv",
        ],
    ),
    "compliance": (
        compliance.compliance_download,
        ("annual", "2020", "2021", "any", ["met"], None),
        ["compliance-grid-csv", "compliance-table-csv", "compliance-table-xlsx"],
    ),
    "reporting": (
        reporting.reporting_download,
        ("Report 2020",),
        [
            "reporting-cycles-csv",
            "reporting-summary-csv",
            "reporting-summary-xlsx",
            "reporting-participants-csv",
            "reporting-participants-xlsx",
        ],
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_every_button_of_a_page_names_its_file_apart(demo_app: Flask, page: str) -> None:
    download, controls, buttons = PAGES[page]
    names = [download(button, *controls)["filename"] for button in buttons]
    assert len(set(names)) == len(names), names
