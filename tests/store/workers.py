"""Subprocess workers for the concurrency, crash and scale-out tests (run as a script)."""

from __future__ import annotations

import datetime as dt
import json
import sys

from storekit import AUDIT_KEY

from knoop.store import Actor, Store


def write(url: str, practice: int, user: int, client: int, n: int, tag: str) -> None:
    store = Store(url, audit_key=AUDIT_KEY)
    me = Actor(user, practice, "therapist", f"worker-{tag}@knoop.test")
    for i in range(n):
        try:
            s = store.create_session(me, client, request_id=f"{tag}-{i}", rank=False,
                                     complaint=f"burst {tag} {i}", nrs_before=i % 11)
            print(s.id, flush=True)
        except Exception as exc:  # noqa: BLE001 - reported to the parent
            print("ERR " + str(exc).replace("\n", " ")[:200], flush=True)


def login(url: str, email: str, password: str) -> None:
    from argon2 import PasswordHasher
    store = Store(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024,
                                                      parallelism=1))
    token, user = store.login(email, password, None, "192.0.2.1")
    intake = store.create_intake_token(user.actor, int(sys.argv[5]), dt.timedelta(hours=1))
    print(json.dumps({"token": token, "intake": intake}), flush=True)


def check(url: str, token: str, intake: str) -> None:
    store = Store(url, audit_key=AUDIT_KEY)
    user = store.user_for_token(token)
    grant = store.use_intake_token(intake, {"complaint": "via link"})
    print(json.dumps({"email": user.email if user else None, "session": grant.session_id}),
          flush=True)


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    if cmd == "write":
        write(args[0], int(args[1]), int(args[2]), int(args[3]), int(args[4]), args[5])
    elif cmd == "login":
        login(args[0], args[1], args[2])
    elif cmd == "check":
        check(args[0], args[1], args[2])
