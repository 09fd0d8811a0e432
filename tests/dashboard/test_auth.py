"""Signing in and out: generic failures, rate limits, CSRF, cookie flags, safe redirects."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from models.db import write_transaction
from models.users import deactivate_user
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
    with write_transaction(engine) as session:
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


def test_health_endpoint_answers(web: WebClient) -> None:
    assert web.client.get("/healthz").status_code == 200


@pytest.mark.parametrize("path", ["/", "/login", "/upload", "/assets/bootstrap.min.css"])
def test_no_other_site_may_frame_the_pages(web: WebClient, path: str) -> None:
    response = web.client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
