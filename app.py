"""The VID Monitor web app: builds the Dash app and its Flask server. `python app.py` prepares the
database and serves it; `gunicorn app:server` serves an already prepared database.

Importing this module reads and writes nothing on disk and opens no database connection: the
secret key is resolved (and, the first time, generated into the instance folder) at the first
request, and engines are made when a request first needs one.
"""

from __future__ import annotations

import logging
import os
import threading

import dash
from dash import Dash
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

from dashboard._data import install_data_access, install_response_cache
from dashboard.api import api_server, install_api
from dashboard.components.layout import site_layout
from dashboard.components.page_frame import index_string
from dashboard.pages._audit_parts import install_audit_downloads
from dashboard.server.access import install_guard
from dashboard.server.auth import init_auth
from dashboard.server.compression import install_compression
from dashboard.server.errors import install_error_handlers, install_router_check
from dashboard.server.health import install_readiness
from models.cache import shared_cache
from models.settings import PROJECT_ROOT, Settings, get_settings

log = logging.getLogger("vidmonitor")


def create_app(settings: Settings | None = None) -> Dash:
    """The Dash app with every page under dashboard/ registered; reads nothing from the database."""
    settings = settings or get_settings()
    app = Dash(
        __name__,
        server=api_server(__name__),  # type: ignore[arg-type]  # Dash documents a Flask instance; its annotation omits it
        use_pages=True,
        pages_folder="dashboard/pages",
        assets_folder=str(PROJECT_ROOT / "assets"),
        serve_locally=True,
        title="VID Monitor",
        update_title=None,  # type: ignore[arg-type]  # Dash documents None (no "Updating..." title) but annotates str
        suppress_callback_exceptions=True,
        health_endpoint="healthz",
    )
    app.server.config.update(VID_DATABASE_URL=settings.resolved_database_url())
    install_compression(app.server)  # first: its hook runs last, on the finished response
    _warn_of_retired_settings()
    install_data_access(app.server, shared_cache(settings.cache_url, settings.cache_prefix))
    app.server.session_interface = _KeyOnFirstUse(settings)
    install_error_handlers(app.server)
    install_readiness(app.server)
    init_auth(app.server, settings)
    install_guard(app)
    install_router_check(app.server)  # reads the body the guard checked
    install_audit_downloads(app.server)
    install_api(app.server)
    install_response_cache(app.server)  # after the guard: a cached answer is still refused to whom it must be
    app.index_string = index_string(app.config.requests_pathname_prefix)
    app.layout = site_layout
    return app


RETIRED_SETTINGS = {
    "VID_RATELIMIT_STORAGE_URI": "sign-in limits are counted in the database, for every server; "
    "VID_CACHE_URL names the Redis the servers share for their cache",
}


def _warn_of_retired_settings() -> None:
    """One line per retired setting still set, saying it is ignored and what replaces it."""
    for name, replacement in RETIRED_SETTINGS.items():
        if os.environ.get(name):
            log.warning("%s is set but no longer exists and is ignored: %s", name, replacement)


class _KeyOnFirstUse(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing key resolved when a request first needs it.

    Flask opens the session before any `before_request` hook runs, so this is the first moment a
    request can need the key; everything else that signs (CSRF tokens) comes later in the request.
    """

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        if app.secret_key is None:
            with self._lock:
                if app.secret_key is None:
                    app.config["SECRET_KEY"] = self._settings.resolved_secret_key()
        return super().get_signing_serializer(app)


app = create_app()
server = app.server


def main() -> None:
    """Migrate and seed the configured database (with demo data if configured), then serve."""
    from models.bootstrap import init_db
    from models.db import engine_for

    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    report = init_db(engine_for(settings.resolved_database_url()), demo=settings.demo_data, actor="app")
    log.info("database at schema revision %s", report.revision)
    if report.demo is not None:
        log.info(report.demo.message)
    if report.notice:
        log.info(report.notice)
    log.info("pages: %s", ", ".join(page["path"] for page in dash.page_registry.values()))
    app.run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
