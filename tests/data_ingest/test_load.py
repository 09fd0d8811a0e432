"""Loading files into the database: all or nothing, every revision kept, dry runs, concurrency, exports."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from data_ingest.assessment import DEMO_DATA_MESSAGE
from data_ingest.exports import current_dataset, dataset_csv, dataset_json, value_history
from data_ingest.load import load_file
from data_ingest.report import IngestReport, Issue
from models.db import data_version, make_engine, read_session, write_transaction
from models.demo import load_demo
from models.tables import ObservationRevision
from tests.data_ingest.loading import (
    NOW,
    count_rows,
    csv_rows,
    current_observations,
    load,
    recorded_uploads,
)


def test_a_valid_file_is_loaded_with_its_upload_and_a_revision_per_value(engine: Engine) -> None:
    report = load(
        engine,
        csv_rows("DEU,2013,100,1000", "Germany,2014,110,1110"),
        name="C:\\liaison\\deu.csv",
        reason="2014 report",
    )
    assert (report.status, report.rows, report.inserted, report.revised, report.unchanged) == (
        "loaded",
        2,
        4,
        0,
        0,
    )
    assert report.errors == ()
    assert report.warnings == ()
    assert current_observations(engine) == {
        ("DEU", "identified_victims", 2013): 100,
        ("DEU", "cumulative_identified", 2013): 1000,
        ("DEU", "identified_victims", 2014): 110,
        ("DEU", "cumulative_identified", 2014): 1110,
    }
    [upload] = recorded_uploads(engine)
    assert upload.id == report.upload_id
    assert (upload.original_name, upload.file_format, upload.layout, upload.participant_code) == (
        "deu.csv", "csv", "long", "DEU",
    )  # fmt: skip
    assert (upload.outcome, upload.rows_total, upload.inserted_count, upload.error_count) == (
        "loaded",
        2,
        4,
        0,
    )
    assert (upload.received_at, upload.submitted_on, upload.uploaded_by) == (
        NOW,
        NOW.date(),
        "liaison@example.org",
    )
    assert upload.size_bytes == len(csv_rows("DEU,2013,100,1000", "Germany,2014,110,1110"))
    assert len(upload.sha256) == 64
    assert upload.reason == "2014 report"
    assert upload.synthetic is False
    with read_session(engine) as session:
        revisions = session.execute(
            select(ObservationRevision.recorded_by, ObservationRevision.upload_id, ObservationRevision.reason)
        ).all()
    assert [tuple(r) for r in revisions] == [("liaison@example.org", upload.id, "2014 report")] * 4


def test_the_same_file_again_is_unchanged_and_adds_no_revision(engine: Engine) -> None:
    content = csv_rows("DEU,2014,110,1110", "FRA,2014,50,")
    load(engine, content)
    again = load(engine, content)
    assert (again.status, again.inserted, again.revised, again.unchanged) == ("unchanged", 0, 0, 3)
    assert count_rows(engine, ObservationRevision) == 3
    assert [upload.outcome for upload in recorded_uploads(engine)] == ["loaded", "unchanged"]


def test_a_changed_value_becomes_the_current_one_and_the_old_one_stays_in_the_history(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2014,100,"), name="first.csv")
    later = NOW + dt.timedelta(days=30)
    report = load(
        engine, csv_rows("DEU,2014,120,"), name="second.csv", reason="after de-duplication", now=later
    )
    assert (report.status, report.revised) == ("loaded", 1)
    assert current_observations(engine) == {("DEU", "identified_victims", 2014): 120}
    with read_session(engine) as session:
        history = [entry.as_dict() for entry in value_history(session, "DEU", 2014)]
    assert history == [
        {"indicator": "identified_victims", "value": 100, "recorded_at": "2026-11-28T10:30:00+00:00",
         "recorded_by": "liaison@example.org", "file": "first.csv", "reason": None,
         "review_status": "accepted"},
        {"indicator": "identified_victims", "value": 120, "recorded_at": "2026-12-28T10:30:00+00:00",
         "recorded_by": "liaison@example.org", "file": "second.csv", "reason": "after de-duplication",
         "review_status": "accepted"},
    ]  # fmt: skip


def test_a_file_with_any_error_changes_nothing_but_its_upload_is_recorded(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2014,100,"))
    report = load(engine, csv_rows("DEU,2014,999,", "FRA,2014,1.234,"), name="bad.csv")
    assert (report.status, report.inserted, report.revised) == ("rejected", 0, 0)
    assert report.errors == (
        Issue(3, "identified_victims", "1.234",
              "'1.234' is ambiguous (a point may separate thousands or decimals): write 1234 or 1,234."),
    )  # fmt: skip
    assert current_observations(engine) == {("DEU", "identified_victims", 2014): 100}
    assert count_rows(engine, ObservationRevision) == 1
    rejected = recorded_uploads(engine)[-1]
    assert (rejected.original_name, rejected.outcome, rejected.error_count, rejected.participant_code) == (
        "bad.csv", "rejected", 1, None,
    )  # fmt: skip
    assert rejected.report["errors"] == [error.as_dict() for error in report.errors]


def test_an_unreadable_file_is_recorded_as_rejected_with_what_it_was(engine: Engine) -> None:
    report = load(engine, b"%PDF-1.4\n", name="figures.csv")
    assert (report.status, report.rows, report.file_format) == ("rejected", 0, "pdf")
    [upload] = recorded_uploads(engine)
    assert (upload.file_format, upload.layout, upload.outcome) == ("pdf", None, "rejected")


def test_dry_run_reports_old_and_new_and_writes_nothing(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2014,100,1000"))
    with read_session(engine) as session:
        version = data_version(session)
    report = load(engine, csv_rows("DEU,2014,120,1000", "FRA,2014,5,"), dry_run=True)
    assert (report.status, report.inserted, report.revised, report.unchanged) == ("valid", 1, 1, 1)
    assert report.as_dict()["changes"] == [
        {"country": "DEU", "year": 2014, "indicator": "identified_victims", "old": 100, "new": 120},
        {"country": "FRA", "year": 2014, "indicator": "identified_victims", "old": None, "new": 5},
    ]
    assert report.upload_id is None
    assert current_observations(engine) == {
        ("DEU", "identified_victims", 2014): 100,
        ("DEU", "cumulative_identified", 2014): 1000,
    }
    assert len(recorded_uploads(engine)) == 1
    with read_session(engine) as session:
        assert data_version(session) == version


def test_refused_and_unchanged_files_are_recorded_without_a_new_data_version(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2014,100,1000"))
    with read_session(engine) as session:
        version = data_version(session)
    assert load(engine, csv_rows("DEU,2014,-1,1000")).status == "rejected"
    assert load(engine, csv_rows("DEU,2014,100,1000")).status == "unchanged"
    with read_session(engine) as session:
        assert data_version(session) == version
    assert [upload.outcome for upload in recorded_uploads(engine)] == ["loaded", "rejected", "unchanged"]
    assert load(engine, csv_rows("DEU,2014,110,1000"), reason="corrected").status == "loaded"
    with read_session(engine) as session:
        assert data_version(session) == version + 1


def test_received_on_dates_the_submission_and_the_receipt_time_is_kept(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2014,100,"), submitted_on=dt.date(2016, 6, 20))
    [upload] = recorded_uploads(engine)
    assert (upload.submitted_on, upload.received_at) == (dt.date(2016, 6, 20), NOW)


def test_received_on_in_the_future_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="in the future"):
        load(engine, csv_rows("DEU,2014,100,"), submitted_on=dt.date(2026, 11, 29))


def test_real_figures_are_refused_while_the_database_holds_demonstration_data(engine: Engine) -> None:
    with write_transaction(engine) as session:
        load_demo(session, today=dt.date(2016, 12, 31))
    before = current_observations(engine)
    report = load(engine, csv_rows("DEU,2014,1,"))
    assert report.status == "rejected"
    assert report.errors == (Issue(None, None, None, DEMO_DATA_MESSAGE),)
    assert current_observations(engine) == before


def test_a_liaison_file_with_another_participant_is_rejected_as_a_whole(engine: Engine) -> None:
    report = load(engine, csv_rows("DEU,2014,1,", "FRA,2014,2,"), allowed_participant="DEU")
    assert report.status == "rejected"
    assert [(e.row, e.message) for e in report.errors] == [
        (3, "This file may only hold figures for Germany (DEU); this row is for France (FRA)."),
    ]
    assert current_observations(engine) == {}
    assert load(engine, csv_rows("DEU,2014,1,"), allowed_participant="DEU").status == "loaded"


def test_an_allowed_participant_that_is_not_registered_is_a_wrong_call(engine: Engine) -> None:
    with pytest.raises(ValueError, match="not a registered participant"):
        load(engine, csv_rows("DEU,2014,1,"), allowed_participant="BRA")


def test_warnings_compare_with_the_file_and_with_recorded_values(engine: Engine) -> None:
    load(engine, csv_rows("DEU,2013,100,1000"))
    report = load(engine, csv_rows("DEU,2014,400,1100", "DEU,2015,390,1490", "FRA,2015,10,"))
    assert report.status == "loaded"
    assert [(w.row, w.column, w.value, w.message) for w in report.warnings] == [
        (2, "identified_victims", "400",
         "identified_victims 2014 is 400, more than three times the 2013 figure already recorded (100): "
         "please check it."),
        (2, "cumulative_total", "1100",
         "cumulative_total 2014 (1,100) is not cumulative_total 2013 (1,000) plus identified_victims 2014 "
         "(400) = 1,400: please check it."),
    ]  # fmt: skip


def test_wide_and_xlsx_files_load_like_long_csv(engine: Engine, tmp_path: Path) -> None:
    wide = load(engine, b"country,2013,2014\nDEU,10,\nFRA,3,4\n", name="wide.csv")
    assert (wide.status, wide.layout, wide.inserted) == ("loaded", "wide", 3)
    workbook = openpyxl.Workbook()
    workbook.active.append(["Country", "Year", "Cumulative"])
    workbook.active.append(["Germany", 2013, 1000.0])
    path = tmp_path / "cumulative.xlsx"
    workbook.save(path)
    report = load(engine, path.read_bytes(), name="cumulative.xlsx")
    assert (report.status, report.file_format, report.inserted, report.unchanged) == ("loaded", "xlsx", 1, 0)
    assert current_observations(engine)[("DEU", "cumulative_identified", 2013)] == 1000


def test_notes_are_kept_with_the_upload(engine: Engine) -> None:
    load(engine, b"country,year,identified_victims,notes\nDEU,2014,5,provisional\n")
    assert recorded_uploads(engine)[0].report["notes"] == [
        {"row": 2, "country": "DEU", "year": 2014, "note": "provisional"}
    ]


def test_concurrent_loads_of_the_same_cell_all_succeed_and_every_value_is_kept(engine: Engine) -> None:
    results: list[IngestReport] = []
    failures: list[BaseException] = []
    start = threading.Barrier(3)

    def send(value: int) -> None:
        try:
            start.wait()
            results.append(load(engine, csv_rows(f"DEU,2014,{value},"), name=f"v{value}.csv", now=None))
        except BaseException as exc:  # anything escaping is the failure under test
            failures.append(exc)

    threads = [threading.Thread(target=send, args=(value,)) for value in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sorted(r.status for r in results) == ["loaded"] * 3
    with read_session(engine) as session:
        history = value_history(session, "DEU", 2014)
    assert sorted(entry.value for entry in history) == [1, 2, 3]
    assert current_observations(engine) == {("DEU", "identified_victims", 2014): history[-1].value}
    assert sorted(r.inserted for r in results) == [0, 0, 1]


def test_an_export_loads_back_unchanged_and_into_an_empty_database_identically(
    engine: Engine, sqlite_template: Path, tmp_path: Path
) -> None:
    load(engine, csv_rows("DEU,2013,100,1000", "DEU,2014,,1110", 'USA,2014,"12,345",', "KOR,2015,0,0"))
    with read_session(engine) as session:
        rows, demo = current_dataset(session)
    assert not demo
    exported = {"export.csv": dataset_csv(rows), "export.json": dataset_json(rows)}
    for name, text in exported.items():
        again = load(engine, text.encode("utf-8"), name=name)
        assert (again.status, again.errors, again.unchanged) == ("unchanged", (), 6)
    for name, text in exported.items():
        path = tmp_path / f"empty-{name}.db"
        shutil.copyfile(sqlite_template, path)
        empty = make_engine(f"sqlite:///{path}")
        try:
            assert load(empty, text.encode("utf-8"), name=name).status == "loaded"
            assert current_observations(empty) == current_observations(engine)
        finally:
            empty.dispose()


def test_an_export_of_demonstration_data_is_labelled_and_cannot_come_back_as_real(
    engine: Engine, sqlite_template: Path, tmp_path: Path
) -> None:
    with write_transaction(engine) as session:
        load_demo(session, today=dt.date(2014, 12, 31))
    with read_session(engine) as session:
        rows, demo = current_dataset(session)
    assert demo
    assert rows
    assert {row.notes for row in rows} == {"Demonstration data — not real figures"}
    path = tmp_path / "empty.db"
    shutil.copyfile(sqlite_template, path)
    empty = make_engine(f"sqlite:///{path}")
    try:
        report = load(empty, dataset_csv(rows).encode("utf-8"), name="demo-export.csv")
        assert report.status == "rejected"
        assert len(report.errors) == len(rows)
        assert current_observations(empty) == {}
    finally:
        empty.dispose()


def test_a_load_flips_no_process_wide_switch(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("gc.disable() affects every thread of a web worker")

    monkeypatch.setattr(gc, "disable", refuse)
    monkeypatch.setattr(gc, "freeze", refuse)
    monkeypatch.setattr(gc, "set_threshold", lambda *args: refuse())
    assert load(engine, csv_rows("DEU,2014,1,")).status == "loaded"
    assert load(engine, b"%PDF-1.4\n").status == "rejected"
    assert gc.isenabled()


def test_a_registered_participant_outside_pycountry_is_understood_by_its_code(engine: Engine) -> None:
    from models.reference import add_participant, validated_participant

    with write_transaction(engine) as session:
        add_participant(
            session, validated_participant("XKX", "Kosovo", "2020-01-01", "t", "https://e.org"), "tests"
        )
    report = load_file(engine, b"country,year,identified_victims\nxkx,2024,12\n", "kosovo.csv", user="tests")
    assert report.status == "loaded"
    assert report.participant_code == "XKX"


# --- Whatever a file holds, it is recorded with its outcome ------------------------------------


def test_a_file_is_read_and_validated_before_the_writer_lock_is_taken(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import data_ingest.load as loader

    locked: list[bool] = [False]
    seen: list[tuple[str, bool]] = []
    real_lock, real_read, real_validate = loader.write_transaction, loader.read_file, loader.validate_file

    @contextmanager
    def watched_lock(engine: Engine) -> Iterator[Session]:
        with real_lock(engine) as session:
            locked[0] = True
            try:
                yield session
            finally:
                locked[0] = False

    def watched_read(*args: Any, **kwargs: Any) -> Any:
        seen.append(("read", locked[0]))
        return real_read(*args, **kwargs)

    def watched_validate(*args: Any, **kwargs: Any) -> Any:
        seen.append(("validate", locked[0]))
        return real_validate(*args, **kwargs)

    monkeypatch.setattr(loader, "write_transaction", watched_lock)
    monkeypatch.setattr(loader, "read_file", watched_read)
    monkeypatch.setattr(loader, "validate_file", watched_validate)
    assert load(engine, csv_rows("DEU,2014,5,")).status == "loaded"
    assert load(engine, csv_rows("DEU,2014,x,")).status == "rejected"
    assert seen == [("read", False), ("validate", False)] * 2


def test_recording_a_prepared_file_compares_it_with_the_values_current_at_the_write(engine: Engine) -> None:
    from data_ingest.load import prepare_upload, record

    load(engine, csv_rows("DEU,2014,100,"))
    prepared = prepare_upload(engine, csv_rows("DEU,2014,120,"), "late.csv", today=NOW.date())
    load(engine, csv_rows("DEU,2014,110,"), name="meanwhile.csv", reason="corrected")  # after the preparing
    report = record(engine, prepared, user="tests", reason="second correction", now=NOW)
    assert [(c.old_value, c.new_value) for c in report.changes] == [(110, 120)]  # not 100: no lost update
    with read_session(engine) as session:
        assert [entry.value for entry in value_history(session, "DEU", 2014)] == [100, 110, 120]


def test_a_file_prepared_before_the_register_changed_is_validated_again(engine: Engine) -> None:
    from data_ingest.load import prepare_upload, record
    from models.reference import add_participant, validated_participant

    prepared = prepare_upload(
        engine, b"country,year,identified_victims\nXKX,2024,12\n", "k.csv", today=NOW.date()
    )
    assert prepared.validated.errors  # XKX is not registered yet
    with write_transaction(engine) as session:
        add_participant(
            session, validated_participant("XKX", "Kosovo", "2020-01-01", "t", "https://e.org"), "t"
        )
    assert record(engine, prepared, user="tests", now=NOW).status == "loaded"


# --- Received on: after the years a file covers; the receipt names the cycle --------------------


def test_a_received_on_date_before_the_end_of_a_year_in_the_file_is_refused_naming_the_row(
    engine: Engine,
) -> None:
    report = load(engine, csv_rows("ITA,2015,5,", "ITA,2024,7,"), submitted_on=dt.date(2016, 6, 20))
    assert report.status == "rejected"
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "year", "2024")]
    assert report.errors[0].message.startswith(
        "Row 3 gives figures for 2024, which had not ended on 2016-06-20, the date given as received on"
    )
    assert current_observations(engine) == {}


def test_a_wide_file_received_too_early_names_its_row_and_year_column(engine: Engine) -> None:
    report = load(engine, b"country,2015,2016\nITA,5,6\n", submitted_on=dt.date(2016, 6, 20))
    assert [(e.row, e.column, e.value) for e in report.errors] == [(2, "2016", "6")]


@pytest.mark.parametrize(
    ("received_on", "on_time", "days_late"),
    [(dt.date(2016, 7, 1), True, 0), (dt.date(2016, 6, 1), True, 0), (dt.date(2016, 7, 31), False, 30)],
)
def test_the_report_says_which_cycle_the_file_counts_for_and_whether_it_was_on_time(
    engine: Engine, received_on: dt.date, on_time: bool, days_late: int
) -> None:
    report = load(engine, csv_rows("ITA,2014,5,", "ITA,2015,7,"), submitted_on=received_on, reason="backfill")
    assert report.status == "loaded"
    assert report.cycle is not None
    assert report.cycle.as_dict() == {
        "cycle": "Report 2016", "deadline": "2016-07-01", "first_year": 2014, "last_year": 2015,
        "received_on": received_on.isoformat(), "on_time": on_time, "days_late": days_late,
    }  # fmt: skip
    assert recorded_uploads(engine)[0].report["cycle"] == report.cycle.as_dict()


def test_a_file_whose_latest_year_no_cycle_covers_yet_says_so(engine: Engine) -> None:
    report = load(engine, csv_rows("ITA,2026,5,"))
    assert (report.status, report.cycle) == ("loaded", None)
    assert (
        report.cycle_line()
        == "figures.csv: counts for no reporting cycle yet (none covers the latest year it holds)"
    )
