"""The house's layers: dashboard → models ← data_ingest; pages reach the data only through _data.py."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from models.settings import PROJECT_ROOT

# The web's plumbing opens sessions: dashboard/server/ (sign-in, health, error pages), _data itself, and
# the REST API (dashboard/api/: Flask routes, not Dash pages, that own their request's session and
# transaction as the sign-in routes do, and read the data state for their ETags on a plain connection).
# A page or a shared component never does.
PLUMBING = {PROJECT_ROOT / "dashboard" / "_data.py"}
PLUMBING_PACKAGES = {"server", "api"}
SESSION_FACTORIES = {"read_session", "account_transaction", "write_transaction", "engine_for", "make_engine"}


def modules(package: str) -> list[Path]:
    return sorted(p for p in (PROJECT_ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module and every name `path` imports (`from a.b import c` gives a.b and a.b.c)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


@pytest.mark.parametrize("path", modules("models") + modules("data_ingest"), ids=str)
def test_the_data_layers_never_import_the_web(path: Path) -> None:
    web = {name for name in imported(path) if name.split(".")[0] in {"dash", "flask", "dashboard", "app"}}
    assert not web, f"{path} imports {sorted(web)}"


@pytest.mark.parametrize("path", modules("models"), ids=str)
def test_models_never_import_data_ingest(path: Path) -> None:
    assert not {name for name in imported(path) if name.split(".")[0] == "data_ingest"}


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in modules("dashboard")
        if p not in PLUMBING and not PLUMBING_PACKAGES & set(p.relative_to(PROJECT_ROOT).parts)
    ],
    ids=str,
)
def test_pages_take_their_sessions_from_data(path: Path) -> None:
    opened = {name for name in imported(path) if name.rsplit(".", 1)[-1] in SESSION_FACTORIES}
    assert not opened, f"{path} opens sessions itself ({sorted(opened)}): use dashboard._data"


@pytest.mark.parametrize("path", modules("dashboard") + modules("models") + modules("data_ingest"), ids=str)
def test_every_module_starts_with_a_one_line_docstring(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring, f"{path} has no docstring"
    assert docstring.splitlines()[0].strip(), f"{path}'s docstring does not start with a line"
