"""Every exception knoop raises on purpose.

The CLI turns a :class:`KnoopError` into a message on stderr and exit code 2 (bad input) or 1;
the web layer turns it into the one JSON error shape::

    {"error": {"code": "invalid_painmap", "message": "...", "field": "regions[0].region",
               "allowed": ["..."]}}
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NotRequired, TypedDict

if TYPE_CHECKING:
    pass


class ErrorBody(TypedDict):
    code: str
    message: str
    field: NotRequired[str]
    allowed: NotRequired[list[str]]
    request_id: NotRequired[str | None]


class ErrorResponse(TypedDict):
    """The one JSON error shape (see the module docstring)."""

    error: ErrorBody


#: What is wrong with a value, for messages in the user's language (see ``web/deps.py``):
#: never match on the English message text, match on this.
KINDS = ("required", "too_long", "characters", "not_date", "date_range", "email", "range",
         "choice", "unknown_field", "closed", "reason_required", "password_common",
         "password_short", "invalid")


class KnoopError(Exception):
    """Base of all knoop errors. ``code`` is a stable machine-readable name; ``kind`` says
    what is wrong with the value in ``field`` (one of :data:`KINDS`), ``limit`` the number a
    message needs (the most characters, say)."""

    code = "error"
    http_status = 400
    default_kind = "invalid"

    def __init__(
        self, message: str, *, field: str | None = None, allowed: Sequence[str] | None = None,
        kind: str | None = None, limit: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.allowed = list(allowed) if allowed is not None else None
        self.kind = kind or self.default_kind
        self.limit = limit

    def to_dict(self) -> ErrorResponse:
        """The one JSON error shape of the API."""
        body: ErrorBody = {"code": self.code, "message": self.message}
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

    def __init__(self, message: str, *, file: str, line: int | None = None,
                 field: str | None = None, allowed: Sequence[str] | None = None) -> None:
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}", field=field, allowed=allowed)
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


class StaleVersion(Conflict):
    """A write based on a version that is no longer current (HTTP 412): someone changed the
    record in another window or device. ``current`` is the version now stored."""

    code = "stale_version"
    http_status = 412

    def __init__(self, message: str, *, current: int, **kw: object) -> None:
        super().__init__(message, **kw)  # type: ignore[arg-type]
        self.current = current


class RedFlagOpen(Conflict):
    """A finding or treatment while a red flag is open (HTTP 409); ``allowed`` lists the open
    flags."""

    code = "red_flag_open"


class ConsentMissing(Conflict):
    """Starting or treating a session without the client's treatment consent (HTTP 409):
    record the consent first."""

    code = "consent_missing"
    default_kind = "consent_missing"


class DuplicateClient(Conflict):
    """A client with the same name and date of birth exists in the practice (HTTP 409); the
    therapist may knowingly continue. ``allowed`` holds the IDs of the existing clients."""

    code = "duplicate_client"
    default_kind = "duplicate"


class ReasonRequired(BadInput):
    """An emergency red flag can only be overridden with a written reason (HTTP 422)."""

    code = "reason_required"
    default_kind = "reason_required"


class AuthError(KnoopError):
    """Login refused, a session expired, or throttled after too many failures (HTTP 401)."""

    code = "auth_failed"
    http_status = 401


class Forbidden(KnoopError):
    """The actor's role does not allow this (e.g. a therapist managing users) (HTTP 403)."""

    code = "forbidden"
    http_status = 403


class LoginRequired(KnoopError):
    """No (valid) login session: pages redirect to the login page, the API answers 401."""

    code = "login_required"
    http_status = 401

    def __init__(self, message: str = "log in first", *, expired: bool = False) -> None:
        super().__init__(message)
        self.expired = expired


class CsrfError(Forbidden):
    """A POST without the right CSRF token (HTTP 403)."""

    code = "csrf"


class PayloadTooLarge(KnoopError):
    """A request body over the route's documented limit (HTTP 413), refused before reading it."""

    code = "payload_too_large"
    http_status = 413


class TooManyRequests(KnoopError):
    """A link used too often in a short time (HTTP 429): try again later."""

    code = "too_many_requests"
    http_status = 429
    default_kind = "rate_limited"


class ServiceUnavailable(KnoopError):
    """The records database does not answer (HTTP 503): try again later."""

    code = "database_unavailable"
    http_status = 503


