"""Every download of a page is the view's own frame (the one its table shows), named apart from the
others, and takes its controls by name, so a State added later can never shift what it receives."""

from __future__ import annotations

import inspect
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest
from dash._callback import GLOBAL_CALLBACK_MAP
from flask import Flask

from app import app as dash_app
from dashboard import _data
from dashboard.pages import compliance, country, overview, reporting
from dashboard.pages import map as map_page
from models.reports.exports import DEMO_NOTE_COLUMN
from tests.dashboard.conftest import content
from tests.web import WebClient

MAP = {"year": "2020", "basis": "annual", "measure": "growth", "region": "world"}
COUNTRY = {"basis": "annual", "code": "FRA"}
COMPLIANCE = {"basis": "annual", "start": "2016", "end": "2018", "cycle": "any", "status": ["met", "not_met"]}
REPORTING = {"cycle": "Report 2020"}

PAGES: dict[str, tuple[Callable[..., dict[str, Any]], dict[str, Any], list[str]]] = {
    "overview": (overview.overview_download, {"basis": "annual"}, ["overview-trend-csv"]),
    "map": (map_page.map_download, MAP, map_page.DOWNLOADS),
    "country": (country.country_download, COUNTRY, country.DOWNLOADS),
    "compliance": (compliance.compliance_download, COMPLIANCE, compliance.DOWNLOADS),
    "reporting": (reporting.reporting_download, REPORTING, reporting.DOWNLOADS),
}


def csv_frame(download: dict[str, Any]) -> pd.DataFrame:
    """A CSV download as read back, without the demonstration-data note."""
    frame = pd.read_csv(io.BytesIO(content(download)), encoding="utf-8-sig", keep_default_na=False, dtype=str)
    return frame.drop(columns=[DEMO_NOTE_COLUMN])


@pytest.mark.parametrize("page", PAGES)
def test_every_button_of_a_page_names_its_file_apart(demo_app: Flask, page: str) -> None:
    download, controls, buttons = PAGES[page]
    names = [download(button, **controls)["filename"] for button in buttons]
    assert len(set(names)) == len(names), names


DOWNLOADS = [f"{page}-download" for page in PAGES]
DOWNLOADS += ["upload-problems-download", "upload-receipt-download", "upload-template-download"]
DOWNLOADS += ["upload-report-download", "reporting-report-download"]


def registered() -> dict[str, Any]:
    """Every callback of the app: Dash moves them from its global map into the app's at the first request."""
    return {**GLOBAL_CALLBACK_MAP, **dash_app.callback_map}


def download_callback(component: str) -> dict[str, Any]:
    return next(value for key, value in registered().items() if f"{component}.data" in key)


def test_every_download_callback_is_in_the_list_below() -> None:
    keys = {key for key in registered() if "-download.data" in key}
    assert len(keys) == len(DOWNLOADS)
    assert all(any(f"{component}.data" in key for key in keys) for component in DOWNLOADS)


@pytest.mark.parametrize("component", DOWNLOADS)
def test_every_download_callback_takes_its_controls_by_name(component: str) -> None:
    """Dash's dict-form inputs and state: each control reaches the parameter of its name. A State added
    by position (or under a name the function lacks) fails here instead of shifting the others."""
    callback = download_callback(component)
    named = callback["inputs_state_indices"]
    assert isinstance(named, dict), f"{component} takes its inputs by position"
    function = inspect.unwrap(callback["callback"])
    assert set(inspect.signature(function).parameters) == set(named)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_downloads_take_keyword_arguments_only(page: str) -> None:
    download, controls, _buttons = PAGES[page]
    parameters = inspect.signature(download).parameters
    assert [name for name, p in parameters.items() if p.kind is not p.KEYWORD_ONLY] == ["trigger"]
    assert set(parameters) - {"trigger"} >= set(controls)


