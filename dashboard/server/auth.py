"""Sign-in for the web app: server-side sessions (Flask-Login over `models.accounts.sessions`), CSRF on every
POST, limits on failed sign-ins counted in the database, secure cookies.

The login form is a plain server-rendered page, so it works without scripts. Dash callbacks are
POSTs too: CSRFProtect checks them, and the Dash renderer sends the token it reads from the
`_csrf_token` cookie set here. The session cookie holds only a random token; every request looks
it up in the database, so a session that was signed out, ended or expired is refused at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response as BaseResponse

from models.accounts.audit import loggable
from models.accounts.sessions import SignInLimit, SignInLimits, load_session, sign_in, sign_out
from models.accounts.users import Identity
from models.db import account_transaction, engine_for, read_session
from models.settings import Settings

CSRF_COOKIE = "_csrf_token"
log = logging.getLogger("vidmonitor.auth")

login_manager = LoginManager()
csrf = CSRFProtect()

TOO_MANY = "Too many failed sign-in attempts. Wait a few minutes and try again."
WRONG = "Wrong email or password, or the account is not active."


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
    """Configure sessions, CSRF, the limits on failed sign-ins and the /login and /logout routes."""
    limits = SignInLimits(
        SignInLimit.parse(settings.login_rate_limit_account),
        SignInLimit.parse(settings.login_rate_limit_address),
    )
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
        VID_SIGN_IN_LIMITS=limits,
        VID_SESSION_MINUTES=settings.session_minutes,
        # Dash sends an uploaded file base64-encoded inside JSON: 4/3 of its size, plus the envelope.
        MAX_CONTENT_LENGTH=settings.max_upload_bytes * 4 // 3 + 256 * 1024,
    )
    if settings.trusted_proxies:
        server.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            server.wsgi_app, x_for=settings.trusted_proxies, x_proto=settings.trusted_proxies
        )
    login_manager.init_app(server)
    login_manager.session_protection = "basic"
    login_manager.login_view = "auth.login"
    csrf.init_app(server)

    # One login manager for every app a process builds (a test builds several): the loader reads the
    # database of the app serving the request, never of the app built last.
    @login_manager.user_loader  # type: ignore[untyped-decorator]
    def _load_user(token: str) -> AppUser | None:
        with read_session(engine_for(current_app.config["VID_DATABASE_URL"])) as db:
            who = load_session(db, token)
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

    @server.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int]:
        return "The form expired or did not come from this site. Reload the page and try again.", 400

    server.add_url_rule("/login", "auth.login", _login, methods=["GET", "POST"])
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


def _login() -> BaseResponse | tuple[str, int, dict[str, str]]:
    if request.method != "POST":
        return render_template_string(_LOGIN_PAGE, error=None, email="", signed_in=signed_in()), 200, {}
    email = request.form.get("email", "")[:1000]
    password = request.form.get("password", "")
    result = sign_in(
        engine_for(current_app.config["VID_DATABASE_URL"]),
        email,
        password,
        request.remote_addr,
        current_app.config["VID_SIGN_IN_LIMITS"],
        current_app.config["VID_SESSION_MINUTES"],
    )
    if result.outcome == "signed_in" and result.identity is not None:
        who = result.identity
        session.clear()  # a new session identifier and CSRF token at every sign-in (no fixation)
        session.permanent = True
        login_user(AppUser(who))
        log.info("sign-in %s (%s) from %s", who.email, who.role, request.remote_addr)
        target = _safe_next(request.args.get("next")) or _home_for(who)
        return redirect(target, code=303)
    shown = loggable(email, 320)
    if result.outcome == "limited":
        log.info("sign-in refused (limit) for %r from %s", shown, request.remote_addr)
        page = render_template_string(_LOGIN_PAGE, error=TOO_MANY, email="", signed_in=signed_in())
        return page, 429, {"Retry-After": str(result.retry_after)}
    log.info("failed sign-in for %r from %s", shown, request.remote_addr)
    return render_template_string(_LOGIN_PAGE, error=WRONG, email=shown, signed_in=signed_in()), 401, {}


def _logout() -> BaseResponse:
    who = signed_in()
    if who is None:
        abort(401)
    with account_transaction(engine_for(current_app.config["VID_DATABASE_URL"])) as db:
        sign_out(db, who.session_token, request.remote_addr)
    logout_user()
    session.clear()
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
