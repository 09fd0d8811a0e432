"""File-format page (/file-format): what a liaison reads before sending figures (docs/file-format.md).

The document's sections become headings with ids, so its links to sections ("see [Country](#country)")
scroll there; the section for developers stays in the document and is not shown to liaisons.
"""

from __future__ import annotations

import re
from functools import lru_cache

import dash
from dash import dcc, html
from dash.development.base_component import Component

from models.settings import PROJECT_ROOT

dash.register_page(
    __name__, path="/file-format", name="File format", title="File format · VID Monitor", order=70
)
DOCUMENT = PROJECT_ROOT / "docs" / "file-format.md"


@lru_cache(maxsize=1)
def _text() -> str:
    # Read on first use, not at import; the document ships with the code and does not change at run time.
    return DOCUMENT.read_text(encoding="utf-8")


FOR_DEVELOPERS = "For developers"


def anchor(title: str) -> str:
    """The id a section's links use: "The template" -> "the-template" (as GitHub makes them)."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def sections(text: str) -> list[tuple[str | None, str]]:
    """(heading, body) for the text before the first "## " heading and for each section after it."""
    parts = re.split(r"^## (.+)$", text, flags=re.MULTILINE)
    return [(None, parts[0])] + [(parts[i].strip(), parts[i + 1]) for i in range(1, len(parts), 2)]


def layout(**_query: str) -> html.Div:
    children: list[Component] = []
    for heading, body in sections(_text()):
        if heading is not None:
            if heading.startswith(FOR_DEVELOPERS):
                continue
            children.append(html.H2(heading, id=anchor(heading)))
        children.append(dcc.Markdown(body, link_target="_self"))
    return html.Div(children, id="file-format-text", className="file-format")
