"""What the upload page takes from a request: bad control values, malformed requests, hostile bytes."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from dashboard.pages._upload_inputs import prepared_uploads
from data_ingest.load import load_file
from models.db import read_session
from models.tables import Upload
from tests.conftest import PASSWORD
from tests.dashboard.uploads import BAD, GERMAN, GOOD, confirm, counts, preview, show_report, text
from tests.web import WebClient

SURROGATE = b'[{"country":"DEU\\ud800x","year":2011,"identified_victims":"1\\ud800"}]'


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the files read into tables (every parse), from an empty store of prepared files."""
    import data_ingest.load as load

    prepared_uploads.clear()
    names: list[str] = []
    real = load.read_table

    def counted(content: bytes, filename: str = "", sheet: str | None = None) -> Any:
        names.append(filename)
        return real(content, filename, sheet)

    monkeypatch.setattr(load, "read_table", counted)
    yield names
    prepared_uploads.clear()


def messages(response: Any) -> dict[str, Any]:
    """The message beside each control, as the response sets it."""
    answer = response.get_json()["response"]
    return {
        control: answer[f"{control}-message"]["children"]
        for control in ("upload-on-behalf", "upload-received-on", "upload-reason")
        if f"{control}-message" in answer
    }


def test_a_file_is_read_once_from_its_preview_to_its_receipt(
    web: WebClient, accounts: dict[str, str], engine: Engine, reads: list[str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "no problems found" in text(preview(web, GOOD))
    assert "Recorded — your receipt" in text(confirm(web, GOOD))
    assert reads == ["report.csv"]


def test_a_refused_preview_is_recorded_without_reading_the_file_again(
    web: WebClient, accounts: dict[str, str], engine: Engine, reads: list[str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "refused, 2 problems" in text(preview(web, BAD))
    assert reads == ["report.csv"]
    assert counts(engine) == (0, 1)  # the attempt is recorded


def test_a_prepared_file_is_kept_for_the_account_that_sent_it_only(
    web: WebClient, accounts: dict[str, str], engine: Engine, reads: list[str]
) -> None:
    from app import server

    web.sign_in(accounts["secretariat"], PASSWORD)
    preview(web, GERMAN)
    other = WebClient(server.test_client())
    other.sign_in(accounts["admin"], PASSWORD)
    preview(other, GERMAN)  # the same bytes from another account: read for that account
    changed = GERMAN.replace(b"77", b"78")
    assert "Recorded" in text(confirm(web, changed, reason="sent by e-mail"))  # other bytes: read again
    assert reads == ["report.csv"] * 3


def test_confirm_decides_again_against_the_database_as_it_is_at_the_write(
    web: WebClient, accounts: dict[str, str], engine: Engine, reads: list[str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert "2 new values" in text(preview(web, GOOD))
    # Between the preview and Confirm, the secretariat records another 2024 figure for France.
    load_file(engine, b"country,year,identified_victims\nFRA,2024,99\n", "s.csv", user="s", reason="e-mail")
    refused = text(confirm(web, GOOD))
    assert "This file corrects one value already recorded: say why" in refused
    assert counts(engine) == (1, 1)
    assert "Recorded" in text(confirm(web, GOOD, reason="our figure replaces the secretariat's"))
    assert reads == ["report.csv", "s.csv"]  # the upload's file once; the secretariat's


@pytest.mark.parametrize(
    ("received_on", "message"),
    [
        (5, "Give the date as the date picker writes it (YYYY-MM-DD)."),
        ("abc", "Give the date as the date picker writes it (YYYY-MM-DD)."),
        (["2024-01-01"], "Give the date as the date picker writes it (YYYY-MM-DD)."),
        ("2999-01-01", "The date a report was received cannot be in the future."),
    ],
)
def test_a_received_on_value_that_is_not_a_past_date_gets_a_message_beside_it(
    web: WebClient, accounts: dict[str, str], engine: Engine, received_on: Any, message: str
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    for response in (preview(web, GERMAN, received_on=received_on),
                     confirm(web, GERMAN, reason="backfill", received_on=received_on)):  # fmt: skip
        assert response.status_code == 200
        assert messages(response)["upload-received-on"] == message
    assert counts(engine) == (0, 0)


@pytest.mark.parametrize("on_behalf", ["XXX", '=HYPERLINK("http://evil.example")', "../../etc/passwd", 5, {}])
def test_a_participant_not_in_the_list_gets_a_message_beside_the_choice(
    web: WebClient, accounts: dict[str, str], engine: Engine, on_behalf: Any
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    for response in (preview(web, GERMAN, on_behalf=on_behalf),
                     confirm(web, GERMAN, reason="x", on_behalf=on_behalf)):  # fmt: skip
        assert response.status_code == 200
        assert messages(response)["upload-on-behalf"] == "Choose a participant from the list."
    template = web.callback(
        [("upload-template-download", "data"), ("upload-on-behalf-message", "children@x")],
        [("upload-template-xlsx", "n_clicks", None), ("upload-template-csv", "n_clicks", 1)],
        [("upload-on-behalf", "value", on_behalf)],
    )
    answer = template.get_json()["response"]
    assert "upload-template-download" not in answer  # no file is made from it
    assert answer["upload-on-behalf-message"]["children"] == "Choose a participant from the list."
    assert counts(engine) == (0, 0)


def test_a_liaisons_page_has_no_secretariat_controls_and_values_sent_for_them_are_ignored(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)  # of FRA
    response = confirm(web, GOOD, on_behalf='=HYPERLINK("x")', received_on=5)
    assert "Recorded" in text(response)
    assert messages(response) == {"upload-on-behalf": None, "upload-received-on": None, "upload-reason": None}
    with read_session(engine) as session:
        assert session.scalars(select(Upload.participant_code)).all() == ["FRA"]


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("corrected\x00", "The reason holds a NUL character, which cannot be stored. Type it again without "
                          "it."),
        ("corrected\ud800", "The reason holds a broken character (half of a surrogate pair), which cannot be "
                            "stored. Type it again without it."),
        ("x" * 2001, "The reason may be at most 2,000 characters long; this one has 2,001."),
        (["why"], "The reason must be text."),
    ],
)  # fmt: skip
def test_a_reason_that_cannot_be_stored_gets_a_message_beside_it_on_every_backend(
    web: WebClient, accounts: dict[str, str], engine: Engine, reason: Any, message: str
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = confirm(web, GERMAN, reason=reason)
    assert response.status_code == 200
    assert messages(response)["upload-reason"] == message
    assert counts(engine) == (0, 0)


@pytest.mark.parametrize(
    "selected",
    [[{}], [{"upload_id": "abc"}], [{"upload_id": "1e3"}], [{"upload_id": 10**30}], [{"upload_id": True}],
     [{"upload_id": -1}], [{"upload_id": str(10**30)}], "1", {"upload_id": 1}, [5]],
)  # fmt: skip
def test_selected_rows_of_another_shape_are_a_bad_request(
    web: WebClient, accounts: dict[str, str], selected: Any
) -> None:
    web.sign_in(accounts["secretariat"], PASSWORD)
    response = web.callback(
        [("upload-history-report", "children")], [("upload-history-grid", "selectedRows", selected)]
    )
    assert response.status_code == 400
    download = web.callback(
        [("upload-report-download", "data")],
        [("upload-report-button", "n_clicks", 1)],
        [("upload-history-grid", "selectedRows", selected)],
    )
    assert download.status_code == 400


@pytest.mark.parametrize("receipt_id", [10**30, -1, 0, "abc", "-1", 1.5, True, [1]])
def test_a_receipt_id_that_cannot_be_an_upload_is_a_bad_request(
    web: WebClient, accounts: dict[str, str], receipt_id: Any
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    response = web.callback(
        [("upload-receipt-download", "data")],
        [("upload-receipt-button", "n_clicks", 1)],
        [("upload-receipt-id", "data", receipt_id)],
    )
    assert response.status_code == 400
    assert show_report(web, 2**31 - 1).status_code == 404  # the largest id there can be: simply none


def test_a_file_with_a_lone_surrogate_is_refused_in_plain_words_and_recorded(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison_deu"], PASSWORD)
    response = preview(web, SURROGATE, name="figures.json")
    assert response.status_code == 200
    body = text(response)
    assert "figures.json: refused, 2 problems" in body
    assert "This cell holds a broken character (half of a surrogate pair)" in body
    assert "codec" not in body
    assert "\\ud800" not in response.get_data(as_text=True)
    with read_session(engine) as session:
        assert session.scalars(select(Upload.outcome)).all() == ["rejected"]


@pytest.mark.parametrize(
    ("name", "stored"),
    [("report\x00.csv", "report\ufffd.csv"), ("report\ud800.csv", "report\ufffd.csv"),
     ("../../etc/passwd", "passwd"), ('=HYPERLINK("x").csv', '=HYPERLINK("x").csv')],
)  # fmt: skip
def test_a_file_name_is_stored_safely_whatever_the_browser_says(
    web: WebClient, accounts: dict[str, str], engine: Engine, name: str, stored: str
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    response = preview(web, GOOD, name=name)
    assert response.status_code == 200
    if "\ufffd" in stored:
        assert "The file name holds" in text(response)
    with read_session(engine) as session:
        names = session.scalars(select(Upload.original_name)).all()
    assert names == ([stored] if "\ufffd" in stored else [])  # a refused name is recorded; a fine one waits


def test_a_liaisons_template_is_their_own_whatever_the_request_says(
    web: WebClient, accounts: dict[str, str]
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)  # of FRA
    response = web.callback(
        [("upload-template-download", "data"), ("upload-on-behalf-message", "children@x")],
        [("upload-template-xlsx", "n_clicks", 1), ("upload-template-csv", "n_clicks", None)],
        [("upload-on-behalf", "value", '=HYPERLINK("http://evil.example")')],
    )
    data = response.get_json()["response"]["upload-template-download"]["data"]
    assert data["filename"] == "vid-monitor-template-FRA.xlsx"
    book = load_workbook(io.BytesIO(base64.b64decode(data["content"])))
    assert [book["Figures"]["A2"].value, book["Figures"]["A3"].value] == ["FRA", "FRA"]
