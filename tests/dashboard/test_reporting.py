"""Reporting page: the cycles and one cycle's participants, with numerators and denominators."""

from __future__ import annotations

import io

import openpyxl
import pytest
from flask import Flask
from sqlalchemy import Engine

from dashboard.pages import reporting
from models.demo import DEMO_LABEL
from models.metrics import service
from tests.conftest import PASSWORD
from tests.dashboard.conftest import content, find, text_of
from tests.web import WebClient


def test_layout_defaults_to_the_current_cycle(demo_app: Flask, demo_engine: Engine) -> None:
    current = service.reporting(demo_engine).current_cycle
    assert find(reporting.layout(), "reporting-cycle").value == current
    assert find(reporting.layout(cycle="Report 1999"), "reporting-cycle").value == current
    assert find(reporting.layout(cycle="Report 2016"), "reporting-cycle").value == "Report 2016"


def test_update_reporting_shows_the_cycle_with_its_fractions(demo_app: Flask, demo_engine: Engine) -> None:
    figure, _config, trend, sentence, rows, cycles, figures, query = reporting.update_reporting("Report 2016")
    assert len(cycles) == len(service.reporting(demo_engine).summary)
    assert figures is None  # the accepted figures: no banner
    summary = service.reporting(demo_engine).summary.set_index("cycle").loc["Report 2016"]
    assert sentence.startswith(
        f"Report 2016 (covering 2014–2015, due 1 July 2016): of {summary['expected']} expected participants, "
        f"complete {summary['completeness_numerator']} of {summary['expected']}"
    )
    assert len(rows) == summary["expected"]
    assert {row["status_label"] for row in rows} <= {"✓ on time", "◷ late", "◐ incomplete", "– missing"}
    assert len(figure["data"]) == 4
    # each cycle's four segments add up to its expected participants
    row = figure["data"][0]["y"].index("Report 2016")
    assert sum(trace["x"][row] for trace in figure["data"]) == summary["expected"]
    assert trend.startswith(f"{len(service.reporting(demo_engine).summary)} reporting cycles.")
    assert query == "?cycle=Report+2016"


def test_downloads(demo_app: Flask) -> None:
    cycles = reporting.reporting_download("reporting-summary-csv", cycle=None)
    assert cycles["filename"] == "vid-reporting-cycles-table-demo.csv"
    header = content(cycles).decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["cycle", "kind", "deadline"]
    one = reporting.reporting_download("reporting-participants-xlsx", cycle="Report 2016")
    assert one["filename"] == "vid-reporting-report-2016-demo.xlsx"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # one PDF is enough: they take seconds
def test_the_secretariat_downloads_the_joint_report_pdf_and_others_are_refused(
    web: WebClient, accounts: dict[str, str]
) -> None:
    outputs = [("reporting-report-download", "data")]
    inputs = [("reporting-report-pdf", "n_clicks", 1), ("reporting-report-xlsx", "n_clicks", None)]
    state = [("reporting-cycle", "value", "Report 2026")]
    web.client.get("/")
    assert web.callback(outputs, inputs, state).status_code == 403  # a viewer
    assert web.sign_in(accounts["liaison"], PASSWORD).status_code == 303
    assert web.callback(outputs, inputs, state).status_code == 403
    web.sign_out()
    assert web.sign_in(accounts["secretariat"], PASSWORD).status_code == 303
    response = web.callback(outputs, inputs, state)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    download = response.get_json()["response"]["reporting-report-download"]["data"]
    assert download["filename"] == "vid-joint-report-report-2026.pdf"
    assert content(download).startswith(b"%PDF-")


def test_the_joint_report_xlsx_is_the_command_lines_workbook(demo_app: Flask) -> None:
    download = reporting.joint_report_download("reporting-report-xlsx", cycle="Report 2026")
    assert download["filename"] == "vid-joint-report-report-2026-demo.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(content(download)))
    assert book.sheetnames == ["Cumulative", "Annual", "Reporting", "Data", "About"]
    assert book["Cumulative"]["A3"].value == DEMO_LABEL


def test_a_viewer_sees_the_joint_report_buttons_disabled_and_why(demo_app: Flask) -> None:
    layout = reporting.layout()
    assert find(layout, "reporting-report-pdf").disabled is True
    assert find(layout, "reporting-report-xlsx").disabled is True
    assert "The secretariat downloads the joint report of a cycle here" in text_of(layout)
