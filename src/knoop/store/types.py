"""Plain, frozen results of the store API. No SQLAlchemy object ever leaves :mod:`knoop.store`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar


class _Dict:
    """Base of the result dataclasses below (each one is a ``@dataclass``)."""

    if TYPE_CHECKING:  # what @dataclass gives every subclass; makes dataclasses.fields(self) typed
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    #: Fields read from JSON columns: JSON-ready already, passed on without a walk through
    #: them (a ranking snapshot has thousands of values; a dossier has a thousand snapshots).
    _json_fields: ClassVar[frozenset[str]] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates become ISO strings."""
        def conv(v: Any) -> Any:
            if isinstance(v, (dt.date, dt.datetime)):
                return v.isoformat()
            if isinstance(v, (list, tuple)):
                return [conv(x) for x in v]
            if isinstance(v, dict):
                return {k: conv(x) for k, x in v.items()}
            if isinstance(v, _Dict):  # the nested results (findings, treatments, note, ...)
                return v.to_dict()
            return v
        plain = self._json_fields
        return {f.name: getattr(self, f.name) if f.name in plain else conv(getattr(self, f.name))
                for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class Actor(_Dict):
    """Who is acting: every store call that touches client data takes one.

    ``on_behalf_of`` is written into the access log (default: the practice)."""

    user_id: int | None
    practice_id: int
    role: str
    email: str = ""
    on_behalf_of: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class Practice(_Dict):
    id: int
    name: str
    city: str
    created_at: dt.datetime
    address: str = ""
    postcode: str = ""
    agb_code: str = ""
    registration: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_type: str | None = None
    version: int = 1

    @property
    def has_logo(self) -> bool:
        return self.logo_type is not None


@dataclass(frozen=True)
class User(_Dict):
    id: int
    practice_id: int
    email: str
    name: str
    role: str
    active: bool
    totp_enabled: bool
    created_at: dt.datetime

    @property
    def actor(self) -> Actor:
        return Actor(self.id, self.practice_id, self.role, self.email)


@dataclass(frozen=True)
class ClientSummary(_Dict):
    id: int
    display_name: str
    date_of_birth: dt.date | None
    last_change: dt.datetime
    #: The treatment consent in force: given, withdrawn (False) or never asked (None).
    treatment_consent: bool | None = None


@dataclass(frozen=True)
class ClientMatch(_Dict):
    """A stored client found by name (an import's duplicate check)."""

    id: int
    display_name: str
    date_of_birth: dt.date | None
    request_id: str | None


@dataclass(frozen=True)
class Client(_Dict):
    id: int
    practice_id: int
    first_name: str
    infix: str
    last_name: str
    date_of_birth: dt.date | None
    email: str
    phone: str
    gp_name: str
    created_at: dt.datetime
    last_change: dt.datetime
    retention_until: dt.date
    #: Goes up with every change; send it back to write (a stale one is refused).
    version: int = 1

    @property
    def display_name(self) -> str:
        return " ".join(p for p in (self.first_name, self.infix, self.last_name) if p)


@dataclass(frozen=True)
class Consent(_Dict):
    id: int
    client_id: int
    kind: str
    given: bool
    date: dt.date
    text_version: str
    taken_by: int
    created_at: dt.datetime


@dataclass(frozen=True)
class Finding(_Dict):
    id: int
    session_id: int
    muscle: str
    side: str
    trigger_point: str | None
    result: str
    pain_recognised: bool | None = None
    tender_spot: bool | None = None
    taut_band: bool | None = None
    referral_elicited: bool | None = None
    twitch: bool | None = None
    note: str = ""


@dataclass(frozen=True)
class Treatment(_Dict):
    id: int
    session_id: int
    muscle: str
    side: str
    technique: str
    duration_min: int | None
    pressure_tolerance: str | None
    note: str = ""


@dataclass(frozen=True)
class Note(_Dict):
    session_id: int
    subjective: str
    objective: str
    assessment: str
    plan: str
    soap_text: str
    updated_at: dt.datetime
    updated_by: int


@dataclass(frozen=True)
class Handout(_Dict):
    id: int
    session_id: int
    kind: str
    language: str
    muscles: list[dict[str, str]]
    kb_version: str
    issued_at: dt.datetime
    issued_by: int


@dataclass(frozen=True)
class SessionSummary(_Dict):
    id: int
    client_id: int
    started_at: dt.datetime
    status: str
    complaint: str
    nrs_before: int | None
    nrs_after: int | None
    therapist_id: int | None


@dataclass(frozen=True)
class FlagDecision(_Dict):
    """A red flag of a session, acknowledged or (with a written reason) overridden."""

    flag: str
    urgency: str
    decision: str
    reason: str
    decided_by: int | None
    decided_at: dt.datetime


@dataclass(frozen=True)
class Session(_Dict):
    """A treatment session (or a client's intake, status ``draft``) with everything in it."""

    _json_fields = frozenset({"symptoms", "causes", "screening", "intake", "painmap", "regions",
                              "strokes", "ranking"})

    id: int
    client_id: int
    practice_id: int
    therapist_id: int | None
    started_at: dt.datetime
    status: str
    complaint: str
    symptoms: list[str]
    causes: list[str]
    screening: list[str]
    intake: dict[str, Any]
    painmap: dict[str, Any] | None
    regions: list[dict[str, Any]]
    chart_version: str | None
    strokes: list[dict[str, Any]] | None
    ranking: dict[str, Any] | None
    kb_version: str | None
    nrs_before: int | None
    nrs_after: int | None
    next_appointment: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime
    findings: list[Finding] = field(default_factory=list)
    treatments: list[Treatment] = field(default_factory=list)
    note: Note | None = None
    handouts: list[Handout] = field(default_factory=list)
    #: Goes up with every change; send it back to write (a stale one is refused).
    version: int = 1
    flag_decisions: list[FlagDecision] = field(default_factory=list)

    @property
    def red_flags(self) -> list[dict[str, Any]]:
        """The red flags of the session's ranking snapshot (id, urgency, message)."""
        return [f for f in ((self.ranking or {}).get("red_flags") or []) if isinstance(f, dict)]

    @property
    def open_flags(self) -> list[str]:
        """IDs of red flags nobody has acknowledged or overridden yet: while any is open, no
        finding or treatment can be recorded."""
        decided = {d.flag for d in self.flag_decisions}
        return [str(f["id"]) for f in self.red_flags if f.get("id") not in decided]


@dataclass(frozen=True)
class IntakeGrant(_Dict):
    """What a valid intake link allows: one draft session for one client."""

    practice_id: int
    client_id: int
    created_by: int
    expires_at: dt.datetime
    session_id: int | None = None


@dataclass(frozen=True)
class IntakeLink(_Dict):
    """An intake link as the therapist sees it in a list: never the token (nor its hash).

    ``state`` is ``open`` (can still be used), ``used``, ``expired`` or ``revoked``."""

    id: int
    client_id: int
    created_by: int
    created_at: dt.datetime
    expires_at: dt.datetime
    used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    state: str


@dataclass(frozen=True)
class WaitingIntake(_Dict):
    """A draft session (a client's intake via a link) waiting for a therapist."""

    session_id: int
    client_id: int
    client_name: str
    started_at: dt.datetime
    complaint: str
    nrs_before: int | None
    #: Screening questions answered yes (IDs of the contract), in the client's order.
    screening: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AccessEntry(_Dict):
    id: int
    at: dt.datetime
    practice_id: int | None
    user_id: int | None
    user_email: str
    on_behalf_of: str
    client_id: int | None
    action: str
    object: str
    detail: str


@dataclass(frozen=True)
class ChainReport(_Dict):
    """Result of verifying the access log. ``bad_id``/``problem`` name the first broken row."""

    ok: bool
    rows: int
    head_hash: str
    bad_id: int | None = None
    problem: str = ""


@dataclass(frozen=True)
class RetentionRow(_Dict):
    client_id: int
    practice_id: int
    last_change: dt.datetime
    retention_until: dt.date
    expired: bool


@dataclass(frozen=True)
class ClientOverview(_Dict):
    """What the client page shows, read in one transaction with one access-log entry: the
    client, one page of sessions (newest first, summary columns only), the consents (oldest
    first) and the intake links (newest first)."""

    client: Client
    sessions: list[SessionSummary]
    total: int
    drafts: int
    consents: list[Consent]
    links: list[IntakeLink]
    #: The client's aftercare links, newest first (never the token).
    aftercare_links: list[AftercareLink] = field(default_factory=list)


@dataclass(frozen=True)
class SessionHistory(_Dict):
    """What the history page shows: the client and its last sessions, oldest first, without
    their ranking snapshots, and how many sessions there are in all."""

    client: Client
    sessions: list[Session]
    total: int
    #: The diary entries from the first of those sessions on, oldest first.
    diary: list[DiaryEntry] = field(default_factory=list)


@dataclass(frozen=True)
class AftercareLink(_Dict):
    """An aftercare link as the therapist sees it: never the token (nor its hash).

    ``state`` is ``open``, ``expired`` (not used for ``idle_days``) or ``revoked``."""

    id: int
    client_id: int
    created_by: int
    created_at: dt.datetime
    idle_days: int
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    expires_at: dt.datetime
    state: str


@dataclass(frozen=True)
class DiaryEntry(_Dict):
    """One pain-diary entry of the client (through an aftercare link)."""

    id: int
    client_id: int
    at: dt.datetime
    nrs: int | None
    exercises_done: bool | None
    much_worse: bool
    strokes: list[Any] | None
    regions: list[Any]
    chart_version: str | None

    @property
    def has_drawing(self) -> bool:
        return bool(self.regions)


@dataclass(frozen=True)
class SessionPage(_Dict):
    """What the session page shows, read in one transaction with one access-log entry: the
    whole session but its ranking snapshot (None; the page ranks live), its client, the treatment consent in force (True given, False withdrawn,
    None never asked), the client's previous session that is not a draft (summary) and the
    diary entries since that one (up to the session's start once it is closed)."""

    session: Session
    client: Client
    treatment_consent: bool | None
    previous: SessionSummary | None
    diary: list[DiaryEntry]


@dataclass(frozen=True)
class AftercareView(_Dict):
    """What one aftercare link shows: the client's first name, the latest session that is not
    a draft (with its findings and treatments, without its ranking snapshot), the client's own
    diary. Nothing else of the client, never another client."""

    link_id: int
    practice_id: int
    client_id: int
    first_name: str
    created_by: int
    session: Session | None
    entries: list[DiaryEntry]
    expires_at: dt.datetime
