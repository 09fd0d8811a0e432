"""The web benchmark's floor: a bare Flask app that returns stored JSON bytes, served like the product.

`FLOOR_PAYLOADS` names a folder; POST /<name> returns the bytes of `<name>.json` from it.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__)
_folder = Path(os.environ.get("FLOOR_PAYLOADS", "."))
_payloads = {path.stem: path.read_bytes() for path in _folder.glob("*.json")}


@app.post("/<name>")
def payload(name: str) -> Response:
    return Response(_payloads[name], mimetype="application/json")
