"""The REST API answered directly: reading (JSON, CSV, pages, ETag, demo label), submitting with a
token (401, 403, 422, recorded and audited), tokens and cookies kept apart, failed checks limited."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import Engine, select

from models.accounts.tokens import revoke_token
from models.accounts.users import Actor, deactivate_user
from models.db import account_transaction, read_session
from models.demo import DEMO_LABEL
from models.tables import ApiToken, AuditEvent, Observation, Upload, User
from tests.conftest import PASSWORD
from tests.dashboard.test_users_page import add_request
from tests.dashboard.uploads import accept_submissions
from tests.web import WebClient

GOOD = b"country,year,identified_victims\nFRA,2024,120\nFRA,2025,131\n"
BAD = b"country,year,identified_victims\nFRA,20x4,120\nFRA,2025,-3\n"
GERMAN = b"country,year,identified_victims\nDEU,2024,77\n"


def submit(web: WebClient, token: str | None, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = {"file": (io.BytesIO(content), "figures.csv"), **fields}
    return web.client.post("/api/v1/submissions", data=data, headers=headers)


def test_participants_are_paginated_with_links_and_a_total(web: WebClient) -> None:
    first = web.client.get("/api/v1/participants?limit=2").get_json()
    second = web.client.get(first["links"]["next"]).get_json()
    assert first["limit"] == 2
    assert first["offset"] == 0
    assert first["total"] >= 40
    assert len(first["data"]) == 2
    assert second["offset"] == 2
    assert first["links"]["prev"] is None
    assert second["links"]["prev"] == "/api/v1/participants?limit=2&offset=0"
    assert second["data"][0]["code"] > first["data"][1]["code"]
    assert first["demo"] is False
    assert first["data_note"] is None


def test_csv_on_accept_or_format_with_the_same_rows(web: WebClient) -> None:
    by_accept = web.client.get("/api/v1/cycles", headers={"Accept": "text/csv"})
    by_format = web.client.get("/api/v1/cycles?format=csv")
    rows = web.client.get("/api/v1/cycles").get_json()["data"]
    assert by_accept.mimetype == "text/csv"
    assert by_accept.data == by_format.data
    lines = by_format.get_data(as_text=True).splitlines()
    assert lines[0] == "name,kind,deadline,first_year,last_year"
    assert len(lines) == len(rows) + 1
    assert lines[1].startswith(rows[0]["name"] + ",")


def test_etag_gives_304_until_the_data_changes(
    web: WebClient, engine: Engine, accounts: dict[str, str], tokens: dict[str, str]
) -> None:
    first = web.client.get("/api/v1/values")
    tag = first.headers["ETag"]
    again = web.client.get("/api/v1/values", headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["ETag"] == tag
    assert again.data == b""
    assert web.client.get("/api/v1/values?format=csv", headers={"If-None-Match": tag}).status_code == 200
    assert submit(web, tokens["liaison"], GOOD).status_code == 200
    # A write changes the tag, though a liaison's submission counts only once it is accepted.
    submitted = web.client.get("/api/v1/values", headers={"If-None-Match": tag})
    assert submitted.status_code == 200
    assert submitted.headers["ETag"] != tag
    assert submitted.get_json()["data"] == []
    accept_submissions(engine)
    changed = web.client.get("/api/v1/values", headers={"If-None-Match": submitted.headers["ETag"]})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != submitted.headers["ETag"]
    assert [row["value"] for row in changed.get_json()["data"]] == [120, 131]


def test_demonstration_data_is_labelled_in_json_and_csv(demo_web: WebClient) -> None:
    web = demo_web
    answer = web.client.get("/api/v1/compliance?participant=ALL&limit=3").get_json()
    assert answer["demo"] is True
    assert answer["data_note"] == DEMO_LABEL
    assert all(row["data_note"] == DEMO_LABEL for row in answer["data"])
    csv = web.client.get("/api/v1/values?format=csv&limit=2").get_data(as_text=True).splitlines()
    assert csv[0].endswith(",data_note")
    assert csv[1].endswith("," + DEMO_LABEL)
    totals = web.client.get("/api/v1/published-totals").get_json()  # INTERPOL's own: real figures
    assert totals["demo"] is False
    assert all("data_note" not in row for row in totals["data"])


def test_compliance_answers_the_command_lines_columns(demo_web: WebClient, demo_db_url: str) -> None:
    from models.metrics.__main__ import main
    from tests.cli import invoke

    web, url = demo_web, demo_db_url
    cli = json.loads(invoke(main, "compliance", "--database", url, "--format", "json", "--basis", "annual",
                            "--from", "2020", "--to", "2022", "--participant", "DEU").stdout)  # fmt: skip
    api = web.client.get("/api/v1/compliance?basis=annual&from=2020&to=2022&participant=DEU").get_json()
    assert api["data"] == cli
    assert api["total"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "from=2025&to=2020",
        "limit=0",
        "limit=x",
        "basis=weekly",
        "participant=XXX",
        "participant=12345",
        "from=1900",
    ],
)
def test_bad_parameters_get_a_clear_422(demo_web: WebClient, query: str) -> None:
    answer = demo_web.client.get(f"/api/v1/compliance?{query}")
    assert answer.status_code == 422
    assert answer.mimetype == "application/json"
    body = answer.get_json()
    assert body["status"] == 422
    assert body["error"]
    assert body["problems"][0]["message"]


def test_a_submission_without_a_valid_token_is_401_and_changes_nothing(
    web: WebClient, engine: Engine, accounts: dict[str, str]
) -> None:
    assert submit(web, None, GOOD).status_code == 401
    assert submit(web, "vid_not-a-token", GOOD).status_code == 401
    assert web.sign_in(accounts["liaison"], PASSWORD).status_code == 303  # a session cookie gives nothing
    refused = submit(web, None, GOOD)
    assert refused.status_code == 401
    assert "Bearer" in refused.headers["WWW-Authenticate"]
    with read_session(engine) as session:
        assert session.scalars(select(Upload)).all() == []
        assert "api_token.failed" in set(session.scalars(select(AuditEvent.action)))


def test_a_liaison_token_writes_its_participant_only(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    assert submit(web, tokens["liaison_deu"], GOOD).status_code == 403  # FRA rows, DEU token
    assert submit(web, tokens["liaison_deu"], GERMAN, participant="FRA").status_code == 403
    accepted = submit(web, tokens["liaison_deu"], GERMAN)
    assert accepted.status_code == 200
    assert accepted.get_json()["status"] == "loaded"
    with read_session(engine) as session:
        uploads = session.scalars(select(Upload).order_by(Upload.id)).all()
        outcomes = [(u.outcome, u.uploaded_by, u.review_status) for u in uploads]
        values = [(o.participant_code, o.value) for o in session.scalars(select(Observation))]
        refused = set(session.scalars(select(AuditEvent.action)))
    assert outcomes == [
        ("rejected", "liaison.deu@example.org", None),
        ("loaded", "liaison.deu@example.org", "submitted"),  # awaiting the secretariat's review
    ]
    assert values == []  # a submitted upload changes no figure that counts until it is accepted
    assert "upload.confirm_refused" in refused


def test_a_file_with_problems_is_422_with_every_problem_and_recorded(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    answer = submit(web, tokens["liaison"], BAD)
    body = answer.get_json()
    assert answer.status_code == 422
    assert body["report"]["status"] == "rejected"
    assert {(e["row"], e["column"]) for e in body["report"]["errors"]} == {
        (2, "year"),
        (3, "identified_victims"),
    }
    with read_session(engine) as session:
        upload = session.get_one(Upload, body["upload_id"])
    assert upload.outcome == "rejected"
    assert upload.error_count == 2


def test_a_dry_run_reports_and_records_nothing(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    answer = submit(web, tokens["liaison"], GOOD, dry_run="true")
    assert answer.status_code == 200
    assert answer.get_json()["status"] == "valid"
    assert answer.get_json()["report"]["inserted"] == 2
    with read_session(engine) as session:
        assert session.scalars(select(Upload)).all() == []


def test_the_secretariat_gives_a_reason(web: WebClient, tokens: dict[str, str]) -> None:
    assert submit(web, tokens["secretariat"], GOOD).status_code == 422
    assert submit(web, tokens["secretariat"], GOOD, reason="Annual report 2025").status_code == 200


def test_revoked_tokens_and_deactivated_accounts_stop(
    web: WebClient, engine: Engine, accounts: dict[str, str], tokens: dict[str, str]
) -> None:
    assert submit(web, tokens["liaison_deu"], GERMAN, dry_run="true").status_code == 200
    with account_transaction(engine) as session:
        deactivate_user(session, accounts["liaison"], Actor.operator("tests"))
        deu = session.scalar(
            select(ApiToken.id)
            .join(User, User.id == ApiToken.user_id)
            .where(User.email == accounts["liaison_deu"])
        )
        revoke_token(session, deu, Actor.operator("tests"))
    assert submit(web, tokens["liaison"], GOOD, dry_run="true").status_code == 401
    assert submit(web, tokens["liaison_deu"], GERMAN, dry_run="true").status_code == 401
    with read_session(engine) as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert {"api_token.create", "api_token.revoke", "api_token.failed"} <= set(actions)


def test_failed_token_checks_are_limited_like_sign_ins(web: WebClient, tokens: dict[str, str]) -> None:
    from app import server
    from models.accounts.sessions import SignInLimit, SignInLimits

    previous = server.config["VID_SIGN_IN_LIMITS"]
    server.config["VID_SIGN_IN_LIMITS"] = SignInLimits(
        SignInLimit.parse("3 per hour"), SignInLimit.parse("3 per hour")
    )
    try:
        assert [submit(web, f"vid_wrong{n}", GOOD).status_code for n in range(3)] == [401, 401, 401]
        limited = submit(web, tokens["liaison"], GOOD)  # even a good token, from this address, for now
        assert limited.status_code == 429
        assert int(limited.headers["Retry-After"]) > 0
    finally:
        server.config["VID_SIGN_IN_LIMITS"] = previous


def test_a_token_opens_no_page_or_callback(web: WebClient, tokens: dict[str, str]) -> None:
    headers = {"Authorization": f"Bearer {tokens['admin']}"}
    assert web.client.get("/audit/uploads.csv", headers=headers).status_code == 403
    web.client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['admin']}"  # on every request
    assert "access-refused" in web.page("/users")
    answer = add_request(web, "new@example.org", "liaison", "FRA")
    assert answer.status_code == 403


def test_public_routes_answer_alike_with_or_without_a_token(web: WebClient, tokens: dict[str, str]) -> None:
    plain = web.client.get("/api/v1/reporting")
    with_token = web.client.get("/api/v1/reporting", headers={"Authorization": f"Bearer {tokens['admin']}"})
    with_wrong = web.client.get("/api/v1/reporting", headers={"Authorization": "Bearer vid_wrong"})
    assert plain.data == with_token.data == with_wrong.data
    assert plain.headers["ETag"] == with_token.headers["ETag"]


def test_the_documentation_is_served_offline(web: WebClient) -> None:
    page = web.client.get("/api/v1/docs").get_data(as_text=True)
    assert "http://" not in page
    assert "https://" not in page
    assert web.client.get("/api/v1/docs/js/swagger-ui-bundle.js").status_code == 200
    document = web.client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/submissions" in document["paths"]
    assert "/api/v1/compliance" in document["paths"]
