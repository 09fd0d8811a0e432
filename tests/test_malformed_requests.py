"""No request a client can send gets a 500: a battery of odd paths, query strings, methods and router
values against every public route of the app, as an anonymous visitor."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import dash
import pytest
from werkzeug.test import TestResponse

from tests.web import WebClient

PAGE_VARIANTS = ["/country/DEU", "/country/xx", "/country/%00", "/country/" + "A" * 5000,
                 "/country/DEU/extra", "/country/%C3%84%C3%96%C3%9C", "/country/%ff", "/%ff", "//",
                 "/..%2f..%2fetc/passwd", "/" + "a" * 10000, "/compliance/", "/COMPLIANCE"]  # fmt: skip
QUERIES = ["", "?from=abc&to=99999999999999", "?from=99999999999999999999&to=-5", "?year=1e400",
           "?year=-1&basis=zzz", "?basis=annual&basis=cumulative", "?status=met,zzz,,",
           "?cycle=" + "x" * 5000,
           "?%00=%00", "?from=%ff", "?region=mars&year=2020.5", "?participant=%ff%fe",
           "?measure=growth&year=0",
           "?from=2020&to=2010", "?from=2010&to=2020&status=", "?a" * 200, "?=&=&",
           "?from=%D9%A1%D9%A2%D9%A3",
           "?year=" + "9" * 400, "?from=-0&to=+2020", "?iso3=FRA&iso3=DEU"]  # fmt: skip
ROUTER_PATHS: list[Any] = [" /audit", "", "x", None, 5, [], {}, "/%ff", "//", "/" + "a" * 20000, "\ud800",
                           "/audit\x00", "/\ud800", "/country/\ud800x", "/upload", "/users"]  # fmt: skip
ROUTER_SEARCHES: list[Any] = ["", None, 5, ["?year=2020"], "?\ud800", "no-question-mark=1", "?year=%ff"]
RESOURCES = ["/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js",
             "/_dash-component-suites/dash/../../app.py", "/_dash-component-suites/plotly/%00",
             "/assets/../app.py", "/assets/%00", "/assets/nope.css", "/_dash-layout?x=%ff",
             "/_dash-dependencies?x=1", "/_reload-hash", "/_favicon.ico?x", "/login?next=%00",
             "/login?next=" + "x" * 10000, "/readyz?x=1", "/healthz?x=%ff", "/static/%00",
             "/logout"]  # fmt: skip
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "FOO"]


@pytest.fixture
def visitor(demo_db_url: str) -> Iterator[WebClient]:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = demo_db_url
    yield WebClient(server.test_client())
    server.config["VID_DATABASE_URL"] = previous


def route(visitor: WebClient, pathname: Any, search: Any) -> TestResponse:
    return visitor.callback(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", pathname), ("_pages_location", "search", search)],
    )


def page_addresses() -> list[tuple[str, str]]:
    """Every page with every odd query; every odd path with a few (an odd path meets the same query
    parsers as the page it falls back to, so the full product would only repeat those cases)."""
    pages = sorted({page["path"] for page in dash.page_registry.values()})
    few = [QUERIES[0], QUERIES[1], QUERIES[7], QUERIES[11]]
    return list(itertools.product(pages, QUERIES)) + list(itertools.product(PAGE_VARIANTS, few))


def test_no_page_address_gets_a_500(visitor: WebClient) -> None:
    failures = []
    for path, query in page_addresses():
        shell = visitor.client.get(path + query)
        routed = route(visitor, path, query)  # what the renderer asks for that address
        if shell.status_code >= 500 or routed.status_code >= 500:
            failures.append((path[:40], query[:40], shell.status_code, routed.status_code))
    assert failures == []


@pytest.mark.parametrize("pathname", ROUTER_PATHS, ids=repr)
def test_the_pages_router_answers_any_path_and_query_without_a_500(visitor: WebClient, pathname: Any) -> None:
    for search in ROUTER_SEARCHES:
        response = route(visitor, pathname, search)
        assert response.status_code in (200, 400), (pathname, search, response.get_data(as_text=True)[:200])
    if isinstance(pathname, str) and not pathname.startswith("/"):
        assert route(visitor, pathname, "").status_code == 400  # " /audit": not a path of this site


def test_unknown_dash_scripts_are_404(visitor: WebClient) -> None:
    for path in ("/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js"):
        response = visitor.client.get(path)
        assert response.status_code == 404
        assert "Registered libraries" not in response.get_data(as_text=True)  # no internals disclosed


def test_no_method_on_any_route_gets_a_500(visitor: WebClient) -> None:
    from app import server

    paths = list(RESOURCES)
    for rule in server.url_map.iter_rules():
        paths.append(
            rule.rule.replace("<string:package_name>", "dash")
            .replace("<path:fingerprinted_path>", "x.js")
            .replace("<path:filename>", "x")
            .replace("<path:path>", "compliance")
        )
    failures = [
        (method, path[:60], response.status_code)
        for path, method in itertools.product(paths, METHODS)
        if (response := visitor.client.open(path, method=method)).status_code >= 500
    ]
    assert failures == []
    assert visitor.client.open("/compliance", method="DELETE").status_code == 405
