"""A client's (or one session's) dossier as a FHIR R4 Bundle of type ``collection``.

Resources: Patient; Encounter per session; NRS before/after as Observation (SNOMED 225908003
as zib PainScore + LOINC 72514-3, method Nictiz NRS); the pain drawing as an Observation with a
member Observation per painted region (local region code system, laterality per zib2020) and
the drawing attached through Media (PNG per view) and DocumentReference (strokes and pain map
JSON) in ``derivedFrom`` (R4 has no ``valueAttachment``); trigger-point findings as Observation
(local codes, the muscle as body site: local muscle code plus SNOMED where verified);
treatments as Procedure; consents as Consent; the access log as AuditEvent (admins only).

Every code used is listed in ``docs/fhir.md``; no SNOMED code that ``shared/codes.md`` does not
mark verified.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from typing import TYPE_CHECKING, Any

from knoop.errors import BadInput
from knoop.fhir.codes import (
    ACCESS_ACTION,
    CONSENT_SCOPE,
    CRITERIA,
    ENCOUNTER_STATUS,
    RESULT_TEXT,
    SNOMED,
    Systems,
    base_of,
    codeable,
    instant,
    muscle_site,
    pain_score,
    region_site,
    stable_uuid,
)
from knoop.fhir.note import composition
from knoop.fhir.parties import organization, practitioner
from knoop.fhir.reading import findings_from_bundle, validate_bundle
from knoop.kb import KB_VERSION, knowledge_base
from knoop.store import Actor, Store
from knoop.vocabulary import QUALITY_WORDS, TECHNIQUE_WORDS, TOLERANCE_WORDS, word

if TYPE_CHECKING:
    from knoop.handouts.practice import PracticeDetails

__all__ = ["fhir_bundle", "findings_from_bundle", "validate_bundle"]

#: Dutch words of the finding criteria (the local code system's displays).
CRITERION_WORDS = {"pain_recognised": "herkenbare pijn", "tender_spot": "drukpijnlijk punt",
                   "taut_band": "strakke streng", "referral_elicited": "uitstraling opgewekt",
                   "twitch": "twitch-respons"}
CONSENT_WORDS = {"treatment": "behandeling", "gp_sharing": "delen met de huisarts",
                 "photos": "foto's", "research": "onderzoek"}


class _Builder:
    def __init__(self, data: dict[str, Any], practice: dict[str, Any], images: bool,
                 cs: Systems) -> None:
        self.entries: list[dict[str, Any]] = []
        self.data = data
        self.practice = practice
        self.images = images
        self.cs = cs
        self.client_id = data["client"]["id"]
        self.patient_ref = stable_uuid("patient", practice["id"], self.client_id)
        self.org_ref = ""
        self.practitioners: dict[int, str] = {}  # user ID -> fullUrl

    def add(self, full_url: str, resource: dict[str, Any]) -> None:
        resource["id"] = full_url.rsplit(":", 1)[1]
        self.entries.append({"fullUrl": full_url, "resource": resource})

    def patient(self) -> None:
        c = self.data["client"]
        family = " ".join(p for p in (c["infix"], c["last_name"]) if p)
        res: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [{"system": self.cs.ns("client"), "value": f"{self.practice['id']}-{c['id']}"}],
            "name": [{"use": "official", "family": family, "given": [c["first_name"]],
                      "text": " ".join(p for p in (c["first_name"], family) if p)}],
        }
        if c["infix"]:  # zib NameInformation: the prefix ("voorvoegsel") of the own name
            res["name"][0]["_family"] = {"extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/humanname-own-prefix",
                 "valueString": c["infix"]},
                {"url": "http://hl7.org/fhir/StructureDefinition/humanname-own-name",
                 "valueString": c["last_name"]}]}
        if c["date_of_birth"]:
            res["birthDate"] = c["date_of_birth"]
        telecom = []
        if c["email"]:
            telecom.append({"system": "email", "value": c["email"]})
        if c["phone"]:
            telecom.append({"system": "phone", "value": c["phone"]})
        if telecom:
            res["telecom"] = telecom
        if c["gp_name"]:
            res["generalPractitioner"] = [{"display": c["gp_name"]}]
        self.add(self.patient_ref, res)

    def session(self, s: dict[str, Any]) -> None:
        enc = stable_uuid("encounter", s["id"])
        start = instant(s["started_at"])
        resource: dict[str, Any] = {
            "resourceType": "Encounter",
            "identifier": [{"system": self.cs.ns("session"), "value": str(s["id"])}],
            "status": ENCOUNTER_STATUS.get(s["status"], "unknown"),
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                      "code": "AMB", "display": "ambulatory"},
            "subject": {"reference": self.patient_ref}, "period": {"start": start},
        }
        if s["complaint"]:
            resource["reasonCode"] = [{"text": s["complaint"]}]
        therapist = self.practitioners.get(s.get("therapist_id") or 0)
        if therapist:
            resource["participant"] = [{"individual": {"reference": therapist}}]
        if self.org_ref:
            resource["serviceProvider"] = {"reference": self.org_ref}
        self.add(enc, resource)
        subject, context = {"reference": self.patient_ref}, {"reference": enc}
        for when in ("before", "after"):
            value = s[f"nrs_{when}"]
            if value is None:
                continue
            moment = "voor" if when == "before" else "na"
            self.add(stable_uuid("nrs", s["id"], when), {
                **pain_score(self.cs, f"nrs-{when}", f"NRS {moment} de behandeling",
                             f"Pijnscore (NRS) {moment} de behandeling"),
                "subject": subject, "encounter": context, "effectiveDateTime": start,
                "valueInteger": value})
        self.drawing(s, subject, context, start)
        for f in s["findings"]:
            self.finding(f, subject, context, start)
        for t in s["treatments"]:
            self.procedure(t, subject, context, start)
        note = s.get("note") or {}
        author = (self.practitioners.get(note.get("updated_by") or 0)
                  or therapist or self.org_ref)
        made = composition(self.cs, s, subject=subject, encounter=context,
                           author={"reference": author}, custodian={"reference": self.org_ref})
        if made:
            self.add(*made)

    def parties(self, details: PracticeDetails, therapists: dict[int, str]) -> None:
        """The practice (Organization) and the therapists of the sessions (Practitioner)."""
        self.org_ref, org = organization(self.cs, self.practice["id"], details)
        self.add(self.org_ref, org)
        for uid, name in sorted(therapists.items()):
            ref, res = practitioner(self.cs, self.practice["id"], uid, name)
            self.practitioners[uid] = ref
            self.add(ref, res)
    def drawing(self, s: dict[str, Any], subject: dict, context: dict, start: str | None) -> None:
        regions = s.get("regions") or []
        if not regions and not s.get("strokes"):
            return
        members = []
        for r in regions:
            ref = stable_uuid("region", s["id"], r["region"], r.get("side") or "midline")
            members.append({"reference": ref})
            res: dict[str, Any] = {
                "resourceType": "Observation", "status": "final",
                "code": codeable(self.cs.observation, "painted-region", "Pijn in dit gebied",
                                 "Pijn in dit gebied"),
                "subject": subject, "encounter": context, "effectiveDateTime": start,
                "bodySite": region_site(self.cs, r["region"], r.get("side")),
            }
            if r.get("intensity") is not None:
                res["valueInteger"] = int(r["intensity"])
            comps = []
            if r.get("fraction") is not None:
                comps.append({"code": codeable(self.cs.observation, "painted-fraction",
                                               "Deel van het gebied getekend"),
                              "valueQuantity": {"value": round(float(r["fraction"]) * 100, 1),
                                                "unit": "%", "system": "http://unitsofmeasure.org",
                                                "code": "%"}})
            if r.get("quality"):
                q = word(QUALITY_WORDS, r["quality"], "nl")
                comps.append({"code": codeable(self.cs.observation, "pain-quality",
                                               "Soort pijn"),
                              "valueCodeableConcept": codeable(self.cs.cs("pain-quality"),
                                                               r["quality"], q, q)})
            if comps:
                res["component"] = comps
            self.add(ref, res)
        derived = []
        if self.images and regions:
            from knoop.bodymap import intensity_fill
            from knoop.handouts.charts import drawing_png
            from knoop.handouts.session_chart import choose_views, painted

            keys = painted(regions)
            fills = {k: intensity_fill(n) for k, n in keys.items()}
            for view in choose_views(keys):
                png = drawing_png(view, fills, width=PNG_PX)
                ref = stable_uuid("media", s["id"], view)
                derived.append({"reference": ref})
                self.add(ref, {
                    "resourceType": "Media", "status": "completed",
                    "type": codeable("http://terminology.hl7.org/CodeSystem/media-type", "image",
                                "Image"),
                    "subject": subject, "encounter": context, "createdDateTime": start,
                    "content": {"contentType": "image/png",
                                "data": base64.b64encode(png).decode("ascii"),
                                "title": f"pain-drawing-{view}.png"}})
        drawing_json = {"chart_version": s.get("chart_version"), "strokes": s.get("strokes"),
                        "painmap": s.get("painmap")}
        ref = stable_uuid("drawing-json", s["id"])
        derived.append({"reference": ref})
        self.add(ref, {
            "resourceType": "DocumentReference", "status": "current",
            "type": codeable(self.cs.observation, "pain-drawing-data",
                             "Gegevens van de pijntekening (JSON)"),
            "subject": subject, "date": start,
            "context": {"encounter": [context]},
            "content": [{"attachment": {
                "contentType": "application/json",
                "data": base64.b64encode(json.dumps(drawing_json, ensure_ascii=False,
                                                    sort_keys=True).encode()).decode("ascii"),
                "title": "pain-drawing.json"}}]})
        self.add(stable_uuid("drawing", s["id"]), {
            "resourceType": "Observation", "status": "final",
            "code": codeable(self.cs.observation, "pain-drawing", "Pijntekening", "Pijntekening"),
            "subject": subject, "encounter": context, "effectiveDateTime": start,
            "hasMember": members, "derivedFrom": derived})

    def finding(self, f: dict[str, Any], subject: dict, context: dict, start: str | None) -> None:
        comps: list[dict[str, Any]] = []  # Observation.component
        if f["trigger_point"]:
            tp = knowledge_base().muscle(f["muscle"]).trigger_point(f["trigger_point"])
            comps.append({"code": codeable(self.cs.observation, "trigger-point", "Triggerpunt"),
                          "valueCodeableConcept": codeable(self.cs.trigger_point, tp.id,
                                                           tp.name.nl, tp.name.nl)})
        for crit in CRITERIA:
            if f.get(crit) is not None:
                comps.append({"code": codeable(self.cs.cs("finding-criterion"), crit,
                                               CRITERION_WORDS[crit]),
                              "valueBoolean": bool(f[crit])})
        res: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "identifier": [{"system": self.cs.ns("finding"), "value": str(f["id"])}],
            "code": codeable(self.cs.observation, "trigger-point-finding",
                             "Triggerpuntonderzoek", "Triggerpuntonderzoek"),
            "subject": subject, "encounter": context, "effectiveDateTime": start,
            "bodySite": muscle_site(self.cs, f["muscle"], f["side"]),
            "valueCodeableConcept": codeable(self.cs.cs("finding-result"), f["result"],
                                             RESULT_TEXT["nl"][f["result"]],
                                             RESULT_TEXT["nl"][f["result"]]),
        }
        if comps:
            res["component"] = comps
        if f.get("note"):
            res["note"] = [{"text": f["note"]}]
        self.add(stable_uuid("finding", f["id"]), res)

    def procedure(self, t: dict[str, Any], subject: dict, context: dict,
                  start: str | None) -> None:
        notes = []
        if t["duration_min"]:
            notes.append(f"duur {t['duration_min']} min")
        if t["pressure_tolerance"]:
            notes.append("druktolerantie "
                         + word(TOLERANCE_WORDS, t["pressure_tolerance"], "nl"))
        if t.get("note"):
            notes.append(t["note"])
        res: dict[str, Any] = {
            "resourceType": "Procedure", "status": "completed",
            "identifier": [{"system": self.cs.ns("treatment"), "value": str(t["id"])}],
            "code": {"coding": [
                {"system": SNOMED, "code": "91251008", "display": "Physical therapy procedure"},
                {"system": self.cs.cs("technique"), "code": t["technique"],
                 "display": word(TECHNIQUE_WORDS, t["technique"], "nl")}],
                "text": word(TECHNIQUE_WORDS, t["technique"], "nl")},
            "subject": subject, "encounter": context, "performedDateTime": start,
            "bodySite": [muscle_site(self.cs, t["muscle"], t["side"])],
        }
        if notes:
            res["note"] = [{"text": "; ".join(notes)}]
        self.add(stable_uuid("procedure", t["id"]), res)

    def consent(self, c: dict[str, Any]) -> None:
        self.add(stable_uuid("consent", c["id"]), {
            "resourceType": "Consent", "status": "active",
            "scope": codeable("http://terminology.hl7.org/CodeSystem/consentscope",
                         CONSENT_SCOPE[c["kind"]], CONSENT_SCOPE[c["kind"]]),
            "category": [codeable(self.cs.cs("consent-kind"), c["kind"],
                                  CONSENT_WORDS.get(c["kind"], c["kind"]))],
            "patient": {"reference": self.patient_ref}, "dateTime": c["date"] + "T00:00:00Z",
            "policyRule": {"text": f"toestemmingstekst versie {c['text_version']}"},
            "provision": {"type": "permit" if c["given"] else "deny"}})

    def audit(self, e: dict[str, Any]) -> None:
        self.add(stable_uuid("audit", e["id"]), {
            "resourceType": "AuditEvent",
            "type": {"system": self.cs.cs("access-action"), "code": e["action"],
                     "display": e["action"]},
            "action": ACCESS_ACTION.get(e["action"], "E"),
            "recorded": instant(e["at"]),
            "agent": [{"who": {"display": e["user_email"] or "system"}, "requestor": True,
                       "name": e["on_behalf_of"] or None}],
            "source": {"observer": {"display": f"knoop ({self.practice['name']})"}},
            "entity": [{"what": {"reference": self.patient_ref},
                        "description": e["object"] + (f" ({e['detail']})" if e["detail"] else "")}],
        })


PNG_PX = 300  # width of the attached drawing images


def fhir_bundle(store: Store, actor: Actor, *, client_id: int | None = None,
                session_id: int | None = None, images: bool = True,
                now: dt.datetime | None = None,
                details: PracticeDetails | None = None) -> dict[str, Any]:
    """A Bundle (``collection``) for a client, or for one session of a client. Read with
    ``store.client_dossier`` (access-logged as ``export``); the access log is added as
    AuditEvents when the actor is an admin (only admins may read it). The whole client's
    Bundle follows the dossier's role rule (``store.check_full_export``: admins only).
    ``details`` (default: ``practice_details``) give the Organization, the code-system base
    and the therapists' names. Texts are Dutch (``language: nl``); SNOMED and LOINC keep
    their own displays."""
    from knoop.handouts.practice import practice_details

    if (client_id is None) == (session_id is None):
        raise BadInput("give a client or a session", field="client_id")
    if session_id is not None:
        client_id = store.get_session(actor, session_id).client_id
    assert client_id is not None
    if session_id is None:  # the whole client: the same role rule as the dossier
        store.check_full_export(actor, client_id)
    data = store.client_dossier(actor, client_id)
    p = store.practice(actor.practice_id)
    details = details or practice_details(store, actor)
    cs = Systems(base_of(details.fhir_base, details.website, p.id))
    b = _Builder(data, {"id": p.id, "name": p.name}, images, cs)
    b.patient()
    sessions = [s for s in data["sessions"] if session_id is None or s["id"] == session_id]
    ids = {x for s in sessions
           for x in (s.get("therapist_id"), (s.get("note") or {}).get("updated_by")) if x}
    b.parties(details, {uid: practice_details(store, actor, therapist_id=uid).therapist
                        for uid in ids})
    for s in sessions:
        b.session(s)
    for c in data["consents"]:
        b.consent(c)
    if session_id is None:  # the diary lies between sessions: the client's Bundle only
        from knoop.fhir.diary import diary_observation

        for e in data.get("diary", []):
            b.add(*diary_observation(e, b.patient_ref, b.cs))
    if actor.is_admin and session_id is None:
        for e in store.access_for_client(client_id, actor=actor):
            b.audit(e.to_dict())
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return {"resourceType": "Bundle", "id": str(uuid.uuid4()), "language": "nl",
            "meta": {"tag": [{"system": cs.cs("kb-version"), "code": KB_VERSION}]},
            "identifier": {"system": cs.ns("export"),
                           "value": f"{p.id}-{client_id}-{session_id or 'all'}-"
                                    f"{stamp:%Y%m%dT%H%M%S}"},
            "type": "collection", "timestamp": stamp.isoformat(), "entry": b.entries}


