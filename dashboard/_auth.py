"""Sign-in for the web app: sessions (Flask-Login), CSRF on every POST, rate-limited login, secure cookies.

The login form is a plain server-rendered page, so it works without scripts. Dash callbacks are
POSTs too: CSRFProtect checks them, and the Dash renderer sends the token it reads from the
`_csrf_token` cookie set here.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, redirect, render_template_string, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from models.db import engine_for, read_session, write_transaction
from models.settings import Settings
from models.users import Identity, authenticate, identity, load_identity

CSRF_COOKIE = "_csrf_token"
log = logging.getLogger("vidmonitor.auth")

login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(get_remote_address)


class AppUser(UserMixin):  # type: ignore[misc]
    """The signed-in person, as Flask-Login sees them."""

    def __init__(self, who: Identity) -> None:
        self.identity = who

    def get_id(self) -> str:
        return self.identity.session_token


def signed_in() -> Identity | None:
    """The signed-in user's identity, or None for a viewer."""
    if current_user and current_user.is_authenticated:
        return current_user.identity  # type: ignore[no-any-return]
    return None


def init_auth(server: Flask, settings: Settings) -> None:
    """Configure sessions, CSRF, the login rate limits and the /login and /logout routes."""
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        SESSION_COOKIE_NAME="vid_session",
        PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=settings.session_minutes),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=settings.secure_cookies,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which has its own lifetime
        WTF_CSRF_HEADERS=["X-CSRFToken"],
        RATELIMIT_STORAGE_URI=settings.ratelimit_storage_uri,
        RATELIMIT_HEADERS_ENABLED=True,
        # Dash sends an uploaded file base64-encoded inside JSON: 4/3 of its size, plus the envelope.
        MAX_CONTENT_LENGTH=settings.max_upload_bytes * 4 // 3 + 256 * 1024,
    )
    if settings.trusted_proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    login_manager.init_app(server)
    login_manager.session_protection = "basic"
    login_manager.login_view = "auth.login"  # type: ignore[assignment]
    csrf.init_app(server)
    limiter.init_app(server)

    @login_manager.user_loader  # type: ignore[untyped-decorator]
    def _load_user(token: str) -> AppUser | None:
        with read_session(engine_for(server.config["VID_DATABASE_URL"])) as session:
            who = load_identity(session, token)
        return AppUser(who) if who else None

    @server.after_request
    def _csrf_cookie(response: Response) -> Response:
        # The Dash renderer reads this cookie and echoes it in the X-CSRFToken header.
        if request.method == "GET" and response.mimetype == "text/html":
            response.set_cookie(
                CSRF_COOKIE,
                generate_csrf(),
                secure=settings.secure_cookies,
                httponly=False,
                samesite="Lax",
            )
        return response

    @server.after_request
    def _security_headers(response: Response) -> Response:
        # No other site may frame these pages (clickjacking the upload's Confirm), guess types or
        # learn addresses from the Referer.
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @server.errorhandler(429)
    def _too_many(error: Exception) -> tuple[str, int]:
        message = "Too many failed sign-in attempts. Wait a few minutes and try again."
        return render_template_string(_LOGIN_PAGE, error=message, email="", signed_in=signed_in()), 429

    @server.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return "The form expired or did not come from this site. Reload the page and try again.", 400

    account_limit = limiter.limit(
        lambda: settings.login_rate_limit_account,
        key_func=lambda: "account:" + request.form.get("email", "").strip().lower(),
        methods=["POST"],
        deduct_when=lambda response: response.status_code != 303,
    )
    address_limit = limiter.limit(
        lambda: settings.login_rate_limit_address,
        methods=["POST"],
        deduct_when=lambda response: response.status_code != 303,
    )
    server.add_url_rule("/login", "auth.login", account_limit(address_limit(_login)), methods=["GET", "POST"])
    server.add_url_rule("/logout", "auth.logout", _logout, methods=["POST"])


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an absolute or protocol-relative address would be an open redirect."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _home_for(who: Identity) -> str:
    return "/upload" if who.role == "liaison" else "/audit"


def _login() -> Response | str | tuple[str, int]:
    error = None
    email = ""
    if request.method == "POST":
        email = request.form.get("email", "")
        password = request.form.get("password", "")
        with write_transaction(engine_for(current_app.config["VID_DATABASE_URL"])) as session:
            user = authenticate(session, email, password)
            who = identity(user) if user else None
        if who is not None:
            login_user(AppUser(who))
            log.info("sign-in %s (%s)", who.email, who.role)
            target = _safe_next(request.args.get("next")) or _home_for(who)
            return redirect(target, code=303)
        log.info("failed sign-in for %r from %s", email[:320], get_remote_address())
        error = "Wrong email or password, or the account is not active."
    status = 401 if error else 200
    return render_template_string(_LOGIN_PAGE, error=error, email=email, signed_in=signed_in()), status


def _logout() -> Response:
    if signed_in() is None:
        abort(401)
    logout_user()
    return redirect(url_for("auth.login"), code=303)


_LOGIN_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Sign in · VID Monitor</title>
  <link rel="stylesheet" href="/assets/bootstrap.min.css">
</head>
<body>
  <header><nav class="navbar navbar-dark bg-dark"><div class="container-fluid">
    <a class="navbar-brand" href="/">VID Monitor</a></div></nav></header>
  <main class="container py-5" style="max-width: 28rem">
    <h1 class="h3 mb-3">Sign in</h1>
    <p class="text-body-secondary">For INTERPOL liaisons and the secretariat.
       The dashboard pages are public.</p>
    {% if signed_in %}<p class="alert alert-info">You are signed in as {{ signed_in.email }}.</p>{% endif %}
    {% if error %}<p class="alert alert-danger" role="alert">{{ error }}</p>{% endif %}
    <form method="post" novalidate>
      <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
      <div class="mb-3">
        <label class="form-label" for="email">Email</label>
        <input class="form-control" id="email" name="email" type="email" autocomplete="username"
               value="{{ email }}" required autofocus>
      </div>
      <div class="mb-3">
        <label class="form-label" for="password">Password</label>
        <input class="form-control" id="password" name="password" type="password"
               autocomplete="current-password" required>
      </div>
      <button class="btn btn-primary" type="submit">Sign in</button>
    </form>
  </main>
</body>
</html>
"""
