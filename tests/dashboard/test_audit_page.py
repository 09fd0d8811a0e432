"""The audit page: for the secretariat only, every upload and change, exported with formulas made inert."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from dashboard.pages._audit_parts import SCREEN_ROWS, audit_filter
from data_ingest.load import load_file
from models.accounts.audit import AuditFilter
from models.db import account_transaction, read_session
from models.tables import AuditEvent
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


@pytest.mark.parametrize(
    ("controls", "expected"),
    [(("all", "any", "", ""), AuditFilter()), ((None, None, None, None), AuditFilter()),
     (("fra", "rejected", "2024-01-31", "2024-02-01"),
      AuditFilter("FRA", "rejected", dt.date(2024, 1, 31), dt.date(2024, 2, 1))),
     (("F\x00A", "deleted", "31/01/2024", 5), AuditFilter()), (("FRANCE", ["x"], {}, "9999-12-31"),
      AuditFilter(until=dt.date.max))],
)  # fmt: skip
def test_the_controls_are_read_into_a_filter(controls: tuple[object, ...], expected: AuditFilter) -> None:
    assert audit_filter(*controls) == expected


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


def csv_rows(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))


def test_the_csv_export_neutralises_formulas(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    content = b"country,year,identified_victims\nFRA,2024,12\n"
    load_file(engine, content, "=cmd.csv", user="sec@example.org", reason="@SUM(A1:A9)")
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = web.client.get("/audit/uploads.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv_rows(response)
    assert rows[0]["original_name"] == "'=cmd.csv"
    assert rows[0]["reason"] == "'@SUM(A1:A9)"
    assert rows[0]["inserted"] == "1"  # numbers stay numbers


def add_events(engine: Engine, count: int) -> None:
    with account_transaction(engine) as session:
        session.add_all(
            AuditEvent(actor="tests", action="test.event", subject=f"event {i}", details={"n": i})
            for i in range(count)
        )


def test_a_long_audit_log_says_the_screen_is_limited_and_the_csv_holds_every_row(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    add_events(engine, SCREEN_ROWS + 5)
    web.sign_in(accounts["secretariat"], PASSWORD)
    with read_session(engine) as session:
        total = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
    data = tables(web).get_json()["response"]
    assert len(data["audit-events-grid"]["rowData"]) == SCREEN_ROWS
    assert data["audit-events-count"]["children"] == (
        f"The newest 1,000 of {total:,} events are shown here; the CSV download holds all {total:,}."
    )
    response = web.client.get("/audit/events.csv")
    assert response.is_streamed
    rows = csv_rows(response)
    assert len(rows) == total
    assert rows[-1]["action"] == "reference.seed"  # oldest last: nothing cut off
    assert rows[0]["action"] == "sign_in"  # newest first
    assert rows[1]["details"] == f"n: {SCREEN_ROWS + 4}"


def test_the_csv_downloads_follow_the_filters_in_their_address(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    header = b"country,year,identified_victims\n"
    load_file(engine, header + b"FRA,2024,10\n", "fra.csv", user="liaison.fra@example.org")
    load_file(engine, header + b"DEU,20x4,1\n", "bad.csv", user="deu@example.org")
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = csv_rows(web.client.get("/audit/uploads.csv?outcome=rejected&from=0001-01-01&to=9999-12-31"))
    assert [row["original_name"] for row in refused] == ["bad.csv"]
    fra = csv_rows(web.client.get("/audit/revisions.csv?participant=fra"))
    assert [(row["participant"], row["new_value"]) for row in fra] == [("FRA", "10")]
    assert csv_rows(web.client.get("/audit/uploads.csv?from=2999-01-01")) == []
    assert web.client.get("/audit/nothing.csv").status_code == 404


@pytest.mark.parametrize("role", [None, "liaison", "liaison_deu"])
def test_only_the_secretariat_downloads_the_audit_log(
    web: WebClient, accounts: dict[str, str], role: str | None
) -> None:
    if role:
        web.sign_in(accounts[role], PASSWORD)
    for name in ("uploads", "revisions", "events", "nothing"):
        response = web.client.get(f"/audit/{name}.csv")
        assert response.status_code == 403
        assert "not allowed" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("since", "until"),
    [("0001-01-01", "9999-12-31"), ("9999-12-31", "9999-12-31"), ("0001-01-01", "0001-01-01"),
     ("10000-01-01", "x"), (5, ["a"])],
)  # fmt: skip
def test_any_dates_filter_without_error(
    web: WebClient, accounts: dict[str, str], engine: Engine, since: object, until: object
) -> None:
    load_file(
        engine, b"country,year,identified_victims\nFRA,2024,10\n", "fra.csv", user="liaison.fra@example.org"
    )
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = web.callback(
        TABLE_OUTPUTS,
        [("audit-participant", "value", None), ("audit-outcome", "value", None),
         ("audit-since", "value", since), ("audit-until", "value", until)],
    )  # fmt: skip
    assert response.status_code == 200
    shown = response.get_json()["response"]["audit-uploads-count"]["children"]
    everything = since in ("0001-01-01", "10000-01-01", 5) and until != "0001-01-01"
    assert shown == ("1 upload" if everything else "0 uploads")
    query = f"from={since}&to={until}"
    assert web.client.get(f"/audit/uploads.csv?{query}").status_code == 200
