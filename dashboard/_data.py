"""How pages reach the data layer: one data snapshot per request, and the cache every server shares.

A request reads the data state once: the first read opens a `models.db.Snapshot` (one read-only
transaction and the data version it sees), kept on `flask.g` and closed when the request ends, and
every later read in that request goes through it, so they all see the same version even if a write
lands meanwhile. Results are kept in the app's `models.cache.DataCache` (in this process, or Redis
when VID_CACHE_URL names one) under that version. Public page callbacks are kept twice: their outputs
(`same_for_everyone`), and the exact HTTP response a request for them received
(`install_response_cache`), so a repeated request, on any worker or server, skips Dash's dispatch and
JSON encoding. Such responses say `X-VID-Cache: hit` or `miss`. Each page's view (models.views) is
built through `served`; the staff pages take their sessions from `reading` and `account_change`.

What a view counts beyond the accepted figures (figures awaiting review) is decided here, from the
signed-in account's database record (`submitted_scope`), never from the request; a callback that
counts them marks its response `depends_on_who_asks`, so it is never kept for anyone else.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from functools import wraps
from pathlib import Path
from typing import ParamSpec, TypeVar

import pandas as pd
from dash.dcc.express import send_bytes
from dash.exceptions import PreventUpdate
from flask import Flask, Response, current_app, g, has_app_context, request
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from dashboard.server.auth import signed_in
from models import reference
from models.cache import DataCache, default_cache
from models.counting import ACCEPTED_ONLY, Counting
from models.counting import submitted_scope as scope_of
from models.db import (
    Snapshot,
    account_transaction,
    engine_for,
    open_snapshot,
    read_session,
    write_transaction,
)
from models.metrics import service
from models.queries import DatasetStatus
from models.reports import exports
from models.reports.joint_report.command import render_report
from models.views import common as views
from models.views.compliance import ComplianceQuery, ComplianceView, compliance_query, compliance_view
from models.views.country import CountryQuery, CountryView, country_view, known_name
from models.views.country import country_query as country_query_of
from models.views.map import MapQuery, MapView, map_query, map_view
from models.views.overview import OverviewQuery, OverviewView, overview_view
from models.views.overview import overview_query as overview_query_of
from models.views.reporting import ReportingQuery, ReportingView, reporting_query, reporting_view

CACHE_HEADER = "X-VID-Cache"
_CACHE_EXTENSION = "vid_cache"


def engine() -> Engine:
    """The engine for the database this app serves (set in app.create_app); writers use it."""
    return engine_for(current_app.config["VID_DATABASE_URL"])


def snapshot() -> Snapshot:
    """This request's data snapshot, opened at its first read (the data version is read then, once)."""
    current: Snapshot | None = g.get("vid_snapshot")
    if current is None:
        current = open_snapshot(engine())
        g.vid_snapshot = current
    return current


def session() -> Session:
    """This request's read session (inside its snapshot): for reads that are not cached."""
    return snapshot().session


def cache() -> DataCache:
    """The app's cache (models.cache.DataCache), shared by every worker and server when on Redis."""
    kept = current_app.extensions.get(_CACHE_EXTENSION) if has_app_context() else None
    return kept if isinstance(kept, DataCache) else default_cache()


def install_data_access(server: Flask, data_cache: DataCache) -> None:
    """Give the app its cache and close each request's snapshot when the request ends."""
    server.extensions[_CACHE_EXTENSION] = data_cache

    @server.teardown_appcontext
    def _close_snapshot(_error: BaseException | None) -> None:
        current: Snapshot | None = g.pop("vid_snapshot", None)
        if current is not None:
            current.close()


P = ParamSpec("P")
R = TypeVar("R")


def same_for_everyone(callback: Callable[P, R]) -> Callable[P, R]:
    """Cache a public page callback's outputs per data state, date and arguments.

    For callbacks whose outputs depend only on their arguments and the public data (never on who
    asks): the first request after a write computes them, every later one (on any server sharing the
    cache) is served from the cache. Never use it on a callback that reads non-public data or writes
    anything.
    """

    @wraps(callback)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        arguments = json.dumps([args, kwargs], sort_keys=True, default=str)
        name = f"{callback.__module__}.{callback.__qualname__}"
        data_cache = cache()
        key = data_cache.key("outputs", snapshot(), (name, _today(), arguments))
        result = data_cache.get_or_compute(key, lambda: callback(*args, **kwargs))
        g.vid_same_for_everyone = True  # this request's response may be kept
        return result

    return wrapper


