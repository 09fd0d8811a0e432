"""The upload page as liaisons use it, and as an attacker forges its callbacks (both backends)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from models.cycles.review import list_submissions
from models.db import data_version, read_session, write_transaction
from models.tables import AuditEvent, Upload
from tests.conftest import PASSWORD
from tests.dashboard.uploads import (
    BAD,
    DROP,
    GERMAN,
    GOOD,
    accept_submissions,
    confirm,
    counts,
    part,
    preview,
    show_report,
    text,
    texts,
)
from tests.web import WebClient


def test_anonymous_callbacks_are_refused_and_write_nothing(web: WebClient, engine: Engine) -> None:
    assert preview(web, GOOD).status_code == 403
    assert confirm(web, GOOD).status_code == 403
    assert counts(engine) == (0, 0)


def test_a_liaison_cannot_upload_another_participants_figures(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)  # liaison of FRA
    response = confirm(web, GERMAN, reason="forged")
    assert response.status_code == 200
    assert "may only hold figures for France (FRA)" in text(response)
    assert counts(engine)[0] == 0
    with read_session(engine) as session:
        assert session.scalars(select(Upload.outcome)).all() == ["rejected"]


def test_a_liaison_cannot_pretend_to_act_for_another_participant(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    response = confirm(web, GERMAN, on_behalf="DEU")  # the on-behalf choice is the secretariat's only
    assert "may only hold figures for France (FRA)" in text(response)
    assert counts(engine)[0] == 0


def test_a_liaison_cannot_read_another_participants_upload_report(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison_deu"], PASSWORD)
    preview(web, b"country,year,identified_victims\nDEU,2024,oops\n")  # recorded as a rejected attempt
    web.sign_out()
    web.sign_in(accounts["liaison"], PASSWORD)
    assert show_report(web, 1).status_code == 404


def receipt(web: WebClient, upload_id: object) -> Any:
    return web.callback(
        [("upload-receipt-download", "data")],
        [("upload-receipt-button", "n_clicks", 1)],
        [("upload-receipt-id", "data", upload_id)],
    )


def test_an_upload_one_may_not_see_answers_as_one_that_does_not_exist(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison_deu"], PASSWORD)
    preview(web, b"country,year,identified_victims\nDEU,2024,oops\n")  # upload 1, DEU's refused file
    web.sign_out()
    web.sign_in(accounts["liaison"], PASSWORD)
    for ask in (show_report, receipt):
        answers = {(r.status_code, r.get_data()) for r in (ask(web, 1), ask(web, 999), ask(web, "1"))}
        assert len(answers) == 1, ask.__name__  # the same status and body whether the upload exists or not
        assert next(iter(answers))[0] == 404
    # What cannot be an upload id at all is a malformed request (400), whoever asks: it says nothing
    # of which uploads exist either.
    for forged in ("abc", 10**30, -1, 1.5, True, {"id": 1}):
        assert receipt(web, forged).status_code == 400, forged
        assert show_report(web, forged).status_code == 400, forged
    missing = web.callback(
        [("upload-history-report", "children")], [("upload-history-grid", "selectedRows", [{"name": "x"}])]
    )
    assert missing.status_code == 400
    web.sign_out()
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert show_report(web, 1).status_code == 200
    assert show_report(web, 999).status_code == 404


def test_a_liaison_sees_their_part_of_a_file_the_secretariat_sent_for_several(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from data_ingest.load import load_file

    several = (b"country,year,identified_victims,notes\nFRA,2024,120,French note\n"
               b"DEU,2024,77,German note\n")  # fmt: skip
    report = load_file(engine, several, "two.csv", user=accounts["secretariat"], reason="joint report")
    assert report.status == "loaded"
    assert report.upload_id is not None
    web.sign_in(accounts["liaison"], PASSWORD)
    listed = text(preview(web, b"country,year,identified_victims\nFRA,2024,oops\n"))
    assert "two.csv" in listed  # in their list of uploads: it recorded a value of theirs
    shown = show_report(web, report.upload_id)
    assert shown.status_code == 200
    assert "French note" in text(shown)
    assert "German note" not in text(shown)  # another participant's part stays with the secretariat
    assert "several participants (DEU, FRA)" in text(shown)
    download = web.callback(
        [("upload-receipt-download", "data")],
        [("upload-receipt-button", "n_clicks", 1)],
        [("upload-receipt-id", "data", report.upload_id)],
    )
    receipt = download.get_json()["response"]["upload-receipt-download"]["data"]["content"]
    assert "FRA 2024, identified during the year: (none) -> 120" in receipt
    assert "DEU 2024" not in receipt


def test_the_preview_lists_what_changes_and_shows_the_files_notes(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from data_ingest.load import load_file

    load_file(engine, b"country,year,identified_victims\nFRA,2023,100\nFRA,2024,110\n", "a.csv",
              user=accounts["liaison"])  # fmt: skip
    web.sign_in(accounts["liaison"], PASSWORD)
    same = preview(web, b"country,year,identified_victims\nFRA,2023,100\nFRA,2024,110\n")
    assert "Nothing will change" in text(same)
    assert "upload-changes-grid" not in text(same)
    mixed = preview(web, b"country,year,identified_victims,notes\nFRA,2023,100,\nFRA,2024,115,after dedup\n")
    body = text(mixed)
    assert "0 new values, 1 revised (old → new below), 1 unchanged" in body
    rows = mixed.get_json()["response"]["upload-preview"]["children"]["props"]["children"]
    grid = next(part for part in rows if part["props"].get("id") == "upload-changes-grid")
    assert [(r["change"], r["year"], r["old"], r["new"]) for r in grid["props"]["rowData"]] == [
        ("revised", 2024, 110, 115)
    ]  # the unchanged 2023 is counted, not listed
    assert "after dedup" in body  # the file's notes, before confirming


def test_problems_then_preview_then_receipt(web: WebClient, accounts: dict[str, str], engine: Engine) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    refused = preview(web, BAD)
    body = text(refused)
    assert "refused, 2 problems" in body
    assert "20x4" in body
    assert refused.get_json()["response"]["upload-confirm"]["disabled"] is True
    assert counts(engine) == (0, 1)  # the attempt is recorded, nothing else

    valid = preview(web, GOOD)
    assert "2 new values, 0 revised, 0 unchanged" in text(valid)
    assert "Nothing will change" not in text(valid)
    assert valid.get_json()["response"]["upload-confirm"]["disabled"] is False
    assert counts(engine) == (0, 1)  # a preview writes nothing

    done = confirm(web, GOOD, reason="annual report")
    receipt = text(done)
    assert "Recorded — your receipt" in receipt
    assert hashlib.sha256(GOOD).hexdigest() in receipt
    cells = texts(done.get_json()["response"]["upload-receipt"]["children"])
    assert cells[cells.index("Unchanged values") + 1] == "0"  # a zero, not a blank
    assert counts(engine) == (0, 2)  # a liaison's figures wait for the secretariat's review
    with read_session(engine) as session:
        assert [s.status for s in list_submissions(session)] == ["submitted"]
    accept_submissions(engine)
    assert counts(engine) == (2, 2)
    upload_id = done.get_json()["response"]["upload-receipt-id"]["data"]
    download = web.callback(
        [("upload-receipt-download", "data")],
        [("upload-receipt-button", "n_clicks", 1)],
        [("upload-receipt-id", "data", upload_id)],
    )
    content = download.get_json()["response"]["upload-receipt-download"]["data"]["content"]
    assert f"Upload: {upload_id}" in content
    assert f"SHA-256: {hashlib.sha256(GOOD).hexdigest()}" in content
    assert "Reason: annual report" in content
    assert content.endswith(
        "Figures recorded (country, year, figure: old -> new):\n"
        "  FRA 2024, identified during the year: (none) -> 120\n"
        "  FRA 2025, identified during the year: (none) -> 131\n"
    )
    assert "FRA 2025, identified during the year: (none) → 131" in receipt  # on screen too


def test_the_secretariat_must_give_a_reason(web: WebClient, accounts: dict[str, str], engine: Engine) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "must give a reason" in text(confirm(web, GERMAN))
    assert counts(engine) == (0, 0)
    assert "Recorded" in text(confirm(web, GERMAN, reason="sent by e-mail, entered on their behalf"))
    assert counts(engine)[0] == 1


def test_oversized_files_are_refused(
    web: WebClient, accounts: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from models.settings import get_settings

    monkeypatch.setattr(get_settings(), "max_upload_bytes", 20)
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "larger than the upload limit" in text(preview(web, GOOD))


def test_the_template_is_prefilled_with_the_liaisons_participant(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    response = web.callback(
        [("upload-template-download", "data"), ("upload-on-behalf-message", "children@x")],
        [("upload-template-xlsx", "n_clicks", 1), ("upload-template-csv", "n_clicks", None)],
        [("upload-on-behalf", "value", None)],
    )
    download = response.get_json()["response"]["upload-template-download"]["data"]
    assert download["filename"] == "vid-monitor-template-FRA.xlsx"
    workbook = load_workbook(io.BytesIO(base64.b64decode(download["content"])))
    assert workbook.worksheets[0]["A2"].value == "FRA"


def test_a_correction_needs_a_reason(web: WebClient, accounts: dict[str, str], engine: Engine) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "Recorded" in text(confirm(web, GOOD))  # new values: a reason is welcome, not required
    accept_submissions(engine)  # a correction changes what counts: accepted values
    corrected = GOOD.replace(b"131", b"135")
    refused = text(confirm(web, corrected))
    assert "corrects one value already recorded: say why" in refused
    assert counts(engine) == (2, 1)
    assert "Recorded" in text(confirm(web, corrected, reason="corrected after de-duplication"))


def test_the_receipt_says_which_cycle_the_file_counts_for_and_whether_it_arrived_on_time(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    on_time = confirm(web, GOOD, reason="backfill", received_on="2026-06-15")
    cells = texts(on_time.get_json()["response"]["upload-receipt"]["children"])
    assert cells[cells.index("Reporting cycle") + 1] == "Report 2026 (covers 2024–2025, due 2026-07-01)"
    assert cells[cells.index("Arrived") + 1] == "on time"
    late = confirm(web, GERMAN, reason="late report")
    cells = texts(late.get_json()["response"]["upload-receipt"]["children"])
    days = (dt.datetime.now(dt.UTC).date() - dt.date(2026, 7, 1)).days
    assert cells[cells.index("Arrived") + 1] == f"{days} days late"
    receipt = web.callback(
        [("upload-receipt-download", "data")],
        [("upload-receipt-button", "n_clicks", 1)],
        [("upload-receipt-id", "data", 2)],
    ).get_json()["response"]["upload-receipt-download"]["data"]
    assert receipt["filename"] == "vid-monitor-receipt-2.txt"
    assert "Reporting cycle: Report 2026 (covers 2024–2025, due 2026-07-01)\n" in receipt["content"]
    assert f"Arrived: {days} days late\n" in receipt["content"]


def test_a_received_on_date_before_the_years_in_the_file_is_refused_in_the_preview(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = preview(web, GERMAN, received_on="2016-06-20")
    assert "Row 2 gives figures for 2024, which had not ended on 2016-06-20" in text(refused)
    assert counts(engine) == (0, 1)


def refused_confirms(engine: Engine) -> list[tuple[str, str, str]]:
    with read_session(engine) as session:
        rows = session.execute(
            select(AuditEvent.actor, AuditEvent.subject, AuditEvent.details)
            .where(AuditEvent.action == "upload.confirm_refused")
            .order_by(AuditEvent.id)
        ).all()
    return [(actor, subject, details["message"]) for actor, subject, details in rows]


def test_every_refused_confirm_is_in_the_audit_log_and_changes_no_figure(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "Recorded" in text(confirm(web, GOOD, name="france.csv"))
    accept_submissions(engine)
    with read_session(engine) as session:
        version = data_version(session)
    confirm(web, GOOD.replace(b"131", b"135"), name="france-corrected.csv")  # a correction, no reason
    web.sign_out()
    web.sign_in(accounts["secretariat"], PASSWORD)
    confirm(web, GERMAN, name="germany.csv")  # the secretariat gave no reason
    confirm(web, GERMAN, reason="by e-mail", received_on="not a date", name="germany.csv")
    logged = refused_confirms(engine)
    assert logged[:2] == [
        (accounts["liaison"], "france-corrected.csv",
         "This file corrects one value already recorded: say why in the Reason box (e.g. corrected after "
         "de-duplication), then confirm again."),
        (accounts["secretariat"], "germany.csv", "The secretariat must give a reason when sending figures."),
    ]  # fmt: skip
    assert len(logged) == 3
    assert logged[2][:2] == (accounts["secretariat"], "germany.csv")
    assert "date" in logged[2][2].lower()  # the message shown beside the received-on control
    assert counts(engine) == (2, 1)
    with read_session(engine) as session:
        assert data_version(session) == version  # a refusal is an account event, not a data change


def answer(response: Any) -> dict[str, dict[str, Any]]:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return dict(response.get_json()["response"])


def test_a_demonstration_database_is_announced_before_a_file_is_chosen(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    from models.demo import load_demo

    web.sign_in(accounts["liaison"], PASSWORD)
    assert "upload-demo-notice" not in web.page("/upload")  # real data: no notice
    with write_transaction(engine) as session:
        load_demo(session)
    page = web.page("/upload")
    assert "upload-demo-notice" in page
    assert "Real figures are refused until it is removed" in page
    assert "The secretariat removes the demonstration data" in page
    assert "python -m data_ingest demo --remove" in page
    web.sign_out()
    web.sign_in(accounts["secretariat"], PASSWORD)
    assert "The secretariat or an admin removes it on the server" in web.page("/upload")
    refused = text(preview(web, GERMAN))
    assert "Nothing is wrong with the file" in refused
    assert "Correct the file and send it again" not in refused
    both = text(preview(web, BAD))  # demonstration data and the file's own problems: both said
    assert "the file has two other problems to correct" in both


@pytest.mark.parametrize(
    ("role", "earlier", "said"),
    [("liaison", None, "No reason is needed: the file corrects no value already recorded"),
     ("liaison", b"country,year,identified_victims\nFRA,2024,100\nFRA,2025,101\n",
      "A reason is needed before you confirm: this file corrects two values already recorded"),
     ("secretariat", None, "A reason is needed before you confirm: the secretariat gives one for every")],
    ids=["new values", "corrections", "secretariat"],
)  # fmt: skip
def test_the_preview_says_whether_confirm_will_need_a_reason(
    web: WebClient, accounts: dict[str, str], engine: Engine, role: str, earlier: bytes | None, said: str
) -> None:
    web.sign_in(accounts[role], PASSWORD)
    if earlier:
        assert "Recorded" in text(confirm(web, earlier, name="earlier.csv"))
        accept_submissions(engine)  # what a file corrects is what counts: accepted values
    assert said in text(preview(web, GOOD))
    label = (
        "Reason (always needed" if role == "secretariat" else "Reason (needed when the file corrects values"
    )
    assert label in web.page("/upload")


def test_warnings_must_be_ticked_as_checked_and_the_server_refuses_a_confirm_without(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    shown = answer(preview(web, DROP))
    assert shown["upload-confirm"]["disabled"] is True  # until ticked
    assert shown["upload-warnings-box"]["hidden"] is False
    assert shown["upload-warnings-checked"] == {"label": "I have checked this warning against our records",
                                                "value": False}  # fmt: skip
    assert shown["upload-ready"]["data"] == {"warnings": 1}
    assert "Worth a second look" in json.dumps(shown, ensure_ascii=False)
    ready = shown["upload-ready"]["data"]
    for checked in (None, False, "true", [True]):  # a forged Confirm: not ticked, whatever it sends
        refused = answer(confirm(web, DROP, checked=checked, ready=ready))
        assert "This file has one warning worth a second look" in json.dumps(refused, ensure_ascii=False)
    changed = answer(confirm(web, DROP, checked=True, ready={"warnings": 0}))
    assert "warnings changed since its preview" in json.dumps(changed)
    assert counts(engine) == (0, 0)
    logged = refused_confirms(engine)
    assert len(logged) == 5
    assert logged[0] == (accounts["liaison"], "report.csv",
                         "This file has one warning worth a second look: tick “I have checked …” once you "
                         "have checked them, then confirm again.")  # fmt: skip
    done = answer(confirm(web, DROP, checked=True, ready=ready))
    assert "Recorded — your receipt" in json.dumps(done, ensure_ascii=False)
    accept_submissions(engine)  # a liaison's figures count once the secretariat accepts them
    assert counts(engine) == (2, 1)


def test_a_file_without_warnings_asks_for_no_tick(web: WebClient, accounts: dict[str, str]) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    shown = answer(preview(web, GOOD))
    assert (shown["upload-confirm"]["disabled"], shown["upload-warnings-box"]["hidden"]) == (False, True)
    assert shown["upload-ready"]["data"] == {"warnings": 0}
    assert "Recorded" in text(confirm(web, GOOD))


def test_the_fields_are_emptied_after_a_recording_and_kept_after_a_refusal(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    refused = answer(confirm(web, DROP, reason="by e-mail", received_on="2025-01-10", ready={"warnings": 1}))
    assert "worth a second look" in json.dumps(refused)
    assert not {"upload-reason", "upload-file", "upload-received-on"} & set(refused)  # kept as typed
    done = answer(
        confirm(web, DROP, reason="by e-mail", received_on="2025-01-10", checked=True, ready={"warnings": 1})
    )
    assert "Recorded — your receipt" in json.dumps(done, ensure_ascii=False)
    assert done["upload-reason"]["value"] == ""
    assert done["upload-warnings-checked"]["value"] is False
    assert done["upload-warnings-box"]["hidden"] is True
    assert done["upload-received-on"]["value"] is None
    assert done["upload-file"]["contents"] is None
    assert done["upload-ready"]["data"] is None


def test_the_changes_grid_fills_its_width(web: WebClient, accounts: dict[str, str]) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    grid = part(preview(web, GOOD), "upload-changes-grid")
    assert all(column.get("flex") for column in grid["columnDefs"])  # no blank column at the right
