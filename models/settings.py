"""Configuration: one Settings class read from the environment and an optional .env file."""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE_DIR = PROJECT_ROOT / "instance"


class Settings(BaseSettings):
    """Every setting the product reads. Each field is documented in README.md (a test checks it)."""

    model_config = SettingsConfigDict(
        env_prefix="VID_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    instance_dir: Path = Field(
        default=DEFAULT_INSTANCE_DIR,
        description="Folder for the SQLite database and the generated secret key.",
    )
    database_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("DATABASE_URL", "VID_DATABASE_URL"),
        description="SQLAlchemy URL of the database; default: SQLite file in the instance folder.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("SECRET_KEY", "VID_SECRET_KEY"),
        description="Key that signs session cookies; default: generated once into the instance folder.",
    )
    host: str = Field(default="127.0.0.1", description="Address the web server listens on.")
    port: int = Field(default=8050, ge=1, le=65535, description="Port the web server listens on.")
    demo_data: bool = Field(
        default=True,
        description="Load demonstration data at start-up when the database holds no observations.",
    )
    debug: bool = Field(default=False, description="Dash debug mode (never in production).")
    secure_cookies: bool = Field(
        default=False, description="Send session cookies over HTTPS only (set true behind HTTPS)."
    )
    session_minutes: int = Field(default=480, ge=5, le=43200, description="How long a sign-in lasts.")
    max_upload_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Largest file the web upload accepts."
    )
    login_rate_limit_account: str = Field(
        default="5 per 15 minutes",
        description="Failed sign-ins allowed per account (counted in the database, for every server).",
    )
    login_rate_limit_address: str = Field(
        default="30 per 15 minutes",
        description="Failed sign-ins allowed per client address (counted in the database, for every server).",
    )
    trusted_proxies: int = Field(
        default=0,
        ge=0,
        le=5,
        description="Reverse proxies in front of the app whose X-Forwarded-For is trusted.",
    )

    smtp_host: str | None = Field(
        default=None, description="SMTP server for reminders; unset: reminders are copied by hand (mailto)."
    )
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_from: str | None = Field(default=None, description="Sender address of reminder emails.")
    smtp_username: str | None = Field(default=None, description="SMTP user name, if the server asks for one.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password (never shown).")
    smtp_starttls: bool = Field(default=False, description="Upgrade the SMTP connection with STARTTLS.")
    smtp_timeout_seconds: int = Field(
        default=20, ge=1, le=300, description="How long to wait for the SMTP server."
    )

    @property
    def smtp_configured(self) -> bool:
        """Whether reminders can be sent by email (a server and a sender address are set)."""
        return bool(self.smtp_host and self.smtp_from)

    def resolved_database_url(self) -> str:
        """The configured database URL, or the default SQLite file under the instance folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.instance_dir / 'vidmonitor.db'}"

    def resolved_secret_key(self) -> str:
        """The configured secret key, or one generated once into the instance folder and reused."""
        if self.secret_key is not None and self.secret_key.get_secret_value():
            return self.secret_key.get_secret_value()
        path = self.instance_dir / "secret_key"
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        self.instance_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        # O_EXCL: two processes starting together must not both write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(key)
        return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
