"""Overview page (/): what the database holds, for everyone."""

from __future__ import annotations

import dash
import dash_bootstrap_components as dbc
from dash import html

from dashboard import _data

dash.register_page(__name__, path="/", name="Overview", title="Overview · VID Monitor", order=0)


def layout(**_query: str) -> html.Div:
    status = _data.status()
    kind = "demonstration (synthetic) data" if status.demo else "reported data"
    return html.Div(
        [
            html.H1("Victim identification in the Global Alliance"),
            html.P(
                "The Alliance's operational goal: increase the number of identified victims in "
                "INTERPOL's ICSE database by at least 10% yearly.",
                className="lead",
            ),
            dbc.Row(
                [
                    dbc.Col(_figure_card("Participants registered", f"{status.participants}"), md=4),
                    dbc.Col(_figure_card("Values recorded", f"{status.observations:,}"), md=4),
                    dbc.Col(_figure_card("Data shown", kind), md=4),
                ],
                className="g-3",
            ),
        ]
    )


def _figure_card(label: str, value: str) -> dbc.Card:
    return dbc.Card(
        dbc.CardBody(
            [html.P(label, className="text-body-secondary mb-1"), html.P(value, className="fs-3 mb-0")]
        )
    )
