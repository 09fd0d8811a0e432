"""Signing in and out: server-side sessions, generic failures, limits, CSRF, cookie flags, safe redirects."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, update
from werkzeug.test import TestResponse

from models.accounts.users import deactivate_user, set_password
from models.db import account_transaction, read_session
from models.tables import AuditEvent, UserSession
from tests.conftest import PASSWORD
from tests.web import WebClient


def test_login_page_is_a_form_with_a_csrf_token(web: WebClient) -> None:
    page = web.client.get("/login")
    assert page.status_code == 200
    assert "<title>Sign in · VID Monitor</title>" in page.get_data(as_text=True)
    assert web.form_token()


def test_a_liaison_lands_on_the_upload_page(web: WebClient, accounts: dict[str, str]) -> None:
    response = web.sign_in(accounts["liaison"], PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (303, "/upload")


def test_the_secretariat_lands_on_the_audit_page(web: WebClient, accounts: dict[str, str]) -> None:
    response = web.sign_in(accounts["secretariat"], PASSWORD)
    assert (response.status_code, response.headers["Location"]) == (303, "/audit")


@pytest.mark.parametrize(
    ("email", "password"), [("liaison.fra@example.org", "wrong password!"), ("nobody@example.org", PASSWORD)]
)
def test_failures_get_one_generic_message(
    web: WebClient, accounts: dict[str, str], email: str, password: str
) -> None:
    response = web.sign_in(email, password)
    assert response.status_code == 401
    assert "Wrong email or password, or the account is not active." in response.get_data(as_text=True)


def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    assert web.sign_in(accounts["secretariat"], PASSWORD).status_code == 303
    assert "Secretariat (secretariat)" in web.client.get("/_dash-layout").get_data(as_text=True)
    with account_transaction(engine) as session:
        deactivate_user(session, accounts["secretariat"], actor="tests")
    assert "Secretariat (secretariat)" not in web.client.get("/_dash-layout").get_data(as_text=True)
    assert web.sign_in(accounts["secretariat"], PASSWORD).status_code == 401


def test_a_post_without_the_csrf_token_is_refused(web: WebClient, accounts: dict[str, str]) -> None:
    response = web.client.post("/login", data={"email": accounts["liaison"], "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_dash_callbacks_need_the_csrf_header(web: WebClient) -> None:
    args = ([("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/"), ("_pages_location", "search", "")])  # fmt: skip
    assert web.callback(*args, csrf=False).status_code == 400
    assert web.callback(*args).status_code == 200


def test_failed_sign_ins_are_limited_per_account(web: WebClient, accounts: dict[str, str]) -> None:
    for _ in range(5):
        assert web.sign_in(accounts["liaison"], "wrong password!").status_code == 401
    blocked = web.sign_in(accounts["liaison"], PASSWORD)  # even the right password now waits
    assert blocked.status_code == 429
    assert "Too many failed sign-in attempts" in blocked.get_data(as_text=True)
    assert 'name="password"' in blocked.get_data(as_text=True)  # the form stays, in the site's frame
    assert web.sign_in(accounts["secretariat"], PASSWORD).status_code == 303  # other accounts unaffected


def test_failed_sign_ins_are_limited_per_address(web: WebClient) -> None:
    statuses = [web.sign_in(f"user{i}@example.org", "wrong password!").status_code for i in range(31)]
    assert statuses[:30] == [401] * 30
    assert statuses[30] == 429


def test_a_refused_sign_in_says_when_to_try_again(web: WebClient, accounts: dict[str, str]) -> None:
    for _ in range(5):
        web.sign_in(accounts["liaison"], "wrong password!")
    refused = web.sign_in(accounts["liaison"], "wrong password!")
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 15 * 60 + 1


def test_sign_ins_failures_and_sign_outs_are_in_the_audit_log(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], "my wrong guess!")
    web.sign_in(accounts["liaison"], PASSWORD)
    web.sign_out()
    with read_session(engine) as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.subject, AuditEvent.details)
            .where(AuditEvent.action.in_(["sign_in", "sign_in.failed", "sign_out"]))
            .order_by(AuditEvent.id)
        ).all()
    assert [(e.action, e.subject) for e in events] == [
        ("sign_in.failed", accounts["liaison"]),
        ("sign_in", accounts["liaison"]),
        ("sign_out", accounts["liaison"]),
    ]
    assert all(e.details["address"] == "127.0.0.1" for e in events)
    assert "my wrong guess!" not in repr(events)


def test_successful_sign_ins_do_not_count_against_the_limit(web: WebClient, accounts: dict[str, str]) -> None:
    for _ in range(8):
        assert web.sign_in(accounts["liaison"], PASSWORD).status_code == 303


def test_session_cookie_is_httponly_and_samesite_lax(web: WebClient, accounts: dict[str, str]) -> None:
    response = web.sign_in(accounts["liaison"], PASSWORD)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("vid_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_when_configured(web: WebClient, accounts: dict[str, str]) -> None:
    from app import server

    server.config["SESSION_COOKIE_SECURE"] = True
    try:
        response = web.sign_in(accounts["liaison"], PASSWORD)
    finally:
        server.config["SESSION_COOKIE_SECURE"] = False
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("vid_session="))
    assert "Secure" in cookie


@pytest.mark.parametrize(
    ("next_path", "expected"),
    [("/compliance?basis=annual", "/compliance?basis=annual"), ("https://evil.example/", "/upload"),
     ("//evil.example/", "/upload"), ("javascript:alert(1)", "/upload")],
)  # fmt: skip
def test_only_local_next_addresses_are_followed(
    web: WebClient, accounts: dict[str, str], next_path: str, expected: str
) -> None:
    token = web.form_token()
    response = web.client.post(
        "/login",
        query_string={"next": next_path},
        data={"email": accounts["liaison"], "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == expected


def test_sign_out_is_a_post_with_the_token(web: WebClient, accounts: dict[str, str]) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    web.client.get("/logout")  # a link or an image cannot sign anyone out
    assert web.client.post("/logout").status_code == 400  # no CSRF token
    assert "FRA liaison (liaison" in web.client.get("/_dash-layout").get_data(as_text=True)
    assert web.sign_out().status_code == 303
    assert "Sign in" in web.client.get("/_dash-layout").get_data(as_text=True)


TEMPLATE = ([("upload-template-download", "data"), ("upload-on-behalf-message", "children@x")],
            [("upload-template-xlsx", "n_clicks", None), ("upload-template-csv", "n_clicks", 1)],
            [("upload-on-behalf", "value", None)])  # fmt: skip


def liaison_callback(web: WebClient) -> TestResponse:
    """A callback only signed-in staff may run (the liaison's template download)."""
    return web.callback(*TEMPLATE)


def copy_of(web: WebClient) -> WebClient:
    """Another browser holding a copy of this one's cookies (a stolen or saved session cookie)."""
    from app import server

    thief = WebClient(server.test_client())
    for name in ("vid_session", "_csrf_token"):
        cookie = web.client.get_cookie(name)
        assert cookie is not None
        thief.client.set_cookie(name, cookie.value)
    return thief


def test_signing_out_revokes_the_session_on_the_server(web: WebClient, accounts: dict[str, str]) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert liaison_callback(web).status_code == 200
    thief = copy_of(web)
    assert liaison_callback(thief).status_code == 200
    assert web.sign_out().status_code == 303
    # The copy taken before signing out is refused at its next request, for callbacks and pages.
    assert liaison_callback(thief).status_code == 403
    assert "access-refused" in thief.page("/upload")
    assert "FRA liaison" not in thief.client.get("/_dash-layout").get_data(as_text=True)


def test_a_session_expires_on_the_server_whatever_the_cookie_says(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert liaison_callback(web).status_code == 200
    with account_transaction(engine) as session:
        row = session.execute(select(UserSession)).scalar_one()
        assert row.expires_at - row.created_at == dt.timedelta(minutes=480)  # VID_SESSION_MINUTES
        session.execute(
            update(UserSession).values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    assert liaison_callback(web).status_code == 403
    assert "access-refused" in web.page("/upload")


def test_a_password_change_ends_the_accounts_web_sessions(
    web: WebClient, accounts: dict[str, str], engine: Engine
) -> None:
    web.sign_in(accounts["liaison"], PASSWORD)
    assert liaison_callback(web).status_code == 200
    with account_transaction(engine) as session:
        set_password(session, accounts["liaison"], "another long passphrase", actor="tests")
    assert liaison_callback(web).status_code == 403


def test_health_endpoint_answers(web: WebClient) -> None:
    assert web.client.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/", "/login", "/upload", "/assets/bootstrap.min.css"])
def test_no_other_site_may_frame_the_pages(web: WebClient, path: str) -> None:
    response = web.client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