SCREENS: dict[str, tuple[Callable[[], list[dict[str, Any]]], Callable[[], dict[str, Any]], list[str]]] = {
    "map": (
        lambda: map_page.update_map(**MAP)[9],  # after the two charts' figures and configs
        lambda: map_page.map_download("map-table-csv", **MAP),
        ["participant", "status", "value"],
    ),
    "country": (
        lambda: country.update_country(**COUNTRY)[7],
        lambda: country.country_download("country-table-csv", **COUNTRY),
        ["year", "status", "value"],
    ),
    "compliance": (
        lambda: compliance.update_compliance_grid(**COMPLIANCE)[4],
        lambda: compliance.compliance_download("compliance-table-csv", **COMPLIANCE),
        ["participant", "year", "status"],
    ),
    "reporting": (
        lambda: reporting.update_reporting(**REPORTING)[4],
        lambda: reporting.reporting_download("reporting-participants-csv", **REPORTING),
        ["participant", "status"],
    ),
}


@pytest.mark.parametrize("page", SCREENS)
def test_the_table_download_has_the_rows_the_table_shows(demo_app: Flask, page: str) -> None:
    shown, download, keys = SCREENS[page]
    rows = pd.DataFrame(shown())[keys].astype(str).replace({"None": "", "nan": ""})
    downloaded = csv_frame(download())
    assert len(rows) > 0
    assert downloaded[keys].to_dict("records") == rows.to_dict("records")


def test_each_page_view_is_what_its_csv_download_holds(demo_app: Flask) -> None:
    """The view's frame for a button, row for row and column for column, is the file that button sends."""
    views = {
        "map-table-csv": _data.map_page(MAP).exports,
        "country-table-csv": _data.country_page("FRA", {"basis": "annual"}).exports,
        "compliance-table-csv": _data.compliance_page(
            {"basis": "annual", "from": "2016", "to": "2018", "status": ["met", "not_met"]}
        ).exports,
        "reporting-participants-csv": _data.reporting_page(REPORTING).exports,
        "overview-trend-csv": _data.overview({"basis": "annual"}).exports,
    }
    downloads = {
        "map-table-csv": PAGES["map"][0]("map-table-csv", **MAP),
        "country-table-csv": PAGES["country"][0]("country-table-csv", **COUNTRY),
        "compliance-table-csv": PAGES["compliance"][0]("compliance-table-csv", **COMPLIANCE),
        "reporting-participants-csv": PAGES["reporting"][0]("reporting-participants-csv", **REPORTING),
        "overview-trend-csv": PAGES["overview"][0]("overview-trend-csv", basis="annual"),
    }
    for button, exports in views.items():
        frame = exports[button].frame
        downloaded = csv_frame(downloads[button])
        assert list(downloaded.columns) == [str(column) for column in frame.columns], button
        assert len(downloaded) == len(frame), button


def test_a_download_requested_over_http_gets_its_controls_by_name(demo_app: Flask) -> None:
    """The renderer posts the state in declaration order; each value lands on its own name."""
    web = WebClient(demo_app.test_client())
    state = {"map-year": 2020, "map-basis": "annual", "map-measure": "value", "map-region": "europe"}
    body = {
        "output": "map-download.data",
        "outputs": {"id": "map-download", "property": "data"},
        "inputs": [{"id": b, "property": "n_clicks", "value": 1} for b in map_page.DOWNLOADS],
        "state": [{"id": c, "property": "value", "value": v} for c, v in state.items()],
        "changedPropIds": ["map-table-csv.n_clicks"],
    }
    response = web.client.post(
        "/_dash-update-component", json=body, headers={"X-CSRFToken": web.csrf_cookie()}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    sent = response.get_json()["response"]["map-download"]["data"]
    assert sent["filename"] == "vid-map-table-2020-annual-value-demo.csv"
    assert csv_frame(sent).equals(
        csv_frame(map_page.map_download("map-table-csv", **MAP | {"measure": "value"}))
    )