def depends_on_who_asks() -> None:
    """Mark this request's response as personal (it counts figures awaiting review, or could have):
    it is never kept in the shared response cache, whatever else the callback used."""
    g.vid_personal = True


def submitted_scope() -> Counting:
    """The most the signed-in account may count, from its database record (read at every request:
    models.counting.submitted_scope of its role and participant); accepted figures for a viewer."""
    who = signed_in()
    return scope_of(who.role, who.participant_code) if who is not None else ACCEPTED_ONLY


def _today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


def current_state() -> tuple[str, int]:
    """The served database's data state (epoch, version), as this request's snapshot sees it."""
    return snapshot().state


def install_response_cache(server: Flask) -> None:
    """Serve a repeated public callback request the bytes its first answer had, per data state and day.

    Only responses of callbacks decorated with `same_for_everyone` are kept, keyed by the data
    state, the day and the request body's hash, in the shared cache. Install it after the access
    guard: the guard still decides, on every request, whether the user may run the callback at all.
    """

    @server.before_request
    def _serve_cached_response() -> Response | None:
        if request.method != "POST" or not request.path.endswith("/_dash-update-component"):
            return None
        digest = hashlib.sha256(request.get_data(cache=True)).hexdigest()
        key = cache().key("response", snapshot(), (_today(), digest))
        body = cache().get(key)
        if isinstance(body, bytes):
            response = Response(body, mimetype="application/json")
            response.headers[CACHE_HEADER] = "hit"
            return response
        g.vid_response_key = key
        return None

    @server.after_request
    def _keep_public_response(response: Response) -> Response:
        key = g.pop("vid_response_key", None)
        kept = (
            key is not None
            and g.get("vid_same_for_everyone")
            and not g.get("vid_personal")
            and response.status_code == 200
        )
        # A page's layout may hold personal things (who is signed in) even if it used public outputs.
        if kept and b'"_pages_content"' not in request.get_data(cache=True):
            cache().set(key, response.get_data())
            response.headers[CACHE_HEADER] = "miss"
        return response


@contextmanager
def reading(url: str | None = None) -> Iterator[Session]:
    """A read-only session on the served database (or on `url`, for a response streamed after its
    request ended), for the staff pages' reads through `models` functions that take a session."""
    with read_session(engine_for(url) if url else engine()) as session:
        yield session


@contextmanager
def writing() -> Iterator[Session]:
    """One unit of work on the data (models.db.write_transaction: writers serialised, data version
    bumped unless the work says `keep_data_version`), for the staff pages' decisions (review, reminders)."""
    with write_transaction(engine()) as session:
        yield session


@contextmanager
def account_change() -> Iterator[Session]:
    """One unit of work on accounts and the audit log (models.db.account_transaction): committed at
    the end, rolled back on an error; the data version is not touched."""
    with account_transaction(engine()) as session:
        yield session


def status() -> DatasetStatus:
    """Data version, demo flag and counts of the served database."""
    return service.status(snapshot(), cache=cache())


def compliance(
    basis: str,
    first_year: int | None = None,
    last_year: int | None = None,
    counting: Counting = ACCEPTED_ONLY,
) -> pd.DataFrame:
    """The compliance table (models.metrics.compliance.COLUMNS) for a basis and year range; the
    accepted figures unless `counting` (from `submitted_scope`) says more. Cached under the counting."""
    return service.compliance(
        snapshot(),
        basis,
        first_year,
        last_year,
        counting.include_submitted,
        submitted_participant=counting.participant,
        cache=cache(),
    )


def reporting(counting: Counting = ACCEPTED_ONLY) -> service.Reporting:
    """Reporting status per cycle and participant, the per-cycle summary and the current cycle."""
    return service.reporting(
        snapshot(),
        include_submitted=counting.include_submitted,
        submitted_participant=counting.participant,
        cache=cache(),
    )


def revised_after_close(participant: str | None = None) -> pd.DataFrame:
    """The values changed after their cycle was closed (models.metrics.service.revised_after_close)."""
    return service.revised_after_close(snapshot(), participant, cache=cache())


def participants() -> pd.DataFrame:
    """The participant register: code, name, joined_on, source_title, source_url."""
    return service.participants(snapshot(), cache=cache())


def target_growth(basis: str) -> Decimal:
    """The basis' minimum yearly growth, exact."""
    return service.target_growth(snapshot(), basis, cache=cache())


def revisions(code: str) -> pd.DataFrame:
    """A participant's public revision history (accepted uploads only), newest first."""
    return service.revisions(snapshot(), code, cache=cache())


def published_totals() -> pd.DataFrame:
    """INTERPOL's published cumulative totals of identified victims (real figures, with sources)."""
    return reference.published_identified_totals(reference.read_public_figures())


