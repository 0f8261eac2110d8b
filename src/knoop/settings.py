"""Runtime settings: the only module that reads environment variables.

Every variable is optional. An invalid value raises :class:`knoop.errors.SettingsError` naming the
variable and what is allowed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from knoop.errors import SettingsError

LANGUAGES = ("nl", "en")


@dataclass(frozen=True)
class Settings:
    """What knoop was told by its environment."""

    host: str = "127.0.0.1"
    port: int = 8000
    language: str = "nl"
    data_dir: Path = Path("data")
    log_level: str = "info"
    #: SQLAlchemy URL of the records database; ``None`` means SQLite in ``data_dir``.
    database_url_override: str | None = None

    @property
    def database_url(self) -> str:
        """``DATABASE_URL``, or ``sqlite:///<data_dir>/knoop.sqlite3`` when it is not set."""
        if self.database_url_override:
            return self.database_url_override
        return f"sqlite:///{(self.data_dir / 'knoop.sqlite3').resolve()}"


LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
DATABASE_SCHEMES = ("sqlite", "postgresql+psycopg", "postgresql")


def _database_url(raw: str) -> str:
    value = raw.strip()
    scheme, sep, rest = value.partition("://")
    if not sep or scheme not in DATABASE_SCHEMES or not rest:
        raise SettingsError(
            f"DATABASE_URL={raw!r} is not a database URL; allowed schemes: "
            + ", ".join(f"{s}://" for s in DATABASE_SCHEMES),
            field="DATABASE_URL", allowed=[f"{s}://" for s in DATABASE_SCHEMES])
    if scheme == "postgresql":
        value = "postgresql+psycopg://" + rest
    return value


def _port(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 1 <= value <= 65535:
        raise SettingsError(
            f"{name}={raw!r} is not a port; allowed: an integer 1-65535", field=name
        )
    return value


def _choice(name: str, raw: str, allowed: tuple[str, ...]) -> str:
    value = raw.strip().lower()
    if value not in allowed:
        raise SettingsError(
            f"{name}={raw!r} is not allowed; allowed: {', '.join(allowed)}",
            field=name,
            allowed=allowed,
        )
    return value


def load(environ: dict[str, str] | None = None) -> Settings:
    """Read ``KNOOP_*`` variables from ``environ`` (default: the process environment)."""
    env = dict(os.environ if environ is None else environ)
    kwargs: dict[str, object] = {}
    if "KNOOP_HOST" in env:
        kwargs["host"] = env["KNOOP_HOST"]
    if "KNOOP_PORT" in env:
        kwargs["port"] = _port("KNOOP_PORT", env["KNOOP_PORT"])
    if "KNOOP_LANG" in env:
        kwargs["language"] = _choice("KNOOP_LANG", env["KNOOP_LANG"], LANGUAGES)
    if "KNOOP_DATA_DIR" in env:
        kwargs["data_dir"] = Path(env["KNOOP_DATA_DIR"])
    if "KNOOP_LOG_LEVEL" in env:
        kwargs["log_level"] = _choice("KNOOP_LOG_LEVEL", env["KNOOP_LOG_LEVEL"], LOG_LEVELS)
    if env.get("DATABASE_URL", "").strip():
        kwargs["database_url_override"] = _database_url(env["DATABASE_URL"])
    return Settings(**kwargs)  # type: ignore[arg-type]
