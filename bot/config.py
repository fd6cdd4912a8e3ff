"""Settings from the environment and an optional ``.env`` file.

Every variable is documented in ``.env.example``. A missing or malformed value raises
:class:`ConfigError` naming the variable; ``bot.__main__`` turns it into one clear line and exit
status 2.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from dotenv import dotenv_values

TZ = ZoneInfo("Asia/Seoul")
DEFAULT_BASE_URL = "https://api.telegram.org/bot"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# Telegram allows 1-256 characters A-Z, a-z, 0-9, _ and -; we ask for at least 16 of them.
WEBHOOK_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{16,256}")
MAKE_SECRET = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'  # noqa: S105 - a hint
MIN_DASHBOARD_PASSWORD = 8


class ConfigError(ValueError):
    """A configuration variable is missing or malformed."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


class Secret:
    """A string that never shows itself in repr/str (so it cannot leak into logs)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


@dataclass(frozen=True)
class Settings:
    token: Secret = field(default_factory=lambda: Secret(""))
    base_url: str = DEFAULT_BASE_URL
    admin_ids: frozenset[int] = frozenset()
    database_path: Path = PROJECT_ROOT / "data" / "bot.db"
    data_dir: Path = PROJECT_ROOT / "data"
    # CACHE_DIR (None: a 'cache' folder beside the database; see analyses_dir).
    cache_dir: Path | None = None
    log_level: str = "INFO"
    # Delivery pacing (Telegram allows about 30 messages/s overall and 1 message/s per chat).
    send_rate: float = 28.0
    per_chat_interval: float = 1.1
    send_concurrency: int = 8
    max_attempts: int = 5
    poll_timeout: int = 30
    # Seconds to wait for Telegram's answer to a call before its outcome counts as unknown.
    send_timeout: float = 15.0
    # Messages and button taps a user may send in one burst before flood control (0: off).
    flood_limit: int = 10
    log_format: str = "text"
    # Webhook mode (WEBHOOK_URL set): Telegram POSTs updates to this URL, served on listen:port.
    webhook_url: str = ""
    webhook_secret: Secret = field(default_factory=lambda: Secret(""))
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    # Staff dashboard (`python -m bot dashboard`).
    dashboard_password: Secret = field(default_factory=lambda: Secret(""))

    @property
    def has_token(self) -> bool:
        return bool(self.token)

    @property
    def mode(self) -> str:
        return "webhook" if self.webhook_url else "polling"

    @property
    def webhook_path(self) -> str:
        """The path part of WEBHOOK_URL: the bot serves updates there (a reverse proxy forwards it)."""
        return urlsplit(self.webhook_url).path or "/"

    @property
    def secrets(self) -> list[str]:
        """Every configured secret value, for the log redactor."""
        token = self.token.get()
        values = [token, token.partition(":")[2], self.webhook_secret.get(), self.dashboard_password.get()]
        return [v for v in values if v]

    @property
    def analyses_dir(self) -> Path:
        """Where the analyses of the data's phrasings are kept between starts: CACHE_DIR, or a 'cache'
        folder beside the database."""
        return self.cache_dir or self.database_path.parent / "cache"

    @property
    def base_file_url(self) -> str:
        # https://api.telegram.org/bot -> https://api.telegram.org/file/bot
        head, _, tail = self.base_url.rstrip("/").rpartition("/")
        return f"{head}/file/{tail}"


def _env(environ: Mapping[str, str | None], name: str) -> str | None:
    value = environ.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def _parse_admin_ids(raw: str | None) -> frozenset[int]:
    if not raw:
        return frozenset()
    ids = set()
    for part in raw.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            ids.add(int(part))
        except ValueError:
            raise ConfigError(
                "ADMIN_IDS", f"expected comma-separated numeric Telegram user ids, got {part!r}"
            ) from None
    return frozenset(ids)


def _parse_number(environ, name: str, default, kind, low, high):
    raw = _env(environ, name)
    if raw is None:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ConfigError(name, f"expected a number, got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(name, f"must be between {low} and {high}, got {raw!r}")
    return value


def _check_token(token: str) -> None:
    # BotFather tokens look like "123456789:AA..."; never echo the value back.
    bot_id, sep, secret = token.partition(":")
    if not sep or not bot_id.isdigit() or len(secret) < 5 or any(c.isspace() for c in token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN", "malformed token (expected '<digits>:<secret>' as given by @BotFather)"
        )


def _parse_webhook(merged) -> tuple[str, str]:
    url = _env(merged, "WEBHOOK_URL") or ""
    secret = _env(merged, "WEBHOOK_SECRET") or ""
    if not url:
        return "", secret
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError("WEBHOOK_URL", f"expected https://your.domain/some/path, got {url!r}")
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        raise ConfigError("WEBHOOK_URL", "Telegram only delivers webhooks to https:// URLs")
    if parts.query or parts.fragment:
        raise ConfigError("WEBHOOK_URL", "must not have a query string or fragment")
    if not secret:
        raise ConfigError(
            "WEBHOOK_SECRET",
            f"required in webhook mode (WEBHOOK_URL is set); make one with: {MAKE_SECRET}",
        )
    if not WEBHOOK_SECRET_RE.fullmatch(secret):
        raise ConfigError(
            "WEBHOOK_SECRET",
            f"must be 16-256 characters of A-Z, a-z, 0-9, _ and - (make one with: {MAKE_SECRET})",
        )
    return url, secret


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Build :class:`Settings` from ``environ`` (default ``os.environ``) over an optional ``.env``.

    Real environment variables win over the ``.env`` file.
    """
    if environ is None:
        environ = os.environ
    if env_file is None:
        env_file = Path(os.environ.get("BOT_ENV_FILE", PROJECT_ROOT / ".env"))
    merged: dict[str, str | None] = {}
    if env_file and env_file.is_file():
        merged.update(dotenv_values(env_file))
    merged.update(environ)

    token = _env(merged, "TELEGRAM_BOT_TOKEN") or ""
    if token:
        _check_token(token)

    base_url = _env(merged, "TELEGRAM_BASE_URL") or DEFAULT_BASE_URL
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError("TELEGRAM_BASE_URL", f"must start with http:// or https://, got {base_url!r}")

    log_level = (_env(merged, "LOG_LEVEL") or "INFO").upper()
    if log_level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, got {log_level!r}")

    db_raw = _env(merged, "DATABASE_PATH")
    database_path = Path(db_raw) if db_raw else PROJECT_ROOT / "data" / "bot.db"
    if database_path.exists() and database_path.is_dir():
        raise ConfigError("DATABASE_PATH", f"{database_path} is a directory, expected a file path")

    data_raw = _env(merged, "DATA_DIR")
    data_dir = Path(data_raw) if data_raw else PROJECT_ROOT / "data"
    if not data_dir.is_dir():
        raise ConfigError("DATA_DIR", f"{data_dir} is not a directory")

    cache_raw = _env(merged, "CACHE_DIR")
    cache_dir = Path(cache_raw) if cache_raw else None

    log_format = (_env(merged, "LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise ConfigError("LOG_FORMAT", f"must be one of {', '.join(LOG_FORMATS)}, got {log_format!r}")

    webhook_url, webhook_secret = _parse_webhook(merged)
    dashboard_password = _env(merged, "DASHBOARD_PASSWORD") or ""
    if dashboard_password and len(dashboard_password) < MIN_DASHBOARD_PASSWORD:
        raise ConfigError("DASHBOARD_PASSWORD", f"must be at least {MIN_DASHBOARD_PASSWORD} characters")

    settings = Settings(
        token=Secret(token),
        base_url=base_url.rstrip("/"),
        admin_ids=_parse_admin_ids(_env(merged, "ADMIN_IDS")),
        database_path=database_path,
        data_dir=data_dir,
        cache_dir=cache_dir,
        log_level=log_level,
        send_rate=_parse_number(merged, "SEND_RATE", 28.0, float, 0.1, 1000.0),
        per_chat_interval=_parse_number(merged, "PER_CHAT_INTERVAL", 1.1, float, 0.0, 60.0),
        send_concurrency=_parse_number(merged, "SEND_CONCURRENCY", 8, int, 1, 100),
        max_attempts=_parse_number(merged, "SEND_MAX_ATTEMPTS", 5, int, 1, 20),
        poll_timeout=_parse_number(merged, "POLL_TIMEOUT", 30, int, 0, 50),
        send_timeout=_parse_number(merged, "SEND_TIMEOUT", 15.0, float, 0.5, 120.0),
        flood_limit=_parse_number(merged, "FLOOD_LIMIT", 10, int, 0, 1000),
        log_format=log_format,
        webhook_url=webhook_url,
        webhook_secret=Secret(webhook_secret),
        webhook_listen=_env(merged, "WEBHOOK_LISTEN") or "127.0.0.1",
        webhook_port=_parse_number(merged, "WEBHOOK_PORT", 8443, int, 1, 65535),
        dashboard_password=Secret(dashboard_password),
    )
    if settings.analyses_dir.exists() and not settings.analyses_dir.is_dir():
        raise ConfigError("CACHE_DIR", f"{settings.analyses_dir} is not a directory")
    return settings
