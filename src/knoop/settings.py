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
    #: The installation's fallback contact lines for handouts and exports, used only where the
    #: practice left a detail empty on /praktijk (the practice's details live in the store).
    practice_address: str = ""
    practice_phone: str = ""
    practice_email: str = ""
    practice_website: str = ""
    #: ``KNOOP_FHIR_BASE``: the base URL of the practice's own FHIR code systems and naming
    #: systems (``<base>/CodeSystem/muscle``, ...); empty: ``<website>/fhir``, else a URN.
    fhir_base: str = ""
    #: Who the export/handout commands act as (``KNOOP_USER``, an e-mail); ``--user`` wins.
    user_email: str = ""
    #: ``KNOOP_SECRET_KEY``: signs CSRF tokens and encrypts the pending second login step.
    #: ``None`` means a random key kept in ``<data_dir>/secret.key`` (made on first use).
    secret_key_override: str | None = None
    #: ``KNOOP_COOKIE_SECURE``: ``auto`` (Secure when the request came over https), ``on``, ``off``.
    cookie_secure: str = "auto"
    #: ``KNOOP_AUDIT_KEY``: the HMAC key of the access log. ``None`` means a random key kept in
    #: ``<data_dir>/audit.key``. Never in the database, never in a backup: keep a copy apart.
    audit_key_override: str | None = None
    #: ``KNOOP_AUDIT_ANCHOR``: the file outside the database holding the access log's head.
    audit_anchor_override: Path | None = None
    #: ``KNOOP_IDLE_MINUTES``: a login session ends after this many minutes without a request.
    idle_minutes: int = 30
    #: ``KNOOP_TRUSTED_PROXIES``: comma-separated addresses of reverse proxies whose
    #: ``X-Forwarded-For``/``-Proto`` headers are believed; empty: nobody's.
    trusted_proxies: tuple[str, ...] = ()

    def secret_key(self) -> bytes:
        """The server key: ``KNOOP_SECRET_KEY`` or ``<data_dir>/secret.key`` (32 random bytes,
        created with mode 0600 the first time it is needed)."""
        if self.secret_key_override:
            return self.secret_key_override.encode("utf-8")
        return self._key_file("secret.key")

    def audit_key(self) -> bytes:
        """The access log's HMAC key: ``KNOOP_AUDIT_KEY`` or ``<data_dir>/audit.key``."""
        if self.audit_key_override:
            return self.audit_key_override.encode("utf-8")
        return self._key_file("audit.key")

    @property
    def audit_anchor(self) -> Path:
        """Where the access log's head is anchored outside the database."""
        return self.audit_anchor_override or self.data_dir / "audit.anchor"

    def _key_file(self, name: str) -> bytes:
        path = self.data_dir / name
        try:
            key = path.read_bytes().strip()
            if len(key) >= 32:
                return key
        except FileNotFoundError:
            pass
        import secrets

        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = secrets.token_hex(32).encode("ascii")
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process made it first
            return path.read_bytes().strip()
        try:
            os.write(fd, key + b"\n")
        finally:
            os.close(fd)
        return key

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


def _fhir_base(raw: str) -> str:
    value = raw.strip().rstrip("/")
    scheme, sep, rest = value.partition("://")
    if (not sep or scheme not in ("https", "http") or not rest or any(c.isspace() for c in value)
            or "knoop.example" in value):
        raise SettingsError(
            f"KNOOP_FHIR_BASE={raw!r} is not allowed; allowed: the practice's own https:// URL "
            "without spaces, e.g. https://fhir.mijnpraktijk.nl/fhir", field="KNOOP_FHIR_BASE")
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


def _minutes(name: str, raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if not 1 <= value <= 720:
        raise SettingsError(f"{name}={raw!r} is not allowed; allowed: whole minutes 1-720",
                            field=name)
    return value


def _proxies(raw: str) -> tuple[str, ...]:
    import ipaddress

    out = []
    for part in raw.split(","):
        item = part.strip()
        if not item:
            continue
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise SettingsError(f"KNOOP_TRUSTED_PROXIES: {item!r} is not an IP address or "
                                "network; allowed: comma-separated addresses such as "
                                "127.0.0.1,10.0.0.0/24", field="KNOOP_TRUSTED_PROXIES") from None
        out.append(item)
    return tuple(out)


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
    if env.get("KNOOP_SECRET_KEY", "").strip():
        if len(env["KNOOP_SECRET_KEY"].strip()) < 32:
            raise SettingsError("KNOOP_SECRET_KEY is too short; allowed: at least 32 characters",
                                field="KNOOP_SECRET_KEY")
        kwargs["secret_key_override"] = env["KNOOP_SECRET_KEY"].strip()
    if env.get("KNOOP_AUDIT_KEY", "").strip():
        if len(env["KNOOP_AUDIT_KEY"].strip()) < 32:
            raise SettingsError("KNOOP_AUDIT_KEY is too short; allowed: at least 32 characters",
                                field="KNOOP_AUDIT_KEY")
        kwargs["audit_key_override"] = env["KNOOP_AUDIT_KEY"].strip()
    if env.get("KNOOP_AUDIT_ANCHOR", "").strip():
        kwargs["audit_anchor_override"] = Path(env["KNOOP_AUDIT_ANCHOR"].strip())
    if "KNOOP_IDLE_MINUTES" in env:
        kwargs["idle_minutes"] = _minutes("KNOOP_IDLE_MINUTES", env["KNOOP_IDLE_MINUTES"])
    if env.get("KNOOP_TRUSTED_PROXIES", "").strip():
        kwargs["trusted_proxies"] = _proxies(env["KNOOP_TRUSTED_PROXIES"])
    if "KNOOP_COOKIE_SECURE" in env:
        kwargs["cookie_secure"] = _choice("KNOOP_COOKIE_SECURE", env["KNOOP_COOKIE_SECURE"],
                                          ("auto", "on", "off"))
    for name, key in (("KNOOP_PRACTICE_ADDRESS", "practice_address"),
                      ("KNOOP_PRACTICE_PHONE", "practice_phone"),
                      ("KNOOP_PRACTICE_EMAIL", "practice_email"),
                      ("KNOOP_PRACTICE_WEBSITE", "practice_website"),
                      ("KNOOP_USER", "user_email")):
        if env.get(name, "").strip():
            kwargs[key] = env[name].strip()
    if env.get("KNOOP_FHIR_BASE", "").strip():
        kwargs["fhir_base"] = _fhir_base(env["KNOOP_FHIR_BASE"])
    if env.get("DATABASE_URL", "").strip():
        kwargs["database_url_override"] = _database_url(env["DATABASE_URL"])
    return Settings(**kwargs)  # type: ignore[arg-type]
