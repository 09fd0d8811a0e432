"""File-format page (/file-format): what a liaison reads before sending figures (docs/file-format.md)."""

from __future__ import annotations

from functools import lru_cache

import dash
from dash import dcc, html

from models.settings import PROJECT_ROOT

dash.register_page(
    __name__, path="/file-format", name="File format", title="File format · VID Monitor", order=70, nav=False
)
DOCUMENT = PROJECT_ROOT / "docs" / "file-format.md"


@lru_cache(maxsize=1)
def _text() -> str:
    # Read on first use, not at import; the document ships with the code and does not change at run time.
    return DOCUMENT.read_text(encoding="utf-8")


def layout(**_query: str) -> html.Div:
    return html.Div(
        dcc.Markdown(_text(), link_target="_self", className="file-format"), id="file-format-text"
    )
