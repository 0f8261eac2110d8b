"""Every exception knoop raises on purpose.

The CLI turns a :class:`KnoopError` into a message on stderr and exit code 2 (bad input) or 1;
the web layer turns it into the one JSON error shape::

    {"error": {"code": "invalid_painmap", "message": "...", "field": "regions[0].region",
               "allowed": ["..."]}}
"""

from __future__ import annotations

from collections.abc import Sequence


class KnoopError(Exception):
    """Base of all knoop errors. ``code`` is a stable machine-readable name."""

    code = "error"
    http_status = 400

    def __init__(
        self, message: str, *, field: str | None = None, allowed: Sequence[str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None

    def to_dict(self) -> dict[str, object]:
        """The one JSON error shape of the API."""
        body: dict[str, object] = {"code": self.code, "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        if self.allowed is not None:
            body["allowed"] = self.allowed
        return {"error": body}


class BadInput(KnoopError):
    """Input from a user or file that does not meet the rules (CLI exit 2, HTTP 422)."""

    code = "bad_input"
    http_status = 422


class SettingsError(BadInput):
    """An environment variable holds a value knoop cannot use."""

    code = "invalid_setting"


class KnowledgeBaseError(BadInput):
    """A knowledge-base file is malformed; the message names file, line and allowed values."""

    code = "invalid_knowledge_base"

    def __init__(self, message: str, *, file: str, line: int | None = None, **kw: object) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}", **kw)  # type: ignore[arg-type]
        self.file = file
        self.line = line


class RedFlagRuleError(BadInput):
    """The red-flag rule table is malformed; the message names the rule and the problem."""

    code = "invalid_redflag_rules"


class UnknownMuscle(BadInput):
    """A muscle ID that is not in the knowledge base."""

    code = "unknown_muscle"
    http_status = 404


class UnknownRegion(BadInput):
    """A region ID that is not in the contract."""

    code = "unknown_region"
    http_status = 404


class ChartError(KnoopError):
    """The chart template or a drawing cannot be used (bad view, bad stroke)."""

    code = "chart_error"
    http_status = 422


class PainMapError(BadInput):
    """A pain map breaks the contract; ``field`` is a JSON path like ``regions[2].side``."""

    code = "invalid_painmap"


class NotFound(BadInput):
    """An object that does not exist or belongs to another practice (HTTP 404).

    The message never tells the two apart: a client of another practice is indistinguishable
    from a client that does not exist."""

    code = "not_found"
    http_status = 404


class Conflict(KnoopError):
    """The request clashes with what is stored (a duplicate e-mail, a closed session)."""

    code = "conflict"
    http_status = 409


class AuthError(KnoopError):
    """Login refused, a session expired, or throttled after too many failures (HTTP 401)."""

    code = "auth_failed"
    http_status = 401


class Forbidden(KnoopError):
    """The actor's role does not allow this (e.g. a therapist managing users) (HTTP 403)."""

    code = "forbidden"
    http_status = 403


class BackupError(KnoopError):
    """A backup cannot be written or restored: wrong passphrase, tampered or foreign file."""

    code = "backup_error"


class AuditChainBroken(KnoopError):
    """The access log's hash chain does not verify; the message names the first bad row."""

    code = "audit_chain_broken"
    http_status = 500
