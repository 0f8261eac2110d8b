"""Demo data: ``knoop demo load`` (a small realistic practice); the courses of its clients
are also what ``knoop demo seed`` (:mod:`knoop.store.seed`) repeats at scale.

Everything here is fictitious. The demo passwords are printed once, when the users are made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypedDict

from knoop.kb import knowledge_base
from knoop.store import Store
from knoop.store import validate as v

PRACTICE = "Praktijk De Knoop"
CITY = "Utrecht"
ADMIN = ("admin@praktijkdeknoop.nl", "Marieke Jansen", "demo-admin-knoop")
THERAPIST = ("therapeut@praktijkdeknoop.nl", "Joris de Wit", "demo-therapeut-knoop")
#: The demo practice's details (fictitious), as its admin keeps them on /praktijk.
DETAILS = {"address": "Oudegracht 100", "postcode": "3511 AX", "phone": "030-1234567",
           "email": "info@praktijkdeknoop.nl", "website": "www.praktijkdeknoop.nl"}


@dataclass(frozen=True)
class DemoResult:
    practice_id: int
    created: bool
    passwords: dict[str, str]
    clients: int
    sessions: int


def _r(region: str, side: str | None, intensity: int,
       quality: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {"region": region, "intensity": intensity}
    if side:
        d["side"] = side
    if quality:
        d["quality"] = quality
    return d


class DemoClient(TypedDict):
    """One demo client and the course of their visits."""

    first: str
    infix: str
    last: str
    born: str  # ISO date
    gp: str
    complaint: str
    symptoms: list[str]
    causes: list[str]
    regions: list[dict[str, Any]]  # painmap regions of the first visit (see _r); fewer later
    findings: list[tuple[str, str, str, bool | None]]  # (muscle, side, result, recognised)
    treatments: list[tuple[str, str, str, int]]  # (muscle, side, technique, minutes)
    nrs: list[tuple[int, int]]  # (before, after) per visit
    s: str  # SOAP: subjective, assessment, plan of the first visit
    a: str
    p: str


CLIENTS: list[DemoClient] = [
    dict(first="Anna", infix="de", last="Vries", born="1978-04-12", gp="Huisartsenpraktijk "
         "Lombok", complaint="Spanningshoofdpijn rechts, vooral aan het eind van de werkdag "
         "achter de laptop.", symptoms=["stiff_neck"], causes=["static_posture", "stress"],
         regions=[_r("temple", "right", 7, "aching"), _r("neck_back_upper", "right", 6),
                  _r("occiput_base", "right", 5), _r("eyebrow", "right", 4)],
         findings=[("trapezius", "right", "active", True), ("sternocleidomastoid", "right",
                   "latent", False), ("temporalis", "right", "none_found", None)],
         treatments=[("trapezius", "right", "ischemic_compression", 8),
                     ("sternocleidomastoid", "right", "manual_release", 5)],
         nrs=[(7, 4), (5, 3), (3, 2)],
         s="Hoofdpijn rechts slaap, 4 dagen per week, erger bij beeldschermwerk.",
         a="Myofasciale pijn bovenste trapezius rechts, herkenbare hoofdpijn.",
         p="Werkplekadvies, pauzes elk uur, zelfmassage met bal."),
    dict(first="Pieter", infix="", last="Bakker", born="1965-09-03", gp="Gezondheidscentrum "
         "Overvecht", complaint="Lage rugpijn links sinds het verhuizen, uitstralend naar de "
         "bil.", symptoms=["trouble_rising"], causes=["sudden_overload"],
         regions=[_r("lumbar_paraspinal", "left", 8, "aching"), _r("buttock_upper", "left", 6),
                  _r("iliac_crest", "left", 5), _r("sacroiliac", "left", 5)],
         findings=[("quadratus_lumborum", "left", "active", True),
                   ("gluteus_medius", "left", "active", True),
                   ("iliopsoas", "left", "not_examined", None)],
         treatments=[("quadratus_lumborum", "left", "ischemic_compression", 10),
                     ("gluteus_medius", "left", "dry_needling", 5)],
         nrs=[(8, 5), (6, 4), (4, 2), (2, 1)],
         s="Pijn bij opstaan uit stoel en omdraaien in bed.",
         a="Actieve triggerpunten quadratus lumborum en gluteus medius links.",
         p="Rekoefening QL, tennisbal gluteus, opbouw wandelen."),
    dict(first="Fatima", infix="", last="El Amrani", born="1990-01-27", gp="Huisartsen "
         "Leidsche Rijn", complaint="Schouderpijn rechts voorzijde bij het optillen van haar "
         "dochter.", symptoms=["restricted_shoulder"], causes=["repetitive_overload"],
         regions=[_r("shoulder_front", "right", 6), _r("upper_arm_front", "right", 5),
                  _r("shoulder_lateral", "right", 4)],
         findings=[("infraspinatus", "right", "active", True),
                   ("supraspinatus", "right", "latent", False)],
         treatments=[("infraspinatus", "right", "ischemic_compression", 6),
                     ("infraspinatus", "right", "stretching", 5)],
         nrs=[(6, 3), (3, 1)],
         s="Diepe pijn voorkant schouder, slaapt slecht op rechterzij.",
         a="Infraspinatus rechts met herkenbare pijn.",
         p="Zelfmassage tegen de muur met bal, 2x per dag."),
    dict(first="Henk", infix="van den", last="Berg", born="1952-06-30", gp="Huisartsenpraktijk "
         "Zuilen", complaint="Hielpijn links 's ochtends bij de eerste stappen, loopt veel met "
         "de hond.", symptoms=["night_calf_cramps"], causes=["repetitive_overload"],
         regions=[_r("heel", "left", 7, "stabbing"), _r("arch", "left", 5),
                  _r("calf_lower", "left", 4)],
         findings=[("soleus", "left", "active", True), ("gastrocnemius", "left", "latent",
                   False), ("quadratus_plantae", "left", "active", True)],
         treatments=[("soleus", "left", "manual_release", 8),
                     ("quadratus_plantae", "left", "ischemic_compression", 4)],
         nrs=[(7, 5), (5, 3), (4, 2)],
         s="Startpijn hiel links, kuitkrampen 's nachts.",
         a="Soleus en quadratus plantae links actief.",
         p="Kuitrek 3x30 s, rollen over bal onder de voet, schoenadvies."),
    dict(first="Sanne", infix="", last="Visser", born="1985-11-15", gp="Huisartsenpraktijk "
         "Wittevrouwen", complaint="Pijn buitenkant elleboog rechts na lange dagen "
         "muisgebruik.", symptoms=["weak_grip"], causes=["repetitive_overload",
                                                         "static_posture"],
         regions=[_r("elbow_lateral", "right", 6, "aching"),
                  _r("forearm_dorsal_radial", "right", 5), _r("hand_dorsum", "right", 3)],
         findings=[("extensor_carpi_radialis_longus", "right", "active", True),
                   ("supinator", "right", "active", True),
                   ("brachioradialis", "right", "latent", False)],
         treatments=[("extensor_carpi_radialis_longus", "right", "ischemic_compression", 6),
                     ("supinator", "right", "manual_release", 4)],
         nrs=[(6, 4), (4, 2), (2, 1)],
         s="Pijn bij koffiekan tillen en muisgebruik.",
         a="Extensoren onderarm rechts en supinator met herkenbare pijn.",
         p="Muis wisselen, rek polsstrekkers, ijs na werk."),
]


def load(store: Store, *, now: dt.datetime | None = None) -> DemoResult:
    """Load the demo practice; does nothing when it is already there.

    Dates are laid out backwards from ``now`` (default: the store's clock), so a store with a
    fixed clock gives the same demo practice every time."""
    existing = store.find_practice(PRACTICE)
    if existing is not None:
        return DemoResult(existing.id, False, {}, 0, 0)
    now = now or store.clock()
    kb = knowledge_base()
    practice = store.create_practice(PRACTICE, CITY, **DETAILS)
    store.create_user(practice.id, ADMIN[0], "admin", ADMIN[2], name=ADMIN[1])
    ther = store.create_user(practice.id, THERAPIST[0], "therapist", THERAPIST[2],
                             name=THERAPIST[1])
    me = ther.actor
    n_sessions = 0
    for i, c in enumerate(CLIENTS):
        email = f"{v.normalise(c['first'])}.{v.normalise(c['last']).replace(' ', '')}" \
                "@voorbeeld.nl"
        client = store.create_client(me, first_name=c["first"], infix=c["infix"],
                                     last_name=c["last"], date_of_birth=c["born"], email=email,
                                     phone=f"06-{12345670 + i}", gp_name=c["gp"])
        first_visit = now - dt.timedelta(weeks=2 * len(c["nrs"]) + i)
        for kind in ("treatment", "gp_sharing"):
            store.record_consent(me, client.id, kind, True, "2026-01",
                                 date=first_visit.date())
        store.record_consent(me, client.id, "research", i % 2 == 0, "2026-01",
                             date=first_visit.date())
        for visit, (before, after) in enumerate(c["nrs"]):
            when = (first_visit + dt.timedelta(weeks=2 * visit)).replace(
                hour=9 + visit + i % 3, minute=0, second=0, microsecond=0)
            fade = max(1, visit)
            regions = [dict(r, intensity=max(1, r["intensity"] - 2 * visit // fade))
                       for r in c["regions"][:max(1, len(c["regions"]) - visit)]]
            sess = store.create_session(
                me, client.id, started_at=when, complaint=c["complaint"] if visit == 0
                else "Vervolgafspraak.", symptoms=c["symptoms"] if visit == 0 else [],
                causes=c["causes"], painmap={"regions": regions}, nrs_before=before,
                intake={"duration_weeks": 6 + i, "medication": "paracetamol zo nodig"}
                if visit == 0 else {})
            for muscle, side, result, recognised in c["findings"]:
                tp = kb.muscles[muscle].trigger_points[0].id if result in ("active",
                                                                           "latent") else None
                store.add_finding(me, sess.id, muscle=muscle, side=side, result=result,
                                  trigger_point=tp, pain_recognised=recognised,
                                  tender_spot=result in ("active", "latent"),
                                  taut_band=result in ("active", "latent"),
                                  referral_elicited=result == "active", twitch=False)
            for muscle, side, technique, minutes in c["treatments"]:
                store.add_treatment(me, sess.id, muscle=muscle, side=side, technique=technique,
                                    duration_min=minutes, pressure_tolerance="moderate")
            last = visit == len(c["nrs"]) - 1
            store.update_session(me, sess.id, nrs_after=after,
                                 next_appointment=None if last else
                                 when + dt.timedelta(weeks=2))
            store.set_note(me, sess.id, subjective=c["s"] if visit == 0 else
                           f"Klachten verminderd (NRS {before}).", objective="",
                           assessment=c["a"], plan=c["p"] if not last else
                           "Afgesloten; terugkomen bij terugval.")
            store.issue_handout(me, sess.id, kind="aftercare", language="nl",
                                muscles=[{"muscle": m, "side": s}
                                         for m, s, *_ in c["treatments"]])
            store.set_status(me, sess.id, "closed")
            n_sessions += 1
    return DemoResult(practice.id, True, {ADMIN[0]: ADMIN[2], THERAPIST[0]: THERAPIST[2]},
                      len(CLIENTS), n_sessions)
