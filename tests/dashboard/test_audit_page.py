"""The audit page: for the secretariat only, every upload and change, exported with formulas made inert."""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from sqlalchemy import Engine

from data_ingest.load import load_file
from tests.conftest import PASSWORD
from tests.web import WebClient

TABLE_OUTPUTS = [
    (f"audit-{name}-{part}", prop)
    for name in ("uploads", "revisions", "events")
    for part, prop in (("grid", "rowData"), ("grid", "columnDefs"), ("count", "children"))
]


def tables(web: WebClient, participant: str = "", outcome: str = "") -> Any:
    return web.callback(
        TABLE_OUTPUTS,
        [("audit-participant", "value", participant), ("audit-outcome", "value", outcome),
         ("audit-since", "value", None), ("audit-until", "value", "not a date")],
    )  # fmt: skip


def test_only_the_secretariat_reads_the_audit_log(web: WebClient, accounts: dict[str, str]) -> None:
    assert tables(web).status_code == 403
    anonymous = web.page("/audit")
    assert "Sign-in required" in anonymous
    assert "This page is for the secretariat" in anonymous
    web.sign_in(accounts["liaison"], PASSWORD)
    assert tables(web).status_code == 403
    refused = web.page("/audit")
    assert "Not available to your account" in refused
    assert "Sign in" not in refused.replace("Sign out", "")


def test_uploads_and_revisions_with_filters(web: WebClient, accounts: dict[str, str], engine: Engine) -> None:
    header = b"country,year,identified_victims\n"
    load_file(engine, header + b"FRA,2024,10\n", "fra.csv", user="liaison.fra@example.org")
    load_file(engine, header + b"FRA,2024,12\n", "fix.csv", user="sec@example.org", reason="typo")
    load_file(engine, header + b"DEU,20x4,1\n", "bad.csv", user="deu@example.org")
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = tables(web)
    assert response.status_code == 200
    data = response.get_json()["response"]
    assert data["audit-uploads-count"]["children"] == "3 uploads"
    assert data["audit-revisions-count"]["children"] == "2 recorded values"
    latest = data["audit-revisions-grid"]["rowData"][0]
    assert (latest["old_value"], latest["new_value"]) == (10, 12)
    refused = tables(web, outcome="rejected").get_json()["response"]
    assert [row["original_name"] for row in refused["audit-uploads-grid"]["rowData"]] == ["bad.csv"]


def test_the_csv_export_neutralises_formulas(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    content = b"country,year,identified_victims\nFRA,2024,12\n"
    load_file(engine, content, "=cmd.csv", user="sec@example.org", reason="@SUM(A1:A9)")
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = web.callback(
        [("audit-download", "data")],
        [("audit-uploads-csv", "n_clicks", 1), ("audit-revisions-csv", "n_clicks", None),
         ("audit-events-csv", "n_clicks", None)],
        [("audit-participant", "value", ""), ("audit-outcome", "value", ""), ("audit-since", "value", None),
         ("audit-until", "value", None)],
    )  # fmt: skip
    download = response.get_json()["response"]["audit-download"]["data"]
    text = base64.b64decode(download["content"]).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["original_name"] == "'=cmd.csv"
    assert rows[0]["reason"] == "'@SUM(A1:A9)"
    assert rows[0]["inserted"] == "1"  # numbers stay numbers
