"""Compressed responses (Flask-Compress): brotli or gzip, whichever the browser takes; static files once.

Every answer the browser can take compressed is compressed: pages, callbacks' JSON, scripts and
styles. The static files (Dash's component bundles, which carry a version in their address, and
the files under /assets/) are compressed once per process and the result kept, so the 4.8 MB of
plotly.js (1.3 MB in brotli) costs the CPU once, not on every visit. Dynamic answers (callbacks,
the layout) are compressed on each response, at a level that costs about a millisecond for 60 kB.
A client that sends no Accept-Encoding gets the plain bytes, as before. A page that carries a CSRF
token (the sign-in form, any page a signed-in user sees) is sent uncompressed, so that its length
cannot be used to guess the token (BREACH).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import Flask, Request, Response, request
from flask_compress import Compress

# Only addresses whose bytes never change while the process runs (Dash fingerprints its bundles; the
# assets are files of the release) are kept compressed.
_STATIC_PREFIXES = ("/_dash-component-suites/", "/assets/")
_KEPT_FILES = 64  # far more than the ~25 files a page loads; bounded all the same
# Brotli 5: plotly.min.js in 0.15 s of CPU to 27% of its size (level 9: 4× the CPU for 3% less).
_BROTLI_LEVEL = 5
# The hidden field of the sign-in form (HTML) and of the sign-out form (in the layout's JSON).
_CSRF_FIELDS = (b'name="csrf_token"', b'"name":"csrf_token"')


class _StaticFiles:
    """Flask-Compress's cache backend: keeps static files' compressed bytes only (least recent out)."""

    def __init__(self) -> None:
        self._kept: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if not _is_static(key):
            return None
        with self._lock:
            value = self._kept.get(key)
            if value is not None:
                self._kept.move_to_end(key)
            return value

    def set(self, key: str, value: bytes) -> None:
        if not _is_static(key):
            return
        with self._lock:
            self._kept[key] = value
            self._kept.move_to_end(key)
            while len(self._kept) > _KEPT_FILES:
                self._kept.popitem(last=False)


def _is_static(key: str) -> bool:
    """Keys are '<algorithm>;<address>'; the address is empty for anything not kept."""
    return key.partition(";")[2] != ""


def _cache_key(req: Request) -> str:
    if req.method == "GET" and req.path.startswith(_STATIC_PREFIXES):
        return req.full_path
    return ""


def install_compression(server: Flask) -> None:
    """Compress responses after every other hook has run (register it first: Flask runs after_request
    hooks last-registered first, so the response cache keeps the plain bytes and serves any client)."""
    server.config.update(
        COMPRESS_ALGORITHM=["br", "gzip"],
        COMPRESS_ALGORITHM_STREAMING=["br"],
        COMPRESS_BR_LEVEL=_BROTLI_LEVEL,
        COMPRESS_LEVEL=6,
        COMPRESS_MIN_SIZE=500,
        COMPRESS_CACHE_BACKEND=_StaticFiles,
        COMPRESS_CACHE_KEY=_cache_key,
        COMPRESS_MIMETYPES=[
            "text/html",
            "text/css",
            "text/plain",
            "text/csv",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
    )
    compress = Compress()
    compress.init_app(server)

    @server.after_request
    def _no_secret_compressed(response: Response) -> Response:
        # Runs before the compressor, which leaves alone a response that already names an encoding.
        if response.mimetype in ("text/html", "application/json") and not response.is_streamed:
            body = response.get_data()
            if any(field in body for field in _CSRF_FIELDS):
                response.headers["Content-Encoding"] = "identity"
        return response

    @server.after_request
    def _static_as_bytes(response: Response) -> Response:
        # Runs before the compressor: a static file is sent as a stream, which Flask-Compress would
        # compress again on every request; its bytes (read once) go through the kept cache instead.
        if (
            response.status_code == 200
            and response.is_streamed
            and request.method == "GET"
            and request.path.startswith(_STATIC_PREFIXES)
            and response.mimetype in compress.compress_mimetypes_set
        ):
            response.direct_passthrough = False
            response.set_data(response.get_data())
        return response
