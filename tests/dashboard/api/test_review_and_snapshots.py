"""The API and issue 14: a liaison's token submission waits for review, public reads show accepted
figures only, a closed cycle's values are locked (409), and closed cycles' snapshots are served with
a hash a client can check."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from typing import Any

from sqlalchemy import Engine, func, select

from models.cycles.closing import close_cycle, list_snapshots
from models.cycles.review import accept_upload, list_submissions
from models.db import read_session, write_transaction
from models.demo import DEMO_LABEL, load_demo
from models.tables import ObservationRevision, Upload
from tests.dashboard.api.test_api import submit
from tests.web import WebClient

GERMAN = b"country,year,identified_victims\nDEU,2024,77\n"
GERMAN_2014_2015 = b"country,year,identified_victims\nDEU,2014,100\nDEU,2015,111\n"
CORRECTION_2015 = b"country,year,identified_victims\nDEU,2015,99\n"
REPORT_2016 = "/api/v1/snapshots/Report%202016"


def _deu(web: WebClient, route: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = web.client.get(route).get_json()["data"]
    return [row for row in rows if row["participant"] == "DEU"]


def _public_view(web: WebClient) -> tuple[list[Any], Any, str]:
    """What the public reads say of DEU 2024: values, the annual compliance value, Report 2026's status."""
    values = [(r["year"], r["value"]) for r in _deu(web, "/api/v1/values?participant=DEU&basis=annual")]
    compliance = [r["value"] for r in _deu(web, "/api/v1/compliance?basis=annual&participant=DEU")
                  if r["year"] == 2024]  # fmt: skip
    [reporting] = _deu(web, "/api/v1/reporting/Report%202026")
    return values, compliance[0] if compliance else None, reporting["status"]


