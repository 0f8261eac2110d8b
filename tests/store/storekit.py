"""Shared test helpers for the store tests (imported by conftest and test modules)."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from knoop.store import Actor, Client, Store

FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"
#: The access-log key of the test stores (the instance key, kept outside the database).
AUDIT_KEY = b"test-audit-key-0123456789abcdef0123456789"

#: The client's treatment consent (no treatment without it).
TREATMENT_CONSENT = {"kind": "treatment", "text_version": "2026-01", "date": "2026-01-05"}


@dataclass
class World:
    """Two practices: the owner therapist, a colleague and an admin in A; an outsider in B."""

    store: Store
    owner: Actor
    colleague: Actor
    admin: Actor
    outsider: Actor
    client: Client
    practice_a: int
    practice_b: int


def make_world(store: Store) -> World:
    a = store.create_practice("Praktijk De Knoop", "Utrecht")
    b = store.create_practice("Praktijk Elders", "Zwolle")
    owner = store.create_user(a.id, "owner@knoop.test", "therapist", PASSWORD)
    colleague = store.create_user(a.id, "colleague@knoop.test", "therapist", PASSWORD)
    admin = store.create_user(a.id, "admin@knoop.test", "admin", PASSWORD)
    outsider = store.create_user(b.id, "outsider@elders.test", "therapist", PASSWORD)
    client = store.create_client(owner.actor, first_name="Anna", infix="de", last_name="Vries",
                                 date_of_birth="1978-04-12",
                                 consents=[TREATMENT_CONSENT])
    return World(store, owner.actor, colleague.actor, admin.actor, outsider.actor, client,
                 a.id, b.id)


HEADACHE = {"regions": [{"region": "temple", "side": "right", "intensity": 7},
                        {"region": "neck_back_upper", "side": "right", "intensity": 5}]}


def count_rows(store: Store, table: type) -> int:
    """How many rows ``table`` holds (all practices)."""
    from sqlalchemy import func, select

    with store.engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(table)) or 0)
