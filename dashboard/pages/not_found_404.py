"""Shown for any address that is not a page (Dash pages uses the module named not_found_404)."""

from __future__ import annotations

from typing import Any

import dash
from dash import html

from dashboard.components.layout import not_found

dash.register_page(
    __name__, path="/not-found", name="Not found", title="Page not found · VID Monitor", nav=False
)


def layout(**_query: Any) -> html.Div:
    return not_found("Page not found", "There is no page at this address.", "Go to the overview", "/")
