"""Practice records: the only package that speaks SQL.

    from knoop.store import Store, Actor, upgrade
    store = Store("sqlite:///data/knoop.sqlite3")   # or an Engine, or postgresql+psycopg://...
    upgrade(store.engine)                           # knoop db upgrade
    token, user = store.login("a@b.nl", "secret...", None, "127.0.0.1")
    me = user.actor
    c = store.create_client(me, first_name="Anna", last_name="Jansen")

Every call runs as one transaction, takes an :class:`Actor` when it touches client data, only
sees the actor's practice, and appends to the keyed, hash-chained access log. Results are frozen
dataclasses from :mod:`knoop.store.types`; see ``docs/records.md``.
"""

from __future__ import annotations

from knoop.store.aftercare_links import AftercareLinksMixin
from knoop.store.authentication import AuthenticationMixin
from knoop.store.charting import ChartingMixin
from knoop.store.clients import ClientsMixin
from knoop.store.consents import ConsentsMixin
from knoop.store.diary import DiaryMixin
from knoop.store.engine import make_engine
from knoop.store.exports import ExportsMixin
from knoop.store.intake_links import IntakeLinksMixin
from knoop.store.migrate import current_revision, head_revision, upgrade
from knoop.store.overviews import OverviewsMixin
from knoop.store.retention import RetentionMixin
from knoop.store.sessions import SessionsMixin
from knoop.store.types import (
    AccessEntry,
    Actor,
    AftercareLink,
    AftercareView,
    ChainReport,
    Client,
    ClientMatch,
    ClientOverview,
    ClientSummary,
    Consent,
    DiaryEntry,
    Finding,
    Handout,
    IntakeGrant,
    IntakeLink,
    Note,
    Practice,
    RetentionRow,
    Session,
    SessionHistory,
    SessionSummary,
    Treatment,
    User,
    WaitingIntake,
)


class Store(AuthenticationMixin, IntakeLinksMixin, ClientsMixin, OverviewsMixin,
            ExportsMixin, ConsentsMixin, SessionsMixin, ChartingMixin, RetentionMixin,
            AftercareLinksMixin, DiaryMixin):
    """The records API, one facade over a module per concept: users and authentication, intake
    links, clients, consents, sessions (with their rules), charting, retention and erasure,
    and the access log."""


def open_store(url: str, *, migrate: bool = False) -> Store:
    """A :class:`Store` on ``url``; with ``migrate`` the schema is brought to head first."""
    store = Store(make_engine(url))
    if migrate:
        upgrade(store.engine)
    return store


__all__ = [
    "AccessEntry", "Actor", "AftercareLink", "AftercareView", "ChainReport", "Client",
    "ClientMatch", "ClientOverview", "ClientSummary", "Consent", "DiaryEntry", "Finding",
    "Handout", "IntakeGrant", "IntakeLink", "Note", "Practice", "RetentionRow", "Session",
    "SessionHistory", "SessionSummary", "Store", "Treatment", "User", "WaitingIntake",
    "current_revision", "head_revision", "make_engine", "open_store", "upgrade",
]