def test_a_liaison_submission_counts_only_once_the_secretariat_accepts_it(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    before = _public_view(web)
    answer = submit(web, tokens["liaison_deu"], GERMAN)
    assert answer.status_code == 200
    assert (answer.get_json()["status"], answer.get_json()["review_status"]) == ("loaded", "submitted")
    assert _public_view(web) == before == ([], None, "missing")
    with read_session(engine) as session:
        [waiting] = list_submissions(session, status="submitted")
    assert waiting.upload == answer.get_json()["upload_id"]

    with write_transaction(engine) as session:
        accept_upload(session, "cli:tests", waiting.upload)
    values, compliance, status = _public_view(web)
    assert values == [(2024, 77)]
    assert compliance == 77
    assert status != "missing"


def test_the_secretariats_submission_is_accepted_at_once(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    answer = submit(web, tokens["secretariat"], GERMAN, reason="Annual report 2024")
    assert answer.status_code == 200
    assert answer.get_json()["review_status"] == "accepted"
    assert _public_view(web)[:2] == ([(2024, 77)], 77)
    with read_session(engine) as session:
        assert [s.status for s in list_submissions(session)] == ["accepted"]
    again = submit(web, tokens["secretariat"], GERMAN, reason="the same again")
    assert (again.get_json()["status"], again.get_json()["review_status"]) == ("unchanged", None)
    dry = submit(web, tokens["liaison_deu"], GERMAN, dry_run="true")
    assert dry.get_json()["review_status"] is None


def _close_report_2016(web: WebClient, engine: Engine, tokens: dict[str, str]) -> None:
    loaded = submit(web, tokens["secretariat"], GERMAN_2014_2015, reason="Report 2016")
    assert loaded.get_json()["review_status"] == "accepted"
    with write_transaction(engine) as session:
        close_cycle(session, "cli:tests", "Report 2016")


def test_changing_a_value_locked_by_a_closed_cycle_is_409_and_records_nothing(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    _close_report_2016(web, engine, tokens)
    with read_session(engine) as session:
        submissions = list_submissions(session)
        revisions = session.scalar(select(func.count()).select_from(ObservationRevision))
    for token, fields in (
        (tokens["liaison_deu"], {"reason": "de-duplicated"}),
        (tokens["secretariat"], {"reason": "de-duplicated"}),
        (tokens["liaison_deu"], {"dry_run": "true"}),
    ):
        answer = submit(web, token, CORRECTION_2015, **fields)
        body = answer.get_json()
        assert answer.status_code == 409, body
        assert "cycle 'Report 2016' is closed" in body["error"]
        assert "lock exception is needed" in body["error"].lower()
        assert body["problems"][0]["location"] == "file"
    with read_session(engine) as session:
        assert list_submissions(session) == submissions
        assert session.scalar(select(func.count()).select_from(ObservationRevision)) == revisions
        outcomes = set(session.scalars(select(Upload.outcome).where(Upload.id > submissions[-1].upload)))
    assert outcomes == {"rejected"}  # the refused attempts are in the history, like every refused file
    assert [(r["year"], r["value"]) for r in _deu(web, "/api/v1/values?participant=DEU&basis=annual")] == [
        (2014, 100),
        (2015, 111),
    ]


def canonical(document: dict[str, Any]) -> str:
    """The canonical CSV of docs/metrics.md, rebuilt from the JSON answer alone."""

    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return repr(value) if isinstance(value, float) else str(value)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["table", "row", "column", "value"])
    for table in ("compliance_annual", "compliance_cumulative", "reporting"):
        for number, row in enumerate(document[table], start=1):
            for column, value in row.items():
                writer.writerow([table, number, column, cell(value)])
    return out.getvalue()


def test_a_closed_cycles_snapshot_is_served_with_a_hash_the_client_can_check(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    _close_report_2016(web, engine, tokens)
    with read_session(engine) as session:
        [record] = list_snapshots(session)
    listing = web.client.get("/api/v1/snapshots").get_json()
    assert listing["total"] == 1
    assert listing["data"] == [
        {
            "cycle": "Report 2016",
            "closed_at": record.closed_at.isoformat(),
            "closed_by": "cli:tests",
            "data_version": record.data_version,
            "sha256": record.sha256,
            "demonstration": False,
        }
    ]
    assert web.client.get("/api/v1/snapshots?cycle=Report%202016").get_json()["total"] == 1
    assert web.client.get("/api/v1/snapshots?cycle=Report%202026").get_json()["total"] == 0
    listed_csv = web.client.get("/api/v1/snapshots?format=csv").get_data(as_text=True).splitlines()
    assert listed_csv[0] == "cycle,closed_at,closed_by,data_version,sha256,demonstration"

    answer = web.client.get(REPORT_2016)
    document = answer.get_json()
    assert answer.status_code == 200
    assert (document["cycle"], document["sha256"], document["demo"]) == ("Report 2016", record.sha256, False)
    assert hashlib.sha256(canonical(document).encode("utf-8")).hexdigest() == record.sha256
    frozen = {(r["participant"], r["year"]): r["value"] for r in document["compliance_annual"]}
    assert (frozen[("DEU", 2014)], frozen[("DEU", 2015)]) == (100, 111)
    assert {r["basis"] for r in document["compliance_cumulative"]} == {"cumulative"}
    assert {r["cycle"] for r in document["reporting"]} == {"Report 2016"}

    as_csv = web.client.get(REPORT_2016 + "?format=csv")
    assert as_csv.mimetype == "text/csv"
    assert hashlib.sha256(as_csv.data).hexdigest() == record.sha256
    assert as_csv.data == web.client.get(REPORT_2016, headers={"Accept": "text/csv"}).data
    assert web.client.get(REPORT_2016, headers={"If-None-Match": answer.headers["ETag"]}).status_code == 304


def test_an_unknown_or_open_cycle_has_no_snapshot(web: WebClient) -> None:
    for cycle in ("Report%202026", "No%20such%20cycle", "Report%00%202016"):
        answer = web.client.get(f"/api/v1/snapshots/{cycle}")
        assert answer.status_code == 404
        assert answer.mimetype == "application/json"
        assert "unknown, or still open" in answer.get_json()["error"]


def test_a_snapshot_of_demonstration_data_is_labelled(web: WebClient, engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session)
    with write_transaction(engine) as session:
        close_cycle(session, "cli:tests", "Report 2016")
    listing = web.client.get("/api/v1/snapshots").get_json()
    assert (listing["demo"], listing["data_note"]) == (True, DEMO_LABEL)
    [row] = listing["data"]
    assert (row["demonstration"], row["data_note"]) == (True, DEMO_LABEL)
    document = web.client.get(REPORT_2016).get_json()
    assert (document["demo"], document["data_note"]) == (True, DEMO_LABEL)
    as_csv = web.client.get(REPORT_2016 + "?format=csv")
    assert as_csv.headers["Content-Disposition"].endswith('-demonstration.csv"')
    assert hashlib.sha256(as_csv.data).hexdigest() == document["sha256"] == row["sha256"]
    assert DEMO_LABEL in web.client.get("/api/v1/snapshots?format=csv").get_data(as_text=True)


def test_the_documented_answer_says_the_review_status(web: WebClient) -> None:
    document = web.client.get("/api/v1/openapi.json").get_json()
    report = document["components"]["schemas"]["SubmissionReport"]
    assert "review_status" in report["required"]
    assert {"enum": ["submitted", "accepted"], "type": "string"} in report["properties"]["review_status"][
        "anyOf"
    ]
    assert "409" in document["paths"]["/api/v1/submissions"]["post"]["responses"]


def test_api_answers_compressed_on_request_decode_to_the_same_bytes(web: WebClient) -> None:
    plain = web.client.get("/api/v1/participants")
    zipped = web.client.get("/api/v1/participants", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
