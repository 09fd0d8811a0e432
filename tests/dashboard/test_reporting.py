"""Reporting page: the cycles and one cycle's participants, with numerators and denominators."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import Engine

from dashboard.pages import reporting
from models.metrics import service
from tests.dashboard.conftest import content, find


def test_layout_defaults_to_the_current_cycle(demo_app: Flask, demo_engine: Engine) -> None:
    current = service.reporting(demo_engine).current_cycle
    assert find(reporting.layout(), "reporting-cycle").value == current
    assert find(reporting.layout(cycle="Report 1999"), "reporting-cycle").value == current
    assert find(reporting.layout(cycle="Report 2016"), "reporting-cycle").value == "Report 2016"


def test_update_reporting_shows_the_cycle_with_its_fractions(demo_app: Flask, demo_engine: Engine) -> None:
    figure, trend, sentence, rows, query = reporting.update_reporting("Report 2016")
    summary = service.reporting(demo_engine).summary.set_index("cycle").loc["Report 2016"]
    assert sentence.startswith(
        f"Report 2016 (covering 2014–2015, due 1 July 2016): of {summary['expected']} expected participants, "
        f"complete {summary['completeness_numerator']} of {summary['expected']}"
    )
    assert len(rows) == summary["expected"]
    assert {row["status_label"] for row in rows} <= {"✓ on time", "◷ late", "◐ incomplete", "– missing"}
    assert len(figure.data) == 4
    assert trend.startswith(f"{len(service.reporting(demo_engine).summary)} reporting cycles.")
    assert query == "?cycle=Report+2016"


def test_downloads(demo_app: Flask) -> None:
    cycles = reporting.reporting_download("reporting-summary-csv", cycle=None)
    assert cycles["filename"] == "vid-reporting-cycles-table-demo.csv"
    header = content(cycles).decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == ["cycle", "kind", "deadline"]
    one = reporting.reporting_download("reporting-participants-xlsx", cycle="Report 2016")
    assert one["filename"] == "vid-reporting-report-2016-demo.xlsx"