class ImportStopped(KnoopError):
    """An import stopped half-way on a database failure; the message names the line and what
    was stored before it (whole batches only), so the same file can be imported again."""

    code = "import_stopped"
    http_status = 503


class BackupError(KnoopError):
    """A backup cannot be written or restored: wrong passphrase, tampered or foreign file."""

    code = "backup_error"


class AuditChainBroken(KnoopError):
    """The access log's hash chain does not verify; the message names the first bad row."""

    code = "audit_chain_broken"
    http_status = 500


# ------------------------------------------------------------- typed-model validation errors
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def field_path(loc: Sequence[Any], prefix: str = "") -> str:
    """A pydantic error location as a JSON path: ``("body", "regions", 0, "side")`` ->
    ``regions[0].side``; ``$`` is the whole value. Odd keys are shown escaped."""
    out = prefix
    for part in loc:
        if part == "body" and not out:
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = str(part) if _NAME.match(str(part)) else ascii(str(part))[:40]
            out += f".{name}" if out else name
    return out or "$"


PYDANTIC_KINDS = {
    "missing": "required", "extra_forbidden": "unknown_field", "string_too_long": "too_long",
    "too_long": "too_long", "literal_error": "choice", "less_than_equal": "range",
    "greater_than_equal": "range", "less_than": "range", "greater_than": "range",
    "int_parsing": "range", "int_type": "range", "int_from_float": "range",
    "float_parsing": "range", "float_type": "range", "finite_number": "range",
    "string_unicode": "characters", "datetime_from_date_parsing": "not_date",
    "datetime_parsing": "not_date", "datetime_type": "not_date", "date_parsing": "not_date",
    # our own rules, raised as PydanticCustomError(kind, message) in the models
    **{k: k for k in KINDS},
}


def validation_message(err: dict[str, Any]) -> tuple[str, list[str] | None]:
    """An English message for one pydantic error, and the allowed values where a list."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return "is required", None
    if kind == "extra_forbidden":
        return "unknown field", None
    if kind in ("string_too_long", "too_long"):
        n = ctx.get("max_length")
        return (f"at most {n} characters" if kind == "string_too_long" else
                f"at most {n} items"), None
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} item(s)", None
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"must be one of {', '.join(allowed)}", allowed
    bounds = {"less_than_equal": "at most {le}", "greater_than_equal": "at least {ge}",
              "less_than": "less than {lt}", "greater_than": "more than {gt}"}
    if kind in bounds:
        return "must be a number in the allowed range: " + bounds[kind].format(**ctx), None
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "must be a whole number", None
    if kind in ("float_parsing", "float_type", "finite_number"):
        return "must be a finite number", None
    if kind == "json_invalid":
        return f"not valid JSON ({ctx.get('error', 'invalid')})", None
    if kind == "string_pattern_mismatch" and tuple(err.get("loc", ())) == ("query", "reasons"):
        return "must be a whole number 0-999 or 'all'", None
    if kind == "string_pattern_mismatch":
        return "must be an ID of lower-case letters, digits and _", None
    if kind in ("model_attributes_type", "dict_type", "model_type") and \
            len(err.get("loc", ())) <= 1:
        return "must be a JSON object", None
    if kind == "string_unicode":
        return "contains an invalid character (a lone surrogate)", None
    return str(err.get("msg", "invalid")).removeprefix("Value error, "), None


def from_validation(errors: Sequence[Any], *, prefix: str = "",
                    cls: type[KnoopError] = BadInput) -> KnoopError:
    """The first of pydantic's ``errors`` (``ValidationError.errors()``) as one of our errors,
    naming the field (a JSON path under ``prefix``) and what is allowed."""
    err = dict(errors[0]) if errors else {"loc": (), "msg": "invalid", "type": ""}
    field = (prefix or "$") if err.get("type") == "json_invalid" else \
        field_path(tuple(err.get("loc", ())), prefix)
    message, allowed = validation_message(err)
    kind = PYDANTIC_KINDS.get(str(err.get("type", "")), "invalid")
    ctx = err.get("ctx")
    limit = ctx.get("max_length") if isinstance(ctx, dict) else None
    return cls(f"{field}: {message}", field=field, allowed=allowed, kind=kind,
               limit=limit if isinstance(limit, int) else None)
