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
    BASE,
    CONSENT_SCOPE,
    CRITERIA,
    CS_ACCESS,
    CS_CONSENT_KIND,
    CS_CRITERION,
    CS_FINDING_RESULT,
    CS_MUSCLE,
    CS_OBSERVATION,
    CS_QUALITY,
    CS_TECHNIQUE,
    CS_TRIGGER_POINT,
    ENCOUNTER_STATUS,
    LATERALITY,
    LOINC,
    NICTIZ_PAIN_METHOD,
    NS_CLIENT,
    NS_SESSION,
    RESULT_TEXT,
    SNOMED,
    codeable,
    instant,
    muscle_site,
    region_site,
    stable_uuid,
)
from knoop.kb import KB_VERSION, knowledge_base
from knoop.store import Actor, Store

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.coding import Coding

class _Builder:
    def __init__(self, data: dict[str, Any], practice: dict[str, Any], images: bool) -> None:
        self.entries: list[dict[str, Any]] = []
        self.data = data
        self.practice = practice
        self.images = images
        self.client_id = data["client"]["id"]
        self.patient_ref = stable_uuid("patient", practice["id"], self.client_id)

    def add(self, full_url: str, resource: dict[str, Any]) -> None:
        resource["id"] = full_url.rsplit(":", 1)[1]
        self.entries.append({"fullUrl": full_url, "resource": resource})

    def patient(self) -> None:
        c = self.data["client"]
        family = " ".join(p for p in (c["infix"], c["last_name"]) if p)
        res: dict[str, Any] = {
            "resourceType": "Patient",
            "identifier": [{"system": NS_CLIENT, "value": f"{self.practice['id']}-{c['id']}"}],
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
            "identifier": [{"system": NS_SESSION, "value": str(s["id"])}],
            "status": ENCOUNTER_STATUS.get(s["status"], "unknown"),
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                      "code": "AMB", "display": "ambulatory"},
            "subject": {"reference": self.patient_ref}, "period": {"start": start},
        }
        if s["complaint"]:
            resource["reasonCode"] = [{"text": s["complaint"]}]
        self.add(enc, resource)
        subject, context = {"reference": self.patient_ref}, {"reference": enc}
        for when in ("before", "after"):
            value = s[f"nrs_{when}"]
            if value is None:
                continue
            self.add(stable_uuid("nrs", s["id"], when), {
                "resourceType": "Observation", "status": "final",
                "category": [codeable("http://terminology.hl7.org/CodeSystem/observation-category",
                                 "survey", "Survey")],
                "code": {"coding": [
                    {"system": SNOMED, "code": "225908003", "display": "Pain score"},
                    {"system": LOINC, "code": "72514-3", "display":
                     "Pain severity - 0-10 verbal numeric rating [Score] - Reported"},
                    {"system": CS_OBSERVATION, "code": f"nrs-{when}",
                     "display": f"NRS {when} treatment"}],
                    "text": "Pijnscore (NRS) " + ("voor" if when == "before" else "na")
                            + " de behandeling"},
                "method": codeable(NICTIZ_PAIN_METHOD, "NRS", "NRS"),
                "subject": subject, "encounter": context, "effectiveDateTime": start,
                "valueInteger": value})
        self.drawing(s, subject, context, start)
        for f in s["findings"]:
            self.finding(f, subject, context, start)
        for t in s["treatments"]:
            self.procedure(t, subject, context, start)

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
                "code": codeable(CS_OBSERVATION, "painted-region", "Painted region",
                            "Pijn in dit gebied"),
                "subject": subject, "encounter": context, "effectiveDateTime": start,
                "bodySite": region_site(r["region"], r.get("side")),
            }
            if r.get("intensity") is not None:
                res["valueInteger"] = int(r["intensity"])
            comps = []
            if r.get("fraction") is not None:
                comps.append({"code": codeable(CS_OBSERVATION, "painted-fraction",
                                          "Share of the region painted"),
                              "valueQuantity": {"value": round(float(r["fraction"]) * 100, 1),
                                                "unit": "%", "system": "http://unitsofmeasure.org",
                                                "code": "%"}})
            if r.get("quality"):
                comps.append({"code": codeable(CS_OBSERVATION, "pain-quality", "Pain quality"),
                              "valueCodeableConcept": codeable(CS_QUALITY, r["quality"], r["quality"])})
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
            "type": codeable(CS_OBSERVATION, "pain-drawing-data", "Pain drawing data (strokes JSON)"),
            "subject": subject, "date": start,
            "context": {"encounter": [context]},
            "content": [{"attachment": {
                "contentType": "application/json",
                "data": base64.b64encode(json.dumps(drawing_json, ensure_ascii=False,
                                                    sort_keys=True).encode()).decode("ascii"),
                "title": "pain-drawing.json"}}]})
        self.add(stable_uuid("drawing", s["id"]), {
            "resourceType": "Observation", "status": "final",
            "code": codeable(CS_OBSERVATION, "pain-drawing", "Pain drawing", "Pijntekening"),
            "subject": subject, "encounter": context, "effectiveDateTime": start,
            "hasMember": members, "derivedFrom": derived})

    def finding(self, f: dict[str, Any], subject: dict, context: dict, start: str | None) -> None:
        comps: list[dict[str, Any]] = []  # Observation.component
        if f["trigger_point"]:
            tp = knowledge_base().muscle(f["muscle"]).trigger_point(f["trigger_point"])
            comps.append({"code": codeable(CS_OBSERVATION, "trigger-point", "Trigger point"),
                          "valueCodeableConcept": codeable(CS_TRIGGER_POINT, tp.id, tp.name.en,
                                                      tp.name.nl)})
        for crit in CRITERIA:
            if f.get(crit) is not None:
                comps.append({"code": codeable(CS_CRITERION, crit, crit.replace("_", " ")),
                              "valueBoolean": bool(f[crit])})
        res: dict[str, Any] = {
            "resourceType": "Observation", "status": "final",
            "identifier": [{"system": f"{BASE}/NamingSystem/finding", "value": str(f["id"])}],
            "code": codeable(CS_OBSERVATION, "trigger-point-finding", "Trigger point finding",
                        "Triggerpuntonderzoek"),
            "subject": subject, "encounter": context, "effectiveDateTime": start,
            "bodySite": muscle_site(f["muscle"], f["side"]),
            "valueCodeableConcept": codeable(CS_FINDING_RESULT, f["result"],
                                        f["result"].replace("_", " "), RESULT_TEXT[f["result"]]),
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
            notes.append(f"druktolerantie {t['pressure_tolerance']}")
        if t.get("note"):
            notes.append(t["note"])
        res: dict[str, Any] = {
            "resourceType": "Procedure", "status": "completed",
            "identifier": [{"system": f"{BASE}/NamingSystem/treatment", "value": str(t["id"])}],
            "code": {"coding": [
                {"system": SNOMED, "code": "91251008", "display": "Physical therapy procedure"},
                {"system": CS_TECHNIQUE, "code": t["technique"],
                 "display": t["technique"].replace("_", " ")}],
                "text": t["technique"].replace("_", " ")},
            "subject": subject, "encounter": context, "performedDateTime": start,
            "bodySite": [muscle_site(t["muscle"], t["side"])],
        }
        if notes:
            res["note"] = [{"text": "; ".join(notes)}]
        self.add(stable_uuid("procedure", t["id"]), res)

    def consent(self, c: dict[str, Any]) -> None:
        self.add(stable_uuid("consent", c["id"]), {
            "resourceType": "Consent", "status": "active",
            "scope": codeable("http://terminology.hl7.org/CodeSystem/consentscope",
                         CONSENT_SCOPE[c["kind"]], CONSENT_SCOPE[c["kind"]]),
            "category": [codeable(CS_CONSENT_KIND, c["kind"], c["kind"].replace("_", " "))],
            "patient": {"reference": self.patient_ref}, "dateTime": c["date"] + "T00:00:00Z",
            "policyRule": {"text": f"knoop consent text version {c['text_version']}"},
            "provision": {"type": "permit" if c["given"] else "deny"}})

    def audit(self, e: dict[str, Any]) -> None:
        self.add(stable_uuid("audit", e["id"]), {
            "resourceType": "AuditEvent",
            "type": {"system": CS_ACCESS, "code": e["action"], "display": e["action"]},
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
                now: dt.datetime | None = None) -> dict[str, Any]:
    """A Bundle (``collection``) for a client, or for one session of a client. Read with
    ``store.client_dossier`` (access-logged as ``export``); the access log is added as
    AuditEvents when the actor is an admin (only admins may read it). The whole client's
    Bundle follows the dossier's role rule (``store.check_full_export``: admins only)."""
    if (client_id is None) == (session_id is None):
        raise BadInput("give a client or a session", field="client_id")
    if session_id is not None:
        client_id = store.get_session(actor, session_id).client_id
    assert client_id is not None
    if session_id is None:  # the whole client: the same role rule as the dossier
        store.check_full_export(actor, client_id)
    data = store.client_dossier(actor, client_id)
    p = store.practice(actor.practice_id)
    b = _Builder(data, {"id": p.id, "name": p.name}, images)
    b.patient()
    sessions = [s for s in data["sessions"] if session_id is None or s["id"] == session_id]
    for s in sessions:
        b.session(s)
    for c in data["consents"]:
        b.consent(c)
    if actor.is_admin and session_id is None:
        for e in store.access_for_client(client_id, actor=actor):
            b.audit(e.to_dict())
    stamp = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return {"resourceType": "Bundle", "id": str(uuid.uuid4()),
            "meta": {"tag": [{"system": f"{BASE}/CodeSystem/kb-version", "code": KB_VERSION}]},
            "identifier": {"system": f"{BASE}/NamingSystem/export",
                           "value": f"{p.id}-{client_id}-{session_id or 'all'}-"
                                    f"{stamp:%Y%m%dT%H%M%S}"},
            "type": "collection", "timestamp": stamp.isoformat(), "entry": b.entries}


def validate_bundle(bundle: dict[str, Any]) -> Bundle:
    """Parse with ``fhir.resources.R4B`` (raises on anything invalid); returns the model."""
    from fhir.resources.R4B.bundle import Bundle

    return Bundle.model_validate(bundle)


def _codings(cc: CodeableConcept | None) -> list[Coding]:
    """The codings of a concept that an exported finding always has."""
    assert cc is not None and cc.coding is not None
    return cc.coding


def findings_from_bundle(bundle: dict[str, Any] | str) -> list[dict[str, Any]]:
    """The trigger-point findings read back from an exported bundle (JSON or dict), parsed
    through the R4B models: muscle, side, result, trigger point and criteria."""
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.observation import Observation

    model = (Bundle.model_validate_json(bundle) if isinstance(bundle, str)
             else Bundle.model_validate(bundle))
    out = []
    for e in model.entry or []:
        r = e.resource
        assert r is not None
        if not isinstance(r, Observation):  # r.get_resource_type() != "Observation"
            continue
        if not any(c.system == CS_OBSERVATION and c.code == "trigger-point-finding"
                   for c in r.code.coding or []):
            continue
        site = r.bodySite
        muscle = next(c.code for c in _codings(site) if c.system == CS_MUSCLE)
        assert site is not None and site.extension is not None
        lat = _codings(site.extension[0].valueCodeableConcept)[0].code
        side = next(k for k, (code, _d) in LATERALITY.items() if code == lat)
        assert r.identifier is not None and r.identifier[0].value is not None
        item: dict[str, Any] = {"id": int(r.identifier[0].value), "muscle": muscle, "side": side,
                                "result": _codings(r.valueCodeableConcept)[0].code,
                                "trigger_point": None, "note": r.note[0].text if r.note else ""}
        for comp in r.component or []:
            code = _codings(comp.code)[0]
            if code.system == CS_OBSERVATION and code.code == "trigger-point":
                item["trigger_point"] = _codings(comp.valueCodeableConcept)[0].code
            elif code.system == CS_CRITERION:
                assert code.code is not None
                item[code.code] = comp.valueBoolean
        out.append(item)
    return out
