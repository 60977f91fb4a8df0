"""Settings: built-in defaults < ``rpa.toml`` < ``.env`` < ``RPA_*`` environment < options.

Secrets (passwords, the SMTP URL's credentials) come only from the environment, ``.env``
or the OS keyring: ``rpa.toml`` is meant to be shared and may not hold them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

SECRET_FIELDS = ("workfinity_password", "zendesk_password", "smtp_url", "database_url")


class _TomlWithoutSecrets(TomlConfigSettingsSource):
    """``rpa.toml`` minus any secret: a password there is ignored, never used."""

    def __call__(self) -> dict[str, Any]:
        data = super().__call__()
        return {k: v for k, v in data.items() if k not in SECRET_FIELDS}


def _keyring_password(service: str, user: str) -> str | None:
    try:
        import keyring  # optional
    except ImportError:
        return None
    try:
        return keyring.get_password(service, user)
    except Exception:
        return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="RPA_", env_file=".env", env_file_encoding="utf-8", toml_file="rpa.toml",
        extra="ignore",
    )

    # sites
    workfinity_url: str = "http://127.0.0.1:8081/osmanager-tenant"
    workfinity_user: str = "robo"
    workfinity_password: SecretStr = SecretStr("")
    zendesk_url: str = "http://127.0.0.1:8082"
    zendesk_email: str = "robo@bematech.com.br"
    zendesk_password: SecretStr = SecretStr("")

    # browser
    browser_path: str | None = None
    headed: bool = False
    action_timeout_ms: int = 30_000
    navigation_timeout_ms: int = 45_000
    restart_browser_every: int = Field(default=50, ge=1)
    # requests a worker's kept tabs serve before a fresh context (rpa.runtime.kept_tabs); 0 = one per attempt
    keep_tabs_for: int = Field(default=25, ge=0)
    # drive Workfinity and Zendesk at once inside a request (rpa.runtime.lanes); false = in turns
    overlap_sites: bool = True

    # run
    workers: int = Field(default=1, ge=1, le=32)
    attempts: int = Field(default=3, ge=1, le=20)
    circuit_breaker: int = Field(default=10, ge=1, description="consecutive system errors that stop the run")
    drift_breaker: int = Field(default=3, ge=1, description="consecutive requests failing on one hook: stop")
    # [selectors] in rpa.toml: hook name (as `rpa doctor` shows it) -> Playwright selector
    selectors: dict[str, str] = Field(default_factory=dict)
    record: Literal["on-failure", "always", "off"] = "on-failure"
    har: bool = False              # also record each request's network traffic (scrubbed), for replay --offline
    recordings_dir: Path = Path("recordings")
    retention_days: int = Field(default=14, ge=0)
    runs_dir: Path = Path("runs")

    # procedure
    catalog_dir: Path | None = None  # business catalogues; None: input/catalog here, else the shipped one
    max_equipment: int = 5
    business_days: int = 2
    deadline_mode: Literal["business_days", "business_hours"] = "business_days"
    state_holidays: bool = False
    public_reply: bool = True

    # Book e-mails
    smtp_url: SecretStr | None = None
    smtp_from: str = "robo@bematech.com.br"
    book_to_cadastro: str = "cadastro@bematech.com.br"
    book_to_cortesia: str = "cortesia@bematech.com.br"
    outbox_dir: Path = Path("outbox")

    # several machines: unset -> the SQLite journal and the local queue; postgresql://... -> the
    # journal and a procrastinate queue in PostgreSQL (it may hold a password: a secret)
    database_url: SecretStr | None = None
    stall_seconds: float = Field(default=60, gt=0, description="a worker silent this long is dead: its job is retried")

    # tests only: kill the bot with SIGKILL at a named point ("after:zendesk.ticket.submit_as#2")
    crash_at: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, dotenv_settings, _TomlWithoutSecrets(settings_cls),
                file_secret_settings)

    @field_validator("catalog_dir", "browser_path", "crash_at", mode="before")
    @classmethod
    def _empty_is_unset(cls, v: object) -> object:
        """``RPA_CATALOG_DIR=`` (set but empty) means "not set", as it always did."""
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("database_url", mode="before")
    @classmethod
    def _empty_url_is_unset(cls, v: object) -> object:
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("workfinity_url", "zendesk_url")
    @classmethod
    def _no_trailing_slash(cls, v: str) -> str:
        return v.rstrip("/")

    def secret(self, name: Literal["workfinity_password", "zendesk_password"]) -> str:
        """The password, from settings or else the OS keyring (service ``rpa-<site>``)."""
        value = getattr(self, name).get_secret_value()
        if value:
            return value
        site, user = ("workfinity", self.workfinity_user) if name.startswith("workfinity") else (
            "zendesk", self.zendesk_email)
        return _keyring_password(f"rpa-{site}", user) or ""

    def secrets(self) -> list[str]:
        """Every secret value in force, for scrubbing logs and checking outputs."""
        values = [self.secret("workfinity_password"), self.secret("zendesk_password")]
        for secret_url in (self.smtp_url, self.database_url):
            if secret_url:
                url = secret_url.get_secret_value()
                # The URL, its password as written and percent-decoded, even when the URL does not
                # parse (a "/" left unencoded): everything between the user's ":" and the last "@".
                password = url.split("://", 1)[-1].rpartition("@")[0].partition(":")[2]
                values += [url, password, unquote(password)]
        return [v for v in dict.fromkeys(values) if v]
