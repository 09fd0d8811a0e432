"""A refused file's report: bounded in what a browser receives, complete as a download, kept with the upload
(both backends)."""

from __future__ import annotations

import base64
import csv
import io

import pytest

from tests.conftest import PASSWORD
from tests.dashboard.uploads import (
    data_url,
    part,
    part_of,
    preview,
    show_report,
    text,
    texts,
)
from tests.web import WebClient


def unknown_countries(rows: int) -> bytes:
    return ("country,year,identified_victims\n" + "".join(f"X{i},2024,{i}\n" for i in range(rows))).encode()


def download(web: WebClient, content: bytes, name: str = "report.csv") -> tuple[str, str]:
    response = web.callback(
        [("upload-problems-download", "data")],
        [("upload-problems-button", "n_clicks", 1)],
        [("upload-chosen", "data", {"contents": data_url(content), "filename": name}),
         ("upload-on-behalf", "value", None), ("upload-received-on", "value", None)],
    )  # fmt: skip
    data = response.get_json()["response"]["upload-problems-download"]["data"]
    return data["filename"], base64.b64decode(data["content"]).decode("utf-8-sig")


def test_the_report_a_browser_receives_is_bounded_and_the_download_has_every_problem(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    refused = preview(web, unknown_countries(3000))
    assert "refused, 3,000 problems" in text(refused)
    assert len(refused.get_data()) < 40_000  # whatever the number of problems
    shown = part(refused, "upload-errors-grid")["rowData"]
    assert [row["row"] for row in shown] == [2, 3, 4, 5, 6]  # the first five of the only column in error
    counts_table = texts(part(refused, "upload-errors-counts")["children"])
    assert counts_table == ["Column", "Problems", "country", "3,000"]
    name, content = download(web, unknown_countries(3000), name="../../etc/fra report.csv")
    assert name == "vid-monitor-problems-fra-report.csv"
    lines = content.splitlines()
    assert lines[0] == "kind,row,column,value,message"
    assert len(lines) == 1 + 3000
    # The message has commas, so the CSV quotes it.
    assert lines[1].startswith("error,2,country,X0,\"'X0' is not a country we recognise.")


def test_beyond_the_kept_problems_the_report_counts_them_all_and_says_so(
    web: WebClient, accounts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("data_ingest.report.ERRORS_KEPT", 100)
    web.sign_in(accounts["liaison"], PASSWORD)
    bad_years = b"country,year,identified_victims\n" + b"".join(b"FRA,20x4,-1\n" for _ in range(300))
    refused = preview(web, bad_years)
    body = text(refused)
    assert "refused, 600 problems" in body
    assert "The list keeps the first 100 problems; the counts are of all 600." in body
    assert texts(part(refused, "upload-errors-counts")["children"])[2:] == [
        "year",
        "300",
        "identified_victims",
        "300",
    ]
    _name, content = download(web, bad_years)
    assert content.splitlines()[-1] == "note,,,,600 problems were found; this list keeps the first 100."


def test_values_from_the_file_are_never_formulas_in_the_problems_download(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    hostile = b'country,year,identified_victims\n"=HYPERLINK(""http://evil.example"")",2024,@SUM(A1)\n'
    _name, content = download(web, hostile)
    rows = list(csv.reader(io.StringIO(content)))[1:]
    assert {row[3] for row in rows} == {'\'=HYPERLINK("http://evil.example")', "'@SUM(A1)"}
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_a_stored_report_is_bounded_and_downloadable_by_whoever_may_see_it(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    preview(web, unknown_countries(1500))  # recorded: the first 1,000 problems kept with the upload
    shown = show_report(web, 1)
    assert texts(part_of(shown, "upload-report-errors-counts"))[2:] == ["country", "1,500"]
    assert "keeps its first 1,000 problems of 1,500" in text(shown)
    response = web.callback(
        [("upload-report-download", "data")],
        [("upload-report-button", "n_clicks", 1)],
        [("upload-history-grid", "selectedRows", [{"upload_id": 1}])],
    )
    data = response.get_json()["response"]["upload-report-download"]["data"]
    assert data["filename"] == "vid-monitor-upload-1-report.csv"
    lines = base64.b64decode(data["content"]).decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + 1000 + 1
    assert lines[-1].startswith("note,,,,")
    web.sign_out()
    web.sign_in(accounts["liaison_deu"], PASSWORD)
    assert show_report(web, 1).status_code == 404  # as for an upload that does not exist
