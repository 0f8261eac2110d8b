"""SQLAlchemy tables. Internal to :mod:`knoop.store`: nothing outside the store sees these.

All timestamps are UTC, stored without a zone. Every client-data table carries (or reaches
through its parent) ``practice_id``, the tenant key every query filters on.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from knoop.store.snapshot import PackedJSON
from knoop.vocabulary import RESULTS, SIDES, TECHNIQUES

ROLES = ("therapist", "admin")
CONSENT_KINDS = ("treatment", "gp_sharing", "photos", "research", "aftercare")
SESSION_STATUSES = ("draft", "open", "closed")

#: A name column sorted by code point on PostgreSQL too, so a range scan is a prefix search.
SearchText = String(300).with_variant(String(300, collation="C"), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")


def _in(col: str, values: tuple[str, ...]) -> str:
    return f"{col} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class PracticeRow(Base):
    __tablename__ = "practices"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    address: Mapped[str] = mapped_column(String(300), default="", server_default="")
    postcode: Mapped[str] = mapped_column(String(10), default="", server_default="")
    #: The practice's AGB code (Vektis, 8 digits).
    agb_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    #: Other registration numbers (KvK, professional association), free text.
    registration: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    email: Mapped[str] = mapped_column(String(254), default="", server_default="")
    website: Mapped[str] = mapped_column(String(200), default="", server_default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class InstallationRow(Base):
    """At most one row: written by the browser's first start, so a second one is refused."""

    __tablename__ = "installation"
    __table_args__ = (CheckConstraint("id = 1", name="ck_installation_one_row"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    set_up_at: Mapped[dt.datetime] = mapped_column(DateTime)


class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="ck_users_role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    #: Encrypted with the instance key (``v1:...``); plain base32 in rows of before 0.3.
    totp_secret: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: The TOTP time step of the last code accepted: a code is accepted once.
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginAttemptRow(Base):
    """Failed logins, counted per e-mail and IP for throttling (kept in the DB, not in memory)."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_email_ip_at", "email", "ip", "at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime)


class LoginThrottleRow(Base):
    """Failed logins per key (``user:<e-mail>``, ``ip:<address>``), counted under a row lock."""

    __tablename__ = "login_throttle"
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class LoginPendingRow(Base):
    """The password step of a two-step login, waiting for the TOTP code (token as sha256)."""

    __tablename__ = "login_pending"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)


class ErasureRow(Base):
    """The erasure register: which client was erased when, with the free-text reason kept out
    of the permanent access log. A restore re-applies it."""

    __tablename__ = "erasures"
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(Integer)
    client_id: Mapped[int] = mapped_column(Integer, index=True)
    erased_at: Mapped[dt.datetime] = mapped_column(DateTime)
    erased_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    code: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(String(500), default="")


class LoginSessionRow(Base):
    __tablename__ = "login_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    ip: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: Last request seen, for the idle timeout (updated at most once a minute).
    last_seen: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class ClientRow(Base):
    __tablename__ = "clients"
    __table_args__ = (
        Index("ix_clients_practice_search_last", "practice_id", "search_last"),
        Index("ix_clients_practice_search_first", "practice_id", "search_first"),
        Index("ix_clients_practice_search_full", "practice_id", "search_full"),
        Index("ix_clients_retention", "retention_until"),
        Index("ix_clients_practice_id", "practice_id", "id"),
        Index("uq_clients_request", "practice_id", "request_id", unique=True),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    #: idempotency key of the new-client form (a retry returns the client already stored)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    first_name: Mapped[str] = mapped_column(String(100))
    infix: Mapped[str] = mapped_column(String(30), default="")
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    gp_name: Mapped[str] = mapped_column(String(200), default="")
    search_last: Mapped[str] = mapped_column(SearchText)
    search_first: Mapped[str] = mapped_column(SearchText)
    search_full: Mapped[str] = mapped_column(SearchText)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_change: Mapped[dt.datetime] = mapped_column(DateTime)
    retention_until: Mapped[dt.date] = mapped_column(Date)
    #: Goes up by one with every change to the client record (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ConsentRow(Base):
    __tablename__ = "consents"
    __table_args__ = (CheckConstraint(_in("kind", CONSENT_KINDS), name="ck_consents_kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    kind: Mapped[str] = mapped_column(String(20))
    given: Mapped[bool] = mapped_column(Boolean)
    date: Mapped[dt.date] = mapped_column(Date)
    text_version: Mapped[str] = mapped_column(String(40))
    taken_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)


class SessionRow(Base):
    __tablename__ = "sessions"
    __table_args__ = (
        CheckConstraint(_in("status", SESSION_STATUSES), name="ck_sessions_status"),
        CheckConstraint("nrs_before IS NULL OR (nrs_before BETWEEN 0 AND 10)",
                        name="ck_sessions_nrs_before"),
        CheckConstraint("nrs_after IS NULL OR (nrs_after BETWEEN 0 AND 10)",
                        name="ck_sessions_nrs_after"),
        Index("ix_sessions_client_started", "client_id", "started_at"),
        #: the summary columns, read from the index alone (migration 0008)
        Index("ix_sessions_client_summary", "client_id", "started_at", "id", "practice_id",
              "status", "nrs_before", "nrs_after", "therapist_id", "next_appointment",
              "kb_version"),
        Index("ix_sessions_practice_status", "practice_id", "status", "started_at"),
        UniqueConstraint("practice_id", "request_id", name="uq_sessions_request"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    therapist_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(10))
    complaint: Mapped[str] = mapped_column(Text, default="")
    symptoms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    causes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    screening: Mapped[list[Any]] = mapped_column(JSON, default=list)
    intake: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    painmap: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    chart_version: Mapped[str | None] = mapped_column(String(20), nullable=True)
    strokes: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    kb_version: Mapped[str | None] = mapped_column(String(20), nullable=True)
    nrs_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    nrs_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    next_appointment: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: Goes up by one with every change to the session or its parts (optimistic locking).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class SessionRankingRow(Base):
    """A session's ranking snapshot (6-35 kB of JSON, stored packed), apart from the session
    row so that lists and exports scanning ``sessions`` never read it (migration 0010)."""

    __tablename__ = "session_rankings"
    session_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    ranking: Mapped[dict[str, Any]] = mapped_column(PackedJSON)


class FlagDecisionRow(Base):
    """A therapist's decision on a red flag of a session: ``acknowledged`` (read, will refer or
    act on it) or ``overridden`` (treating anyway, with the written ``reason``)."""

    __tablename__ = "flag_decisions"
    __table_args__ = (
        CheckConstraint(_in("decision", ("acknowledged", "overridden")),
                        name="ck_flag_decisions_decision"),
        UniqueConstraint("session_id", "flag", name="uq_flag_decisions_session_flag"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    flag: Mapped[str] = mapped_column(String(64))
    urgency: Mapped[str] = mapped_column(String(20))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[dt.datetime] = mapped_column(DateTime)


class FindingRow(Base):
    __tablename__ = "findings"
    __table_args__ = (CheckConstraint(_in("result", RESULTS), name="ck_findings_result"),
                      CheckConstraint(_in("side", SIDES), name="ck_findings_side"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    muscle: Mapped[str] = mapped_column(String(60))
    side: Mapped[str] = mapped_column(String(5))
    trigger_point: Mapped[str | None] = mapped_column(String(80), nullable=True)
    result: Mapped[str] = mapped_column(String(15))
    pain_recognised: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    tender_spot: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    taut_band: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    referral_elicited: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    twitch: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class TreatmentRow(Base):
    __tablename__ = "treatments"
    __table_args__ = (
        CheckConstraint(_in("technique", TECHNIQUES), name="ck_treatments_technique"),
        CheckConstraint(_in("side", SIDES), name="ck_treatments_side"),
        CheckConstraint("duration_min IS NULL OR (duration_min BETWEEN 0 AND 240)",
                        name="ck_treatments_duration"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    muscle: Mapped[str] = mapped_column(String(60))
    side: Mapped[str] = mapped_column(String(5))
    technique: Mapped[str] = mapped_column(String(30))
    duration_min: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pressure_tolerance: Mapped[str | None] = mapped_column(String(10), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class NoteRow(Base):
    __tablename__ = "notes"
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    subjective: Mapped[str] = mapped_column(Text, default="")
    objective: Mapped[str] = mapped_column(Text, default="")
    assessment: Mapped[str] = mapped_column(Text, default="")
    plan: Mapped[str] = mapped_column(Text, default="")
    soap_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class HandoutRow(Base):
    __tablename__ = "handouts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(40))
    language: Mapped[str] = mapped_column(String(5))
    muscles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    kb_version: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[dt.datetime] = mapped_column(DateTime)
    issued_by: Mapped[int] = mapped_column(ForeignKey("users.id"))


class IntakeTokenRow(Base):
    """A one-time intake link. ``id`` names it in the therapist's pages (list, revoke); the
    token itself is never stored, only its sha256."""

    __tablename__ = "intake_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_intake_tokens_token_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class AftercareLinkRow(Base):
    """The client's own aftercare page and pain diary (``/nazorg/{token}``). Like an intake
    link the token is never stored, only its sha256; unlike it, it works many times, until it
    is revoked or has not been used for ``idle_days``."""

    __tablename__ = "aftercare_links"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_aftercare_links_token_hash"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"),
                                           index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    idle_days: Mapped[int] = mapped_column(Integer)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class DiaryEntryRow(Base):
    """One pain-diary entry written by the client through an aftercare link."""

    __tablename__ = "diary_entries"
    __table_args__ = (
        CheckConstraint("nrs IS NULL OR (nrs BETWEEN 0 AND 10)", name="ck_diary_entries_nrs"),
        Index("ix_diary_entries_client_at", "client_id", "at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practices.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    link_id: Mapped[int | None] = mapped_column(
        ForeignKey("aftercare_links.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    #: Pain now 0-10; None only for a one-tap "much worse".
    nrs: Mapped[int | None] = mapped_column(Integer, nullable=True)
    exercises_done: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    much_worse: Mapped[bool] = mapped_column(Boolean, default=False)
    strokes: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    regions: Mapped[list[Any]] = mapped_column(JSON, default=list)
    chart_version: Mapped[str | None] = mapped_column(String(20), nullable=True)


class AccessLogRow(Base):
    """NEN 7513-style access log: append-only, each row chained to the previous by sha256.

    No foreign keys: entries outlive erased clients and removed users."""

    __tablename__ = "access_log"
    __table_args__ = (Index("ix_access_log_client", "client_id", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    practice_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    user_email: Mapped[str] = mapped_column(String(254), default="")
    on_behalf_of: Mapped[str] = mapped_column(String(200), default="")
    client_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    action: Mapped[str] = mapped_column(String(30))
    object: Mapped[str] = mapped_column(String(100), default="")
    detail: Mapped[str] = mapped_column(String(300), default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    #: Fingerprint of the HMAC key that sealed the row; NULL for the unkeyed rows of before 0.3.
    key_id: Mapped[str | None] = mapped_column(String(16), nullable=True)


class AccessLogHeadRow(Base):
    """One row: the last entry's id and hash. Locked to serialise appends; also catches a
    deleted tail."""

    __tablename__ = "access_log_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_id: Mapped[int] = mapped_column(BigId)
    last_hash: Mapped[str] = mapped_column(String(64))
