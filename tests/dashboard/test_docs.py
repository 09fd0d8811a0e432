"""docs/dashboard.md names every URL parameter each page writes into its address (and no other)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

from dashboard.pages import compliance, country, overview, reporting
from dashboard.pages import map as map_page
from models.settings import PROJECT_ROOT


def documented_parameters() -> dict[str, set[str]]:
    text = (PROJECT_ROOT / "docs" / "dashboard.md").read_text(encoding="utf-8")
    section = text.split("## Pages and their addresses", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\w+) \| `[^`]+` \| ([^|]*) \|", section, flags=re.MULTILINE)
    return {page: set(re.findall(r"`([a-z_]+)`", names)) for page, names in rows}


def written_parameters(query: str) -> set[str]:
    return set(parse_qs(urlsplit(query).query))


@pytest.mark.parametrize(
    ("page", "written"),
    [
        ("Overview", lambda: overview.update_overview("annual")[-1]),
        ("Map", lambda: map_page.update_map("2020", "annual", "growth", "europe")[-1]),
        ("Country", lambda: country.update_country("annual", "FRA")[-1]),
        (
            "Compliance",
            lambda: compliance.update_compliance_grid(
                "annual", "2012", "2025", "Report 2022", ["met"], ["FRA"]
            )[-1],
        ),
        ("Reporting", lambda: reporting.update_reporting("Report 2020")[-1]),
    ],
)
def test_every_url_parameter_is_documented(demo_app: Flask, page: str, written: object) -> None:
    assert written_parameters(written()) == documented_parameters()[page]  # type: ignore[operator]
