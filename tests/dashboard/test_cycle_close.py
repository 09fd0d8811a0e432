"""/compliance and /reporting show a closed cycle as at close beside now, and what changed since."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.models.cycles.conftest import load, models
from tests.web import WebClient


def closed_then_revised(db_url: str, folder: Path) -> None:
    """DEU's 2014-2015 reported, Report 2016 closed, then 2015 corrected under a lock exception."""
    assert load(db_url, folder, "DEU,2014,100,1000\nDEU,2015,111,1111\n").returncode == 0
    assert models(db_url, "cycles", "close", "--name", "Report 2016").returncode == 0
    unlocked = models(db_url, "cycles", "unlock", "--name", "Report 2016", "--participant", "DEU",
                      "--reason", "late de-duplication")  # fmt: skip
    assert unlocked.returncode == 0, unlocked.stderr
    fixed = load(db_url, folder, "DEU,2015,140,1140\n", "--reason", "de-duplicated", name="fix.csv")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr


def view(web: WebClient, page: str, view: str, *more: tuple[str, str, Any]) -> str:
    response = web.callback(
        [(f"{page}-close-content", "children")],
        [(f"{page}-close-cycle", "value", "Report 2016"), (f"{page}-close-view", "value", view), *more],
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return json.dumps(response.get_json(), ensure_ascii=False)


def rows(text: str, grid: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == grid:
                found.extend(node["props"]["rowData"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(text))
    return found


def test_compliance_shows_the_frozen_table_the_current_one_and_the_changes(
    web: WebClient, db_url: str, tmp_path: Path
) -> None:
    closed_then_revised(db_url, tmp_path)
    frozen = view(web, "compliance", "close", ("compliance-close-basis", "value", "annual"))
    assert "As at close of Report 2016: closed " in frozen
    assert "SHA-256 " in frozen
    [deu_2015] = [
        r for r in rows(frozen, "compliance-close-table") if (r["participant"], r["year"]) == ("DEU", 2015)
    ]
    assert deu_2015["value"] == 111
    now = view(web, "compliance", "current", ("compliance-close-basis", "value", "annual"))
    [deu_2015] = [
        r for r in rows(now, "compliance-close-table") if (r["participant"], r["year"]) == ("DEU", 2015)
    ]
    assert (deu_2015["value"], deu_2015["note"]) == (140, "revised after close")
    changes = rows(now, "compliance-close-changes")
    figure = [c for c in changes if (c["participant"], c["year"], c["basis"]) == ("DEU", 2015, "annual")]
    assert [(c["old"], c["new"], c["reason"]) for c in figure] == [(111, 140, "de-duplicated")]
    assert figure[0]["changed_by"]


def test_reporting_shows_the_frozen_status_and_an_open_database_says_none_is_closed(
    web: WebClient, db_url: str, tmp_path: Path
) -> None:
    assert "No reporting cycle is closed yet." in web.page("/reporting")
    closed_then_revised(db_url, tmp_path)
    assert "reporting-close-cycle" in web.page("/reporting")
    frozen = view(web, "reporting", "close")
    assert "As at close of Report 2016" in frozen
    assert any(r["participant"] == "DEU" for r in rows(frozen, "reporting-close-table"))


@pytest.mark.parametrize("forged", [None, 7, "no such cycle", ["Report 2016"]])
def test_forged_controls_get_a_message_not_an_error(web: WebClient, db_url: str, forged: Any) -> None:
    response = web.callback(
        [("compliance-close-content", "children")],
        [("compliance-close-cycle", "value", forged), ("compliance-close-view", "value", {"x": 1}),
         ("compliance-close-basis", "value", "../../etc")],
    )  # fmt: skip
    assert response.status_code == 200
