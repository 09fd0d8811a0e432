"""The audit trail queries: uploads with their outcome, and every value change old -> new."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from models.accounts.audit import (
    EVENT_COLUMNS,
    REVISION_COLUMNS,
    TABLES,
    UPLOAD_COLUMNS,
    AuditFilter,
    audit_chunks,
    audit_count,
    audit_table,
    liaison_may_see,
    liaison_uploads_frame,
    loggable,
    record_event,
    record_refused_confirm,
    revisions_frame,
    upload_detail,
    uploads_frame,
    visible_upload_detail,
)
from models.db import account_transaction, data_version, read_session, write_transaction
from models.queries import DatasetStatus
from models.recording import CellValue, apply_changes, plan_changes
from models.reports.exports import csv_bytes, csv_stream, export_info
from models.tables import AuditEvent, Upload

ANNUAL = "identified_victims"


def upload(engine: Engine, by: str, participant: str | None, outcome: str, received: dt.datetime,
           values: list[CellValue] | None = None, reason: str | None = None) -> int:  # fmt: skip
    rejected = outcome == "rejected"
    errors = [{"row": 2, "column": "year", "value": "20x4", "message": "bad"}] if rejected else []
    with write_transaction(engine) as session:
        row = Upload(
            original_name=f"{by}-{received:%Y%m%d}.csv", sha256="c" * 64, size_bytes=10, file_format="csv",
            uploaded_by=by, participant_code=participant, received_at=received, submitted_on=received.date(),
            outcome=outcome, report={"errors": errors}, error_count=len(errors),
        )  # fmt: skip
        session.add(row)
        session.flush()
        if values:
            apply_changes(session, plan_changes(session, values), row, by, received, reason)
        return row.id


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 3, day, 12, 0, tzinfo=dt.UTC)


def test_uploads_newest_first_with_filters(engine: Engine) -> None:
    upload(engine, "fra@example.org", "FRA", "loaded", at(1), [CellValue("FRA", ANNUAL, 2024, 10)])
    upload(engine, "fra@example.org", None, "rejected", at(2))
    upload(engine, "secretariat@example.org", "FRA", "loaded", at(3), [CellValue("FRA", ANNUAL, 2024, 12)])
    upload(engine, "deu@example.org", "DEU", "loaded", at(4), [CellValue("DEU", ANNUAL, 2024, 5)])
    with read_session(engine) as session:
        everything = uploads_frame(session)
        liaison_view = uploads_frame(session, participant="FRA", uploaded_by="fra@example.org")
        rejected = uploads_frame(session, outcome="rejected")
        early = uploads_frame(session, until=dt.date(2026, 3, 2))
    assert list(everything.columns) == UPLOAD_COLUMNS
    assert list(everything["uploaded_by"]) == [
        "deu@example.org",
        "secretariat@example.org",
        "fra@example.org",
        "fra@example.org",
    ]
    assert set(liaison_view["uploaded_by"]) == {"fra@example.org", "secretariat@example.org"}
    assert len(liaison_view) == 3
    assert list(rejected["outcome"]) == ["rejected"]
    assert len(early) == 2
    assert everything["received_at"].iloc[0] == at(4)


def test_upload_detail_carries_the_report(engine: Engine) -> None:
    upload_id = upload(engine, "fra@example.org", None, "rejected", at(2))
    with read_session(engine) as session:
        detail = upload_detail(session, upload_id)
        missing = upload_detail(session, upload_id + 100)
    assert detail is not None
    assert detail["outcome"] == "rejected"
    assert detail["report"]["errors"][0]["column"] == "year"
    assert missing is None


def test_revisions_show_old_and_new_values(engine: Engine) -> None:
    upload(engine, "fra@example.org", "FRA", "loaded", at(1), [CellValue("FRA", ANNUAL, 2024, 10)])
    upload(
        engine,
        "secretariat@example.org",
        "FRA",
        "loaded",
        at(3),
        [CellValue("FRA", ANNUAL, 2024, 12)],
        reason="typo in March report",
    )
    upload(engine, "deu@example.org", "DEU", "loaded", at(4), [CellValue("DEU", ANNUAL, 2024, 5)])
    with read_session(engine) as session:
        france = revisions_frame(session, participant="FRA")
        recent = revisions_frame(session, participant="FRA", since=dt.date(2026, 3, 2))
    assert list(france.columns) == REVISION_COLUMNS
    pairs = [
        (None if row.old_value is pd.NA else int(row.old_value), int(row.new_value))
        for row in france.itertuples()
    ]
    assert pairs == [(10, 12), (None, 10)]
    assert france["reason"].iloc[0] == "typo in March report"
    assert france["recorded_by"].iloc[0] == "secretariat@example.org"
    assert len(recent) == 1
    assert recent["old_value"].iloc[0] == 10  # the date filter does not cut the history short


def test_a_liaison_sees_own_uploads_and_accepted_ones_for_their_participant(engine: Engine) -> None:
    own_rejected = upload(engine, "fra@example.org", None, "rejected", at(1))
    for_fra = upload(
        engine, "secretariat@example.org", "FRA", "loaded", at(2), [CellValue("FRA", ANNUAL, 2024, 3)]
    )
    others_rejected = upload(engine, "deu@example.org", "FRA", "rejected", at(3))
    other_country = upload(
        engine, "deu@example.org", "DEU", "loaded", at(4), [CellValue("DEU", ANNUAL, 2024, 5)]
    )
    several = upload(engine, "secretariat@example.org", None, "loaded", at(5),
                     [CellValue("DEU", ANNUAL, 2023, 4), CellValue("FRA", ANNUAL, 2023, 2)])  # fmt: skip
    not_fra = [CellValue("DEU", ANNUAL, 2022, 4), CellValue("ITA", ANNUAL, 2022, 2)]
    several_not_fra = upload(engine, "secretariat@example.org", None, "loaded", at(6), not_fra)
    with read_session(engine) as session:
        visible = liaison_uploads_frame(session, "FRA", "fra@example.org")
        details = {
            i: upload_detail(session, i)
            for i in (own_rejected, for_fra, others_rejected, other_country, several, several_not_fra)
        }
    assert list(visible["upload_id"]) == [several, for_fra, own_rejected]
    named = [None if pd.isna(code) else code for code in visible["participant"]]
    assert named == ["DEU, FRA", "FRA", None]  # a file for several names them
    with read_session(engine) as session:
        for_france = uploads_frame(session, participant="FRA")
    assert list(for_france["upload_id"]) == [several, others_rejected, for_fra]
    may_see = {i: liaison_may_see(d, "FRA", "fra@example.org") for i, d in details.items() if d}
    assert may_see == {own_rejected: True, for_fra: True, others_rejected: False, other_country: False,
                       several: True, several_not_fra: False}  # fmt: skip
    assert details[several] is not None
    assert details[several]["recorded_for"] == ["DEU", "FRA"]


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [(dt.date.min, dt.date.max, 3), (dt.date(1, 1, 1), dt.date(1, 1, 1), 0), (dt.date.max, dt.date.max, 0),
     (dt.date(2026, 3, 2), dt.date(2026, 3, 2), 1), (None, dt.date(2026, 3, 1), 1)],
)  # fmt: skip
def test_date_filters_take_any_day_from_the_first_to_the_last(
    engine: Engine, since: dt.date | None, until: dt.date | None, expected: int
) -> None:
    for day in (1, 2, 3):
        upload(
            engine, "fra@example.org", "FRA", "loaded", at(day), [CellValue("FRA", ANNUAL, 2020 + day, day)]
        )
    chosen = AuditFilter(since=since, until=until)
    with read_session(engine) as session:
        counts = {name: audit_count(session, name, chosen) for name in TABLES}
        frames = {name: audit_table(session, name, chosen, None) for name in ("uploads", "revisions")}
    assert (counts["uploads"], counts["revisions"]) == (expected, expected)
    assert (len(frames["uploads"]), len(frames["revisions"])) == (expected, expected)


def test_a_complete_table_comes_in_bounded_chunks_and_streams_as_one_csv(engine: Engine) -> None:
    with write_transaction(engine) as session:
        for i in range(25):
            record_event(session, "tests", "test.event", f"=event {i}", {"n": i})
    chosen = AuditFilter()
    with read_session(engine) as session:
        chunks = list(audit_chunks(session, "events", chosen, chunk_rows=10))
        whole = audit_table(session, "events", chosen, None)
        count = audit_count(session, "events", chosen)
    assert [len(chunk) for chunk in chunks] == [10, 10, 6]  # the 25 and the reference data's seeding
    assert sum(len(chunk) for chunk in chunks) == len(whole) == count
    status = DatasetStatus(version=1, updated_at=at(1), demo=False, participants=0, observations=0)
    info = export_info(status, "Audit: events")
    streamed = b"".join(csv_stream(chunks, info, EVENT_COLUMNS))
    assert streamed == csv_bytes(pd.concat(chunks, ignore_index=True), info)
    assert streamed.count(b",'=event ") == 25  # formulas neutralised in every chunk
    header = "\ufeffoccurred_at,actor,action,subject,details\n".encode()
    assert b"".join(csv_stream(iter([]), info, EVENT_COLUMNS)) == header


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [("plain@example.org", 320, "plain@example.org"), ("a\x00b\ud800c\nd", 320, "a\ufffdb\ufffdc\ufffdd"),
     ("x" * 400, 10, "x" * 9 + "…"), ("Zoë ‮evil", 20, "Zoë \ufffdevil")],
)  # fmt: skip
def test_loggable_text_is_bounded_and_printable(text: str, limit: int, expected: str) -> None:
    assert loggable(text, limit) == expected


def test_a_refused_confirm_is_recorded_without_touching_the_data_version(engine: Engine) -> None:
    with read_session(engine) as session:
        before = data_version(session)
    with account_transaction(engine) as session:
        record_refused_confirm(
            session,
            "fra@example.org",
            "report\x00.csv",
            "The secretariat must give a reason.",
            "FRA",
            "ab" * 32,
        )
    with read_session(engine) as session:
        event = session.execute(
            select(AuditEvent).where(AuditEvent.action == "upload.confirm_refused")
        ).scalar_one()
        assert data_version(session) == before
    assert (event.actor, event.subject) == ("fra@example.org", "report\ufffd.csv")
    message = "The secretariat must give a reason."
    assert event.details == {"message": message, "participant": "FRA", "sha256": "ab" * 32}


def test_an_upload_one_may_not_see_is_the_same_as_none(engine: Engine) -> None:
    own = upload(engine, "fra@example.org", None, "rejected", at(1))
    others = upload(engine, "deu@example.org", None, "rejected", at(2))
    with read_session(engine) as session:

        def sees(role: str, participant: str | None, email: str, upload_id: object) -> bool:
            return visible_upload_detail(session, upload_id, role, participant, email) is not None

        assert sees("liaison", "FRA", "fra@example.org", own)
        assert sees("liaison", "FRA", "fra@example.org", str(own))
        assert not sees("liaison", "FRA", "fra@example.org", others)
        assert not sees("liaison", None, "fra@example.org", own)  # a liaison bound to nothing sees nothing
        assert sees("secretariat", None, "sec@example.org", others)
        for forged in (others + 100, 0, -1, 2**31, 10**30, "abc", "1e3", 1.0, True, None, [own], "１"):
            assert not sees("admin", None, "admin@example.org", forged), forged
