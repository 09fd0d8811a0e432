"""Configuration: every setting is documented, and the secret key is generated once and kept private."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from models.settings import PROJECT_ROOT, Settings


def _documented_variables() -> set[str]:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\|\s*`([A-Z_]+)`", section, flags=re.MULTILINE))


def _setting_variables() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        choices = getattr(alias, "choices", None)
        names.add(str(choices[0]) if choices else f"VID_{name.upper()}")
    return names


def test_every_setting_is_documented_in_the_readme() -> None:
    assert _setting_variables() == _documented_variables()


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path: Path) -> None:
    settings = Settings(instance_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'vidmonitor.db'}"


def test_database_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Settings(_env_file=None).resolved_database_url() == "postgresql+psycopg://u@h/db"  # type: ignore[call-arg]


def test_secret_key_is_generated_once_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(instance_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    first = settings.resolved_secret_key()
    assert len(first) >= 40
    assert settings.resolved_secret_key() == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600


def test_configured_secret_key_wins_and_is_not_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "configured-secret-value")
    settings = Settings(instance_dir=tmp_path, _env_file=None)  # type: ignore[call-arg]
    assert settings.resolved_secret_key() == "configured-secret-value"
    assert "configured-secret-value" not in repr(settings)
    assert not (tmp_path / "secret_key").exists()
