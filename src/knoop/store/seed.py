"""``knoop demo seed``: a fictitious practice at scale (100,000 clients, 1,000,000 sessions) whose
sessions look real: a drawn pain map with its painted regions, the ranking snapshot the real
ranker stores for it, palpation findings, treatments, NRS before and after, a SOAP note, the
client's consents and, now and then, an aftercare handout.

Fast: the ranking snapshots come from a pool ranked once (the courses of the demo practice's
clients, each visit fading), serialised and packed once (:mod:`knoop.store.snapshot`), and every table is filled with the driver's
``executemany`` in batches with explicit IDs, one transaction per batch. On PostgreSQL the ID
sequences are moved past the seeded rows afterwards. One access-log entry (``seed``) records it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from knoop.errors import NotFound
from knoop.kb import knowledge_base
from knoop.store import Store
from knoop.store.audit import append
from knoop.store.demo import CLIENTS, DemoResult
from knoop.store.models import (
    ClientRow,
    ConsentRow,
    FindingRow,
    HandoutRow,
    SessionRow,
    TreatmentRow,
)
from knoop.store.rows import retention_date, search_keys
from knoop.store.snapshot import pack

FIRST = ["Anna", "Bram", "Daan", "Emma", "Eva", "Fleur", "Floor", "Hugo", "Iris", "Jan", "Jesse",
         "Julia", "Lars", "Lieke", "Lotte", "Luuk", "Maria", "Mila", "Noah", "Noor", "Olivier",
         "Puck", "Ruben", "Sanne", "Sem", "Sophie", "Thijs", "Tim", "Vera", "Wim", "Yara", "Zoë",
         "Mohammed", "Fatima", "Kees", "Ingrid", "Gerrit", "Annelies", "Bart", "Chantal"]
LAST = [("", "Jansen"), ("de", "Vries"), ("van den", "Berg"), ("van", "Dijk"), ("", "Bakker"),
        ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"), ("", "Mulder"),
        ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"), ("", "Hendriks"),
        ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"), ("", "Dijkstra"),
        ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
        ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
        ("van der", "Veen"), ("", "El Idrissi"), ("", "Yilmaz"), ("", "Öztürk"),
        ("", "Koç"), ("van", "Beek"), ("", "Willems"), ("", "Schouten"), ("", "Hoekstra")]
#: The therapist of the seeded sessions (one per practice; no one logs in with it).
SEED_USER = ("seed-therapeut-{}@schaalpraktijk.test", "Sam Schaal")
#: The first name of the client with the heaviest dossier (``heavy_sessions``).
HEAVY = ("Henk", "van der", "Zwaar")


@dataclass(frozen=True)
class Visit:
    """One visit of a course, ready to insert: JSON already serialised (the ranking packed)."""

    course: int
    painmap: str
    regions: str
    ranking: bytes
    kb_version: str
    nrs_before: int
    findings: Sequence[tuple[str, str, str | None, str, bool | None]]
    treatments: Sequence[tuple[str, str, str, int]]


def _visits() -> list[list[Visit]]:
    """Per course of the demo practice, its visits as they fade: each visit paints one region
    fewer at a lower intensity, ranked by the real ranker (once per process)."""
    from knoop.ranking import default_ranker

    kb = knowledge_base()
    ranker = default_ranker()
    out = []
    for i, c in enumerate(CLIENTS):
        course = []
        for visit in range(len(c["regions"])):
            regions = [dict(r, intensity=max(1, r["intensity"] - visit))
                       for r in c["regions"][:len(c["regions"]) - visit]]
            pm = {"regions": regions, "symptoms": c["symptoms"] if visit == 0 else []}
            ranking = ranker.rank(ranker.parse(pm), "nl").to_dict()
            coverage = [{"region": r["region"], "side": r.get("side"), "fraction": None,
                         "intensity": r["intensity"], "quality": r.get("quality")}
                        for r in regions]
            findings = [(m, side, kb.muscles[m].trigger_points[0].id
                         if result in ("active", "latent") else None, result, recognised)
                        for m, side, result, recognised in c["findings"]]
            course.append(Visit(i, json.dumps({"regions": regions}), json.dumps(coverage),
                                pack(ranking), str(ranking["kb_version"]),
                                c["nrs"][min(visit, len(c["nrs"]) - 1)][0], findings,
                                c["treatments"]))
        out.append(course)
    return out


class _Ids:
    """The next free ID per table (explicit IDs let one batch refer to its own rows)."""

    def __init__(self, conn: Connection) -> None:
        self.next = {m.__tablename__: int(conn.execute(select(func.max(m.id))).scalar() or 0) + 1
                     for m in (ClientRow, ConsentRow, SessionRow, FindingRow, TreatmentRow,
                               HandoutRow)}

    def take(self, table: str) -> int:
        n = self.next[table]
        self.next[table] = n + 1
        return n


COLUMNS = {
    "clients": ("id", "practice_id", "first_name", "infix", "last_name", "date_of_birth",
                "email", "phone", "gp_name", "search_last", "search_first", "search_full",
                "created_at", "last_change", "retention_until", "version"),
    "consents": ("id", "client_id", "kind", "given", "date", "text_version", "taken_by",
                 "created_at"),
    "sessions": ("id", "practice_id", "client_id", "therapist_id", "started_at", "status",
                 "complaint", "symptoms", "causes", "screening", "intake", "painmap", "regions",
                 "chart_version", "kb_version", "nrs_before", "nrs_after", "created_at",
                 "updated_at", "version"),
    "session_rankings": ("session_id", "ranking"),
    "findings": ("id", "session_id", "muscle", "side", "trigger_point", "result",
                 "pain_recognised", "tender_spot", "taut_band", "referral_elicited", "twitch",
                 "note"),
    "treatments": ("id", "session_id", "muscle", "side", "technique", "duration_min",
                   "pressure_tolerance", "note"),
    "notes": ("session_id", "subjective", "objective", "assessment", "plan", "soap_text",
              "updated_at", "updated_by"),
    "handouts": ("id", "session_id", "kind", "language", "muscles", "kb_version", "issued_at",
                 "issued_by"),
}


def _insert(conn: Connection, table: str, rows: list[tuple[Any, ...]]) -> None:
    if not rows:
        return
    cols = COLUMNS[table]
    mark = "?" if conn.dialect.name == "sqlite" else "%s"
    conn.exec_driver_sql(f"INSERT INTO {table} ({', '.join(cols)}) VALUES "
                         f"({', '.join([mark] * len(cols))})", rows)


def seed(store: Store, clients: int, *, sessions_per_client: int = 10,
         practice_name: str = "Schaalpraktijk", batch: int = 1000, rng_seed: int = 7,
         heavy_sessions: int = 0,
         progress: Callable[[int, int], None] | None = None) -> DemoResult:
    """Bulk-insert ``clients`` fictitious clients with ``sessions_per_client`` sessions each
    into ``practice_name`` (made if needed, with a therapist), plus, with ``heavy_sessions``,
    one more client (Henk van der Zwaar) with that many sessions: the largest dossier."""
    rng = random.Random(rng_seed)
    courses = _visits()
    p = store.find_practice(practice_name) or store.create_practice(practice_name, "Amersfoort")
    email = SEED_USER[0].format(p.id)
    try:
        me = store.user_by_email(email)
    except NotFound:
        me = store.create_user(p.id, email, "therapist", f"seed {rng.random()} not for login",
                               name=SEED_USER[1])
    now = store.clock().replace(microsecond=0)
    sqlite = store.engine.dialect.name == "sqlite"

    def when(t: dt.datetime | dt.date) -> Any:
        if not sqlite:
            return t
        return t.strftime("%Y-%m-%d %H:%M:%S.%f") if isinstance(t, dt.datetime) \
            else t.isoformat()

    with store.engine.connect() as conn:
        ids = _Ids(conn)
    plan = [sessions_per_client] * clients + ([heavy_sessions] if heavy_sessions else [])
    done = total_sessions = 0
    while done < len(plan):
        part = plan[done:done + batch]
        rows: dict[str, list[tuple[Any, ...]]] = {t: [] for t in COLUMNS}
        for k, n_sessions in enumerate(part):
            heavy = heavy_sessions and done + k == clients
            first, (infix, last) = ((HEAVY[0], HEAVY[1:]) if heavy
                                    else (rng.choice(FIRST), rng.choice(LAST)))
            born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 65))
            changed = now - dt.timedelta(days=rng.randrange(0, 3650), hours=rng.randrange(24))
            cid = ids.take("clients")
            keys = search_keys(first, infix, last)
            rows["clients"].append((
                cid, p.id, first, infix, last, when(born), "", f"06-{10000000 + cid}", "",
                *keys, when(changed), when(changed), when(retention_date(changed)), 1))
            for kind in ("treatment", "gp_sharing"):
                rows["consents"].append((ids.take("consents"), cid, kind, True,
                                         when(changed.date()), "2026-01", me.id, when(changed)))
            course = courses[rng.randrange(len(courses))]
            demo = CLIENTS[course[0].course]
            for j in range(n_sessions):
                v = course[min(j % 6, len(course) - 1)]  # a new course of visits every 6
                at = changed - dt.timedelta(days=14 * (n_sessions - j), hours=rng.randrange(8))
                before = max(0, min(10, v.nrs_before + rng.randint(-1, 1)))
                after = max(0, before - rng.randint(1, 3))
                sid = ids.take("sessions")
                first_visit = j % 6 == 0
                rows["sessions"].append((
                    sid, p.id, cid, me.id, when(at), "closed",
                    demo["complaint"] if first_visit else "Vervolgafspraak.",
                    json.dumps(demo["symptoms"] if first_visit else []),
                    json.dumps(demo["causes"]), "[]", "{}", v.painmap, v.regions, "1",
                    v.kb_version, before, after, when(at), when(at), 1))
                rows["session_rankings"].append((sid, v.ranking))
                for muscle, side, tp, result, recognised in v.findings:
                    palpable = result in ("active", "latent")
                    rows["findings"].append((ids.take("findings"), sid, muscle, side, tp, result,
                                             recognised, palpable, palpable,
                                             result == "active", False, ""))
                for muscle, side, technique, minutes in v.treatments:
                    rows["treatments"].append((ids.take("treatments"), sid, muscle, side,
                                               technique, minutes, "moderate", ""))
                soap = (f"S: {demo['s'] if first_visit else 'Klachten verminderd.'} "
                        f"Pijn (NRS) bij aanvang: {before}/10.\nA: {demo['a']}\n"
                        f"P: {demo['p']} Pijn (NRS) na behandeling: {after}/10.")
                rows["notes"].append((sid, demo["s"] if first_visit else "", "", demo["a"],
                                      demo["p"], soap, when(at), me.id))
                if first_visit:
                    rows["handouts"].append((
                        ids.take("handouts"), sid, "aftercare", "nl",
                        json.dumps([{"muscle": m, "side": s} for m, s, *_ in v.treatments]),
                        v.kb_version, when(at), me.id))
            total_sessions += n_sessions
        with store.engine.begin() as conn:  # one commit (one fsync) per batch
            for table in COLUMNS:
                _insert(conn, table, rows[table])
        done += len(part)
        if progress:
            progress(min(done, clients), clients)
    with store.engine.begin() as conn:
        if not sqlite:
            for table in ("clients", "consents", "sessions", "findings", "treatments",
                          "handouts"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        conn.exec_driver_sql("ANALYZE")
    # through the store's runner: sealed with the instance's key, anchored
    store._run(lambda s: append(s, at=store.clock(), actor=None, action="seed",
                                obj=f"practice:{p.id}", practice_id=p.id,
                                detail=f"clients={len(plan)}; sessions={total_sessions}"))
    return DemoResult(p.id, True, {}, len(plan), total_sessions)
