"""Handouts and exports: aftercare PDF, dossiers of 50 and 100 sessions, FHIR export of 50.

Targets: aftercare PDF <= 300 ms; dossier of 100 sessions <= 3 s (#14; 50 sessions shown
beside it); FHIR export of 50 sessions <= 500 ms. Runs on a throw-away SQLite file with the
demo practice plus one client with 50 sessions and one with 100 (each session with its own
drawing). Prints median of several runs, warm (as in the running web app: knowledge base,
chart and chart backgrounds loaded) and the first (cold) run, and the CPU time beside the
wall time (the machine is shared). Asserts nothing about time.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher

from knoop.store import Store, make_engine, upgrade
from knoop.store.demo import ADMIN, THERAPIST, load

REGIONS = [("temple", "right"), ("neck_back_upper", "right"), ("occiput_base", "right"),
           ("lumbar_paraspinal", "left"), ("buttock_upper", "left"), ("shoulder_front", "right"),
           ("upper_arm_front", "right"), ("heel", "left"), ("calf_lower", "left")]


def _setup(path: Path) -> tuple[Store, int]:
    store = Store(make_engine(f"sqlite:///{path}"),
                  password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    upgrade(store.engine)
    load(store)
    return store, _client(store, 50)


def _client(store: Store, sessions: int) -> int:
    """A client with ``sessions`` treated sessions, each with its own drawing."""
    me = store.user_by_email(THERAPIST[0]).actor
    c = store.create_client(me, first_name="Bench", last_name=f"Sessies{sessions}",
                            date_of_birth="1970-01-01",
                            consents=[{"kind": "treatment", "text_version": "2026-01"}])
    for i in range(sessions):
        regions = [{"region": r, "side": s, "intensity": 1 + (i + k) % 10}
                   for k, (r, s) in enumerate(REGIONS[i % 4: i % 4 + 3 + i % 3])]
        s = store.create_session(me, c.id, started_at=dt.datetime(2025, 1, 6, 9)
                                 + dt.timedelta(days=7 * i), complaint=f"Bezoek {i + 1}",
                                 causes=["static_posture", "stress"],
                                 painmap={"regions": regions}, nrs_before=7)
        store.add_finding(me, s.id, muscle="trapezius", side="right", result="active",
                          trigger_point="trapezius_upper_front", pain_recognised=True)
        store.add_finding(me, s.id, muscle="quadratus_lumborum", side="left", result="latent")
        store.add_treatment(me, s.id, muscle="trapezius", side="right",
                            technique="ischemic_compression", duration_min=8,
                            pressure_tolerance="moderate")
        store.update_session(me, s.id, nrs_after=4)
        store.set_note(me, s.id, subjective="Hoofdpijn", assessment="Trapezius rechts",
                       plan="Oefenen")
    return c.id


def cold_and_warm(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Seconds of the first call of ``fn`` and the median of ``runs`` calls after it."""
    first = time.perf_counter()
    fn()
    cold = time.perf_counter() - first
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return cold, statistics.median(times)


def cold_and_warm_cpu(fn, runs: int) -> tuple[float, float, float]:  # type: ignore[no-untyped-def]
    """:func:`cold_and_warm` plus the mean CPU seconds of one call (this process)."""
    c0 = time.process_time()
    cold, warm = cold_and_warm(fn, runs)
    return cold, warm, (time.process_time() - c0) / (runs + 1)


def main() -> None:
    from knoop.fhir import fhir_bundle
    from knoop.handouts.aftercare import aftercare_pdf
    from knoop.handouts.dossier import dossier_json, render_dossier
    from knoop.handouts.practice import practice_details

    with tempfile.TemporaryDirectory() as d:
        store, cid = _setup(Path(d) / "bench.sqlite3")
        me = store.user_by_email(THERAPIST[0]).actor
        admin = store.user_by_email(ADMIN[0]).actor
        c0 = time.process_time()
        cold, warm = cold_and_warm(lambda: aftercare_pdf(store, me, 1, record=False), 10)
        cpu = (time.process_time() - c0) / 11  # this process is single-threaded: its CPU time
        print(f"aftercare PDF (session 1, 2 muscles, store read): median {warm * 1000:.0f} ms "
              f"(first {cold * 1000:.0f} ms, no warm-up, nothing cached); mean CPU "
              f"{cpu * 1000:.0f} ms; target <= 300 ms")
        _c, warm_rec = cold_and_warm(lambda: aftercare_pdf(store, me, 1, record=True), 5)
        print(f"aftercare PDF incl. recording the handout: median {warm_rec * 1000:.0f} ms")
        practice = practice_details(store, admin)
        for n, client in ((50, cid), (100, _client(store, 100))):
            data = dossier_json(store, admin, client)
            cold, warm, cpu = cold_and_warm_cpu(
                lambda: render_dossier(data, practice), 3)  # noqa: B023
            _c, jwarm = cold_and_warm(lambda: dossier_json(store, admin, client), 3)  # noqa: B023
            print(f"dossier PDF, {n} sessions ({len(data['access_log'])} log rows): median "
                  f"{warm:.2f} s (first {cold:.2f} s), mean CPU {cpu:.2f} s + JSON/store read "
                  f"{jwarm * 1000:.0f} ms; goal <= 3 s for 100 sessions")
        cold, warm = cold_and_warm(lambda: fhir_bundle(store, admin, client_id=cid, images=False), 5)
        print(f"FHIR bundle, 50 sessions, without PNGs: median {warm * 1000:.0f} ms "
              f"(first {cold * 1000:.0f} ms); target <= 500 ms")
        cold, warm = cold_and_warm(lambda: fhir_bundle(store, admin, client_id=cid), 3)
        print(f"FHIR bundle, 50 sessions, with a PNG per drawn view: median "
              f"{warm * 1000:.0f} ms (first {cold * 1000:.0f} ms)")
        store.close()


if __name__ == "__main__":
    main()
