"""The aftercare page and pain diary: the client's phone page, a diary entry, and the
therapist's history and next session with a long diary.

Targets: phone page <= 300 ms; diary entry <= 100 ms; history with 12 sessions and 200 diary
entries <= 500 ms. A throw-away SQLite file with the demo practice plus one client with 12
treated sessions and 200 diary entries (every 10th with a drawing). In-process (TestClient), so
the figures include routing, the store with its access-log appends, and rendering, not the
network. Prints medians of several warm runs and the first (cold) run.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from bench_handouts import cold_and_warm

from knoop.store import Store, make_engine, upgrade
from knoop.store.demo import THERAPIST, load

T0 = dt.datetime(2026, 1, 5, 9, 0)


def _setup(path: Path, now: list[dt.datetime]) -> tuple[Store, int, str, int]:
    store = Store(make_engine(f"sqlite:///{path}"), clock=lambda: now[0],
                  password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    upgrade(store.engine)
    load(store)
    me = store.user_by_email(THERAPIST[0]).actor
    c = store.create_client(me, first_name="Bench", last_name="Dagboek",
                            date_of_birth="1970-01-01")
    store.record_consent(me, c.id, "treatment", True, "2026-12")  # no session without it
    store.record_consent(me, c.id, "aftercare", True, "2026-12")
    token = store.create_aftercare_link(me, c.id, idle_days=90)
    last = 0
    for i in range(12):
        now[0] = T0 + dt.timedelta(days=14 * i)
        s = store.create_session(me, c.id, started_at=now[0], nrs_before=7, painmap={
            "regions": [{"region": "neck_back_upper", "side": "right", "intensity": 6}]})
        store.add_treatment(me, s.id, muscle="trapezius", side="right",
                            technique="ischemic_compression", duration_min=8)
        store.add_treatment(me, s.id, muscle="levator_scapulae", side="right",
                            technique="stretching")
        store.update_session(me, s.id, nrs_after=4)
        store.set_status(me, s.id, "closed")
        last = s.id
        for k in range(17 if i < 11 else 13):
            now[0] = T0 + dt.timedelta(days=14 * i, hours=10 + 18 * k)
            drawing = ({"regions": [{"region": "neck_back_upper", "side": "right",
                                     "intensity": 5}]} if k % 10 == 0 else None)
            store.add_diary_entry(token, nrs=(i + k) % 11, exercises_done=k % 2 == 0,
                                  much_worse=k == 16, drawing=drawing)
    now[0] = T0 + dt.timedelta(days=14 * 12)
    nxt = store.create_session(me, c.id, status="open")
    del last
    return store, c.id, token, nxt.id


def main() -> None:
    from fastapi.testclient import TestClient

    from knoop.store import aftercare_links
    from knoop.web.app import create_app

    aftercare_links.LINK_LIMIT = 10**6  # the benchmark is one heavy user of one link
    now = [T0]
    with tempfile.TemporaryDirectory() as d:
        store, cid, token, nxt = _setup(Path(d) / "bench.sqlite3", now)
        app = create_app(store, secret_key=b"bench-secret-key-0123456789abcdef",
                         cookie_secure="off")
        phone = TestClient(app)
        url = f"/nazorg/{token}"
        cold, warm = cold_and_warm(lambda: phone.get(url).raise_for_status(), 10)
        print(f"aftercare page (2 muscles, 30 diary rows shown): median {warm * 1000:.0f} ms "
              f"(first {cold * 1000:.0f} ms); target <= 300 ms")
        csrf = re.search(r'name="csrf" value="([^"]+)"', phone.get(url).text)
        assert csrf
        form = {"nrs": "4", "exercises": "yes", "csrf": csrf.group(1)}
        _c, warm = cold_and_warm(lambda: phone.post(url, data=form, follow_redirects=False), 10)
        print(f"diary entry (form post, access log, redirect): median {warm * 1000:.0f} ms; "
              f"target <= 100 ms")
        tc = TestClient(app)
        page = tc.get("/inloggen").text
        m = re.search(r'name="csrf" value="([^"]+)"', page)
        assert m
        r = tc.post("/inloggen", data={"email": THERAPIST[0], "password": THERAPIST[2],
                                       "csrf": m.group(1)}, follow_redirects=False)
        assert r.status_code == 303, r.text[:300]
        n = len(store.diary_entries(store.user_by_email(THERAPIST[0]).actor, cid))
        hist = f"/clienten/{cid}/verloop"
        assert "diary-point" in tc.get(hist).text
        cold, warm = cold_and_warm(lambda: tc.get(hist).raise_for_status(), 5)
        print(f"history, 12 sessions + {n} diary entries: median {warm * 1000:.0f} ms "
              f"(first {cold * 1000:.0f} ms); target <= 500 ms")
        _c, warm = cold_and_warm(lambda: tc.get(f"/sessies/{nxt}").raise_for_status(), 5)
        print(f"next session page with the diary note: median {warm * 1000:.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
