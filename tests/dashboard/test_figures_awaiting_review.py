"""'Including figures awaiting review' on /compliance and /country: who sees what, decided on the server.

Every request here is a real callback request through the app (the guard, the caches, Dash's
dispatch), made as each role's signed-in browser would, or forged: the switch's value only says
whether a request asks; what it gets comes from the signed-in account's database record.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from werkzeug.test import TestResponse

from models.queries import INCLUDING_SUBMITTED_NOTE
from tests.conftest import PASSWORD
from tests.dashboard.conftest import content
from tests.dashboard.test_security_table import table
from tests.models.views.test_counting_views import reported_and_submitted
from tests.web import WebClient, resolve_outputs

GRID = [("compliance-grid-heading", "children"), ("compliance-grid-graph", "figure"),
        ("compliance-grid-graph", "config"), ("compliance-grid-summary", "children"),
        ("compliance-table", "rowData"), ("compliance-participants-summary", "children"),
        ("compliance-figures-note", "children"), ("compliance-revised-note", "children"),
        ("compliance-query", "data")]  # fmt: skip
COUNTRY = [("country-requirement", "children"), ("country-series-graph", "figure"),
           ("country-series-graph", "config"), ("country-series-summary", "children"),
           ("country-growth-graph", "figure"), ("country-growth-graph", "config"),
           ("country-growth-summary", "children"), ("country-table", "rowData"),
           ("country-figures-note", "children"), ("country-revised-note", "children"),
           ("country-query", "data")]  # fmt: skip
ACCEPTED = {"FRA": 105, "DEU": 111}
FRA_OWN = {"FRA": 120, "DEU": 111}
EVERYONE = {"FRA": 120, "DEU": 90}


def controls(submitted: Any) -> list[tuple[str, str, Any]]:
    return [("compliance-basis", "value", "annual"), ("compliance-from", "value", "2014"),
            ("compliance-to", "value", "2015"), ("compliance-cycle", "value", "any"),
            ("compliance-status", "value", ["met", "not_met", "no_baseline", "missing"]),
            ("compliance-participants", "value", None),
            ("compliance-submitted", "value", submitted)]  # fmt: skip


def grid(web: WebClient, submitted: Any) -> TestResponse:
    response = web.callback(GRID, controls(submitted))
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def answer(response: TestResponse) -> dict[str, Any]:
    result: dict[str, Any] = response.get_json()["response"]
    return result


def values_2015(response: TestResponse, rows_of: str = "compliance-table") -> dict[str, int]:
    rows = answer(response)[rows_of]["rowData"]
    return {
        r["participant"]: r["value"] for r in rows if r["year"] == 2015 and r["participant"] in ("FRA", "DEU")
    }


def shown(node: Any) -> str:
    return json.dumps(node, ensure_ascii=False)


@pytest.fixture
def clients(web: WebClient, accounts: dict[str, str], db_url: str, tmp_path: Path) -> dict[str, WebClient]:
    """Accepted and submitted figures (tests.models.views.test_counting_views), and a client per role
    (`liaison`: FRA's; `liaison_deu`: DEU's), each signed in with its own cookies."""
    from app import server

    reported_and_submitted(db_url, tmp_path)
    signed = {"viewer": web}
    for role in ("liaison", "liaison_deu", "secretariat", "admin"):
        signed[role] = WebClient(server.test_client())
        assert signed[role].sign_in(accounts[role], PASSWORD).status_code == 303
    return signed


@pytest.mark.parametrize(
    ("role", "expected", "whose"),
    [
        ("viewer", ACCEPTED, None),
        ("liaison", FRA_OWN, "FRA's submitted figures"),
        ("liaison_deu", {"FRA": 105, "DEU": 90}, "DEU's submitted figures"),
        ("secretariat", EVERYONE, "every participant's submitted figures"),
        ("admin", EVERYONE, "every participant's submitted figures"),
    ],
)
def test_the_switch_counts_what_the_signed_in_account_may_see(
    clients: dict[str, WebClient], role: str, expected: dict[str, int], whose: str | None
) -> None:
    web = clients[role]
    assert values_2015(grid(web, False)) == ACCEPTED  # switched off: the public figures, for everyone
    response = grid(web, True)
    assert values_2015(response) == expected
    note = shown(answer(response)["compliance-figures-note"]["children"])
    figure = answer(response)["compliance-grid-graph"]["figure"]
    title = next(a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "chart-title")
    filename = answer(response)["compliance-grid-graph"]["config"]["toImageButtonOptions"]["filename"]
    if whose is None:
        assert note == "null"  # a viewer's forged request: no banner, the accepted figures
        assert "awaiting review" not in title
        assert "submitted=yes" not in answer(response)["compliance-query"]["data"]
    else:
        assert "Including figures awaiting review (not yet accepted by the secretariat)" in note
        assert whose in note
        assert "Including figures awaiting review (not yet accepted by the secretariat)" in title  # the PNG
        assert filename.endswith("-including-submitted")
        assert answer(response)["compliance-query"]["data"].endswith("&submitted=yes")


@pytest.mark.parametrize(
    "forged",
    [{"include_submitted": True, "participant": "DEU"}, "DEU", ["DEU"], {"participant": "DEU"}, [["yes"]], 1],
)
def test_a_forged_switch_never_shows_another_participants_submissions(
    clients: dict[str, WebClient], forged: Any
) -> None:
    for role in ("viewer", "liaison"):
        counted = values_2015(grid(clients[role], forged))
        assert counted["DEU"] == 111, (role, forged)  # DEU's 90 awaits review: not theirs to see
        assert counted["FRA"] in (105, 120 if role == "liaison" else 105), (role, forged)


def page(web: WebClient, path: str, search: str = "") -> str:
    """A page's layout as the pages router returns it for an address (`search`: its query)."""
    response = web.callback(
        [("_pages_content", "children"), ("_pages_store", "data")],
        [("_pages_location", "pathname", path), ("_pages_location", "search", search)],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response.get_data(as_text=True)


def test_the_page_offers_the_switch_only_to_those_who_may_use_it(clients: dict[str, WebClient]) -> None:
    offered = {
        role: page(clients[role], "/compliance", "?submitted=yes")
        for role in ("viewer", "liaison", "secretariat")
    }
    assert "figures awaiting review" not in offered["viewer"]
    assert "Include FRA's figures awaiting review" in offered["liaison"]
    assert "Include figures awaiting review (every participant's submissions)" in offered["secretariat"]
    # The address's ?submitted=yes turns it on for them, and nothing for a viewer (hidden, off).
    assert '"value":true' in offered["secretariat"].replace(" ", "")
    assert '"value":true' not in offered["viewer"].replace(" ", "")
    fra, deu = page(clients["liaison"], "/country/FRA"), page(clients["liaison"], "/country/DEU")
    assert "Include FRA's figures awaiting review" in fra
    assert "figures awaiting review" not in deu  # it would change nothing on another participant's page
    assert "Include figures awaiting review" in page(clients["secretariat"], "/country/DEU")


def country(web: WebClient, code: str, submitted: Any) -> TestResponse:
    response = web.callback(
        COUNTRY,
        [("country-basis", "value", "annual"), ("country-submitted", "value", submitted)],
        [("country-code", "data", code)],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def country_2015(response: TestResponse) -> int:
    [row] = [r for r in answer(response)["country-table"]["rowData"] if r["year"] == 2015]
    return int(row["value"])


def test_the_country_page_counts_a_liaisons_own_submissions_on_its_own_page_only(
    clients: dict[str, WebClient],
) -> None:
    assert [country_2015(country(clients["viewer"], c, True)) for c in ("FRA", "DEU")] == [105, 111]
    own = country(clients["liaison"], "FRA", True)
    assert country_2015(own) == 120
    assert "FRA's submitted figures" in shown(answer(own)["country-figures-note"]["children"])
    other = country(clients["liaison"], "DEU", True)
    assert country_2015(other) == 111
    assert answer(other)["country-figures-note"]["children"] is None
    assert country_2015(country(clients["secretariat"], "DEU", True)) == 90
    assert country_2015(country(clients["secretariat"], "DEU", False)) == 111


def download(web: WebClient, button: str, submitted: Any) -> TestResponse:
    """Press a download button of /compliance with the controls as `controls` sets them."""
    key, outputs = resolve_outputs([("compliance-download", "data")])
    buttons = ("compliance-grid-csv", "compliance-table-csv", "compliance-table-xlsx")
    body = {
        "output": key,
        "outputs": {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": b, "property": "n_clicks", "value": 1 if b == button else None} for b in buttons],
        "state": [{"id": c, "property": p, "value": v} for c, p, v in controls(submitted)],
        "changedPropIds": [f"{button}.n_clicks"],
    }
    response = web.client.post(
        "/_dash-update-component", json=body, headers={"X-CSRFToken": web.csrf_cookie()}
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def csv_rows(response: TestResponse) -> list[dict[str, str]]:
    data = answer(response)["compliance-download"]["data"]
    return list(csv.DictReader(io.StringIO(content(data).decode("utf-8-sig"))))


def test_every_download_of_the_view_carries_the_label(clients: dict[str, WebClient]) -> None:
    secretariat = clients["secretariat"]
    for button in ("compliance-grid-csv", "compliance-table-csv"):
        response = download(secretariat, button, True)
        assert "including-submitted" in answer(response)["compliance-download"]["data"]["filename"]
        rows = csv_rows(response)
        assert rows
        assert {r["figures_note"] for r in rows} == {INCLUDING_SUBMITTED_NOTE}
    table_rows = csv_rows(download(secretariat, "compliance-table-csv", True))
    assert {r["participant"]: r["value"] for r in table_rows if r["year"] == "2015"}["DEU"] == "90"
    xlsx = answer(download(secretariat, "compliance-table-xlsx", True))["compliance-download"]["data"]
    book = openpyxl.load_workbook(io.BytesIO(content(xlsx)))
    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["figures"] == f"{INCLUDING_SUBMITTED_NOTE}: every participant's"
    data = book["Data"]
    assert "figures_note" in [c.value for c in data[1]]
    forged = csv_rows(download(clients["viewer"], "compliance-table-csv", True))
    assert "figures_note" not in forged[0]  # a viewer's forged download: the public file
    assert {r["participant"]: r["value"] for r in forged if r["year"] == "2015"}["DEU"] == "111"


@pytest.mark.parametrize("backend", ["memory", "redis"])
def test_a_view_with_submitted_figures_is_never_served_to_anyone_else(
    clients: dict[str, WebClient],
    backend: str,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app import server
    from dashboard import _data
    from models.cache import shared_cache

    if backend == "redis":
        cache = shared_cache(request.getfixturevalue("redis_url"), request.getfixturevalue("redis_prefix"))
        monkeypatch.setitem(server.extensions, "vid_cache", cache)
    secretariat, viewer, liaison = clients["secretariat"], clients["viewer"], clients["liaison"]
    for _ in range(2):
        personal = grid(secretariat, True)
        assert values_2015(personal) == EVERYONE
        assert _data.CACHE_HEADER not in personal.headers  # never kept, never served from the kept answers
    for _ in range(2):  # the very same request body from others: their own figures, computed for them
        same = grid(viewer, True)
        assert values_2015(same) == ACCEPTED
        assert _data.CACHE_HEADER not in same.headers
        assert values_2015(grid(liaison, True)) == FRA_OWN
    public = [grid(web, False) for web in (viewer, secretariat, viewer)]
    assert [r.headers.get(_data.CACHE_HEADER) for r in public] == ["miss", "hit", "hit"]
    assert all(values_2015(r) == ACCEPTED for r in public)
    assert values_2015(grid(secretariat, True)) == EVERYONE  # and the public answer never replaces it


REPORTING = [("reporting-cycles-graph", "figure"), ("reporting-cycles-graph", "config"),
             ("reporting-cycles-summary", "children"), ("reporting-cycle-summary", "children"),
             ("reporting-participants", "rowData"), ("reporting-summary", "rowData"),
             ("reporting-figures-note", "children"), ("reporting-query", "data")]  # fmt: skip


def reporting(web: WebClient, submitted: Any) -> TestResponse:
    """The reporting page's callback for the stock-taking (2012, due 1 April 2013)."""
    inputs = [("reporting-cycle", "value", "Stock-taking 2013"), ("reporting-submitted", "value", submitted)]
    response = web.callback(REPORTING, inputs)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


def stock_taking(response: TestResponse) -> dict[str, str]:
    rows = answer(response)["reporting-participants"]["rowData"]
    return {r["participant"]: r["status"] for r in rows if r["participant"] in ("FRA", "DEU")}


def test_the_reporting_page_counts_a_submitted_report_for_those_who_may_see_it(
    clients: dict[str, WebClient],
) -> None:
    assert stock_taking(reporting(clients["viewer"], True)) == {"FRA": "missing", "DEU": "missing"}
    own = reporting(clients["liaison"], True)
    assert stock_taking(own) == {"FRA": "late", "DEU": "missing"}  # FRA's 2012, sent in 2016
    assert "FRA's submitted figures" in shown(answer(own)["reporting-figures-note"]["children"])
    assert _cycle(own)["late"] == 1
    everyone = reporting(clients["secretariat"], True)
    assert stock_taking(everyone) == {"FRA": "late", "DEU": "late"}
    assert _cycle(everyone)["late"] == 2
    assert stock_taking(reporting(clients["secretariat"], False)) == {"FRA": "missing", "DEU": "missing"}
    from dashboard import _data

    assert _data.CACHE_HEADER not in everyone.headers


def _cycle(response: TestResponse) -> dict[str, Any]:
    cycles = answer(response)["reporting-summary"]["rowData"]
    return dict(next(c for c in cycles if c["cycle"] == "Stock-taking 2013"))


def test_the_security_table_of_figures_awaiting_review_is_what_the_server_does(
    clients: dict[str, WebClient],
) -> None:
    rows = {row[0].split(" ")[0].strip("`"): row[1:5] for row in table("Figures awaiting review")}
    assert set(rows) == {"compliance-submitted", "country-submitted", "reporting-submitted"}
    sees = {"no": ACCEPTED, "yes": EVERYONE}
    for switch, cells in rows.items():
        for role, cell in zip(("viewer", "liaison", "secretariat", "admin"), cells, strict=True):
            expected = FRA_OWN if cell == "own" else sees[cell]  # `own`: FRA's liaison, FRA's own only
            web = clients[role]
            if switch == "compliance-submitted":
                assert values_2015(grid(web, True)) == expected, (switch, role)
            elif switch == "reporting-submitted":
                statuses = stock_taking(reporting(web, True))
                assert statuses == {c: "late" if expected[c] != ACCEPTED[c] else "missing" for c in ACCEPTED}
            else:
                got = {code: country_2015(country(web, code, True)) for code in ("FRA", "DEU")}
                assert got == expected, (switch, role)