def joint_report(cycle: str, extension: str) -> tuple[bytes, bool]:
    """A cycle's joint report as PDF or XLSX (`extension`), written by the command line's own
    `render_report` from the served database, and whether it holds demonstration data."""
    with tempfile.TemporaryDirectory(prefix="vid-report-") as folder:
        written = render_report(engine(), cycle, Path(folder) / f"report.{extension}")
        return written.path.read_bytes(), written.report.demonstration


def export_info(
    title: str, basis: str | None = None, selection: Mapping[str, object] | None = None
) -> exports.ExportInfo:
    """Labels for a download of the served data, generated now."""
    return exports.export_info(status(), title, basis, selection)


class _Served:
    """The served data as the page views read it (models.views.common.PageData): this module's reads."""

    def compliance(
        self,
        basis: str,
        first_year: int | None = None,
        last_year: int | None = None,
        counting: Counting = ACCEPTED_ONLY,
    ) -> pd.DataFrame:
        return compliance(basis, first_year, last_year, counting)

    def reporting(self, counting: Counting = ACCEPTED_ONLY) -> service.Reporting:
        return reporting(counting)

    def revised_after_close(self, participant: str | None = None) -> pd.DataFrame:
        return revised_after_close(participant)

    def participants(self) -> pd.DataFrame:
        return participants()

    def target_growth(self, basis: str) -> Decimal:
        return target_growth(basis)

    def revisions(self, code: str) -> pd.DataFrame:
        return revisions(code)

    def published_totals(self) -> pd.DataFrame:
        return published_totals()

    def status(self) -> DatasetStatus:
        return status()


served: views.PageData = _Served()


def years() -> list[int]:
    """Every year from the first to the last with data on either basis (models.views.common.data_years)."""
    return views.data_years(served)


def cycles() -> dict[str, tuple[int, int]]:
    """Reporting cycle name → (first year, last year) it covers, in deadline order."""
    return views.cycle_years(served)


def overview_query(values: Mapping[str, object]) -> OverviewQuery:
    """The overview's checked query for an address's query or the controls' values."""
    return overview_query_of(dict(values))


def overview(values: Mapping[str, object]) -> OverviewView:
    """The overview page for an address's query or the controls' values."""
    query = overview_query(values)
    return overview_view(served, query)


def map_page(values: Mapping[str, object]) -> MapView:
    """The map page for an address's query or the controls' values."""
    query: MapQuery = map_query(served, dict(values))
    return map_view(served, query)


def compliance_page(values: Mapping[str, object]) -> ComplianceView:
    """The compliance page for an address's query or the controls' values, counting what the signed-in
    account may count when they ask for figures awaiting review (`submitted_scope`)."""
    query: ComplianceQuery = compliance_query(served, dict(values), submitted_scope())
    return compliance_view(served, query)


def participant_name(iso3: object) -> str | None:
    """The participant's name when `iso3` is a registered participant's code (any case), else None."""
    return known_name(served, iso3)


def country_query(values: Mapping[str, object]) -> CountryQuery:
    """A participant page's checked query for an address's query or the controls' values (what the
    signed-in account may count when they ask for figures awaiting review: `submitted_scope`)."""
    return country_query_of(dict(values), submitted_scope())


def country_page(code: str, values: Mapping[str, object]) -> CountryView:
    """A registered participant's page (`code` checked by `participant_name`) for a query."""
    query = country_query(values)
    return country_view(served, code, query)


def reporting_page(values: Mapping[str, object]) -> ReportingView:
    """The reporting page for an address's query or the controls' values (what the signed-in account
    may count when they ask for figures awaiting review: `submitted_scope`)."""
    query: ReportingQuery = reporting_query(served, dict(values), submitted_scope())
    return reporting_view(served, query)


def send(exports_by_button: Mapping[str, views.Export], button: str) -> dict[str, object]:
    """The file of a view's export for a download button (`button`, its id): XLSX when the id ends so,
    else CSV, labelled with the served data's state. An id the page has no button for sends nothing."""
    export = exports_by_button.get(button)
    if export is None:
        raise PreventUpdate
    extension = "xlsx" if button.endswith("xlsx") else "csv"
    info = export_info(export.title, export.basis, export.selection)
    name = exports.file_name(export.stem, info, extension)
    if extension == "xlsx":
        content = exports.xlsx_bytes(export.frame, info, report=export.report, codes=export.codes)
    else:
        content = exports.csv_bytes(export.frame, info)
    sent: dict[str, object] = send_bytes(content, name)
    return sent
