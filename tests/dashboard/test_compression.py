"""Responses are compressed (brotli or gzip, as the browser asks); static files are compressed once."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from dashboard.server import compression


@pytest.fixture
def client(demo_db_url: str) -> Iterator[FlaskClient]:
    from app import server

    previous = server.config["VID_DATABASE_URL"]
    server.config["VID_DATABASE_URL"] = demo_db_url
    yield server.test_client()
    server.config["VID_DATABASE_URL"] = previous


def _decoded(body: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        return bytes(brotli.decompress(body))
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def _bundle(client: FlaskClient, name: str) -> str:
    """The address of a script the page loads, as the page's HTML gives it."""
    page = client.get("/", headers={"Accept-Encoding": "identity"}).get_data(as_text=True)
    return next(src for src in re.findall(r'<script src="([^"]+)"', page) if name in src)


@pytest.mark.parametrize(
    ("accept", "expected"), [("br", "br"), ("gzip, deflate", "gzip"), ("gzip, br", "br")]
)
def test_a_page_is_sent_in_the_encoding_the_browser_takes(
    client: FlaskClient, accept: str, expected: str
) -> None:
    plain = client.get("/", headers={"Accept-Encoding": "identity"})
    packed = client.get("/", headers={"Accept-Encoding": accept})
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == expected
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert int(packed.headers["Content-Length"]) == len(packed.get_data()) < len(plain.get_data()) / 2
    # Dash names a fresh end_id each time; everything else is the same.
    fresh = re.compile(rb'"end_id":"[^"]*"')
    assert fresh.sub(b"", _decoded(packed.get_data(), expected)) == fresh.sub(b"", plain.get_data())


def test_a_client_that_takes_no_encoding_gets_the_plain_bytes(client: FlaskClient) -> None:
    response = client.get(_bundle(client, "dash_ag_grid"))
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") is None


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_script_bundle_is_sent_compressed_to_under_a_third_and_unchanged(
    client: FlaskClient, encoding: str
) -> None:
    address = _bundle(client, "dash_ag_grid")
    plain = client.get(address, headers={"Accept-Encoding": "identity"}).get_data()
    packed = client.get(address, headers={"Accept-Encoding": encoding})
    assert packed.headers["Content-Encoding"] == encoding
    assert len(packed.get_data()) < len(plain) / 3
    assert _decoded(packed.get_data(), encoding) == plain


def test_an_asset_file_is_compressed_once_and_kept(client: FlaskClient) -> None:
    address = "/assets/topojson/world_50m.json"
    first = client.get(address, headers={"Accept-Encoding": "br"})
    again = client.get(address, headers={"Accept-Encoding": "br"})
    assert first.status_code == again.status_code == 200
    assert first.headers["Content-Encoding"] == "br"
    assert first.get_data() == again.get_data()
    assert json.loads(_decoded(first.get_data(), "br"))["type"] == "Topology"
    cache = _compressor(client.application).cache
    assert cache is not None
    assert cache.get(f"br;{address}?") == first.get_data()


def test_a_callback_answer_is_compressed_and_never_kept_by_the_compressor(client: FlaskClient) -> None:
    from tests.web import WebClient

    web = WebClient(client)
    page = ([("_pages_content", "children"), ("_pages_store", "data")],
            [("_pages_location", "pathname", "/map"), ("_pages_location", "search", "")])  # fmt: skip
    plain = web.callback(*page)
    client.environ_base["HTTP_ACCEPT_ENCODING"] = "br"
    try:
        packed = web.callback(*page)
    finally:
        del client.environ_base["HTTP_ACCEPT_ENCODING"]
    assert plain.status_code == packed.status_code == 200
    assert plain.headers.get("Content-Encoding") is None
    assert packed.headers["Content-Encoding"] == "br"
    assert len(packed.get_data()) < len(plain.get_data()) / 3
    assert json.loads(_decoded(packed.get_data(), "br")) == plain.get_json()
    cache = _compressor(client.application).cache
    assert cache is not None
    assert cache.get("br;") is None


def test_only_static_addresses_are_kept() -> None:
    kept = compression._StaticFiles()
    kept.set("br;", b"dynamic")
    kept.set("br;/assets/vid-monitor.css?", b"static")
    assert kept.get("br;") is None
    assert kept.get("br;/assets/vid-monitor.css?") == b"static"


def _compressor(server: Flask) -> compression.Compress:
    found = [
        hook.__self__
        for hook in server.after_request_funcs[None]
        if isinstance(getattr(hook, "__self__", None), compression.Compress)
    ]
    assert len(found) == 1
    return found[0]


def test_a_page_carrying_a_csrf_token_is_never_compressed(client: FlaskClient) -> None:
    # BREACH: the length of a compressed page that holds a secret could give the secret away.
    login = client.get("/login", headers={"Accept-Encoding": "br, gzip"})
    assert login.status_code == 200
    assert b'name="csrf_token"' in login.get_data()
    assert login.headers["Content-Encoding"] == "identity"
    public = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert public.headers["Content-Encoding"] == "br"
