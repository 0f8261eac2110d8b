"""FHIR R4 export: every bundle validates (fhir.resources R4B) and a round trip keeps every
finding; codes are the verified ones."""

from __future__ import annotations

import json

import pytest

from knoop.errors import Forbidden, NotFound
from knoop.fhir import fhir_bundle, findings_from_bundle, validate_bundle
from knoop.fhir.codes import MUSCLE_SNOMED, SNOMED
from knoop.handouts.practice import PracticeDetails
from tests.demo_practice import Demo


def _resources(bundle, kind):  # type: ignore[no-untyped-def]
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


@pytest.mark.parametrize("client_id", [1, 2, 3, 4, 5])
def test_every_demo_client_bundle_validates_and_round_trips(demo: Demo, client_id: int) -> None:
    bundle = fhir_bundle(demo.store, demo.admin, client_id=client_id)
    validate_bundle(bundle)
    stored = [f for s in demo.store.client_dossier(demo.admin, client_id)["sessions"]
              for f in s["findings"]]
    back = findings_from_bundle(json.dumps(bundle))
    assert len(back) == len(stored)
    by_id = {f["id"]: f for f in back}
    for f in stored:
        got = by_id[f["id"]]
        for key in ("muscle", "side", "result", "trigger_point", "pain_recognised",
                    "tender_spot", "taut_band", "referral_elicited", "twitch"):
            assert got.get(key) == f[key], (key, got, f)


def test_every_session_bundle_validates(demo: Demo) -> None:
    for sid in range(1, 16):
        bundle = fhir_bundle(demo.store, demo.therapist, session_id=sid)
        validate_bundle(bundle)
        assert len(_resources(bundle, "Encounter")) == 1
        assert not _resources(bundle, "AuditEvent")  # not in session exports


def test_bundle_contents(demo: Demo) -> None:
    b = fhir_bundle(demo.store, demo.admin, client_id=1)
    assert b["type"] == "collection"
    assert len(_resources(b, "Patient")) == 1
    assert len(_resources(b, "Encounter")) == 3
    obs = _resources(b, "Observation")
    nrs = [o for o in obs if any(c["code"] == "225908003" for c in o["code"]["coding"])]
    assert len(nrs) == 6
    for o in nrs:
        codes = {(c["system"], c["code"]) for c in o["code"]["coding"]}
        assert ("http://loinc.org", "72514-3") in codes and (SNOMED, "225908003") in codes
        assert 0 <= o["valueInteger"] <= 10
    drawings = [o for o in obs if o["code"]["coding"][0]["code"] == "pain-drawing"]
    assert len(drawings) == 3
    for d in drawings:
        kinds = {r["reference"] for r in d["derivedFrom"]}
        assert kinds and d["hasMember"]
    members = [o for o in obs if o["code"]["coding"][0]["code"] == "painted-region"]
    assert all(o["bodySite"]["coding"][0]["system"].endswith("/CodeSystem/region")
               for o in members)
    assert any("extension" in o["bodySite"] for o in members)  # laterality
    media = _resources(b, "Media")
    assert media and all(m["content"]["contentType"] == "image/png" for m in media)
    import base64

    assert base64.b64decode(media[0]["content"]["data"]).startswith(b"\x89PNG")
    docs = _resources(b, "DocumentReference")
    payload = json.loads(base64.b64decode(docs[0]["content"][0]["attachment"]["data"]))
    assert "painmap" in payload and "strokes" in payload
    assert len(_resources(b, "Procedure")) == 6
    assert len(_resources(b, "Consent")) == 3
    assert _resources(b, "AuditEvent")  # admin: the access log


def test_only_verified_snomed_body_sites(demo: Demo) -> None:
    b = fhir_bundle(demo.store, demo.admin, client_id=2)  # quadratus lumborum: weak, no SNOMED
    for o in _resources(b, "Observation") + _resources(b, "Procedure"):
        sites = o.get("bodySite")
        for site in (sites if isinstance(sites, list) else [sites] if sites else []):
            muscle = [c["code"] for c in site["coding"]
                      if c["system"].endswith("/CodeSystem/muscle")]
            snomed = [c["code"] for c in site["coding"] if c["system"] == SNOMED]
            if muscle:
                expected = [MUSCLE_SNOMED[muscle[0]][0]] if muscle[0] in MUSCLE_SNOMED else []
                assert snomed == expected
            else:
                assert not snomed  # regions: local codes only


def test_therapist_bundle_has_no_access_log_and_outsider_gets_not_found(demo: Demo) -> None:
    b = fhir_bundle(demo.store, demo.therapist, session_id=1)
    validate_bundle(b)
    assert not _resources(b, "AuditEvent")
    with pytest.raises(NotFound):
        fhir_bundle(demo.store, demo.outsider, client_id=1)
    with pytest.raises(NotFound):
        fhir_bundle(demo.store, demo.outsider, session_id=1)


def test_the_whole_clients_bundle_follows_the_dossier_rule_admins_only(demo: Demo) -> None:
    """Issue 13: a therapist could not get the dossier but could get the same data as FHIR."""
    with pytest.raises(Forbidden):
        fhir_bundle(demo.store, demo.therapist, client_id=1)
    with pytest.raises(NotFound):
        fhir_bundle(demo.store, demo.outsider, client_id=1)
    assert fhir_bundle(demo.store, demo.admin, client_id=1)["type"] == "collection"


def test_export_is_access_logged_as_export(demo: Demo) -> None:
    n = len(demo.store.access_for_client(3))
    fhir_bundle(demo.store, demo.admin, client_id=3)
    assert any(e.action == "export" for e in demo.store.access_for_client(3)[n:])


def _systems(node: object) -> list[str]:
    """Every ``system`` in a resource tree."""
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "system"] + \
            [x for v in node.values() for x in _systems(v)]
    if isinstance(node, list):
        return [x for v in node for x in _systems(v)]
    return []


def test_local_code_systems_live_under_the_practices_base(demo: Demo) -> None:
    details = PracticeDetails(name="Praktijk De Knoop", city="Utrecht",
                              fhir_base="https://fhir.deknoop.nl/fhir")
    b = fhir_bundle(demo.store, demo.admin, client_id=1, details=details)
    validate_bundle(b)
    assert "knoop.example" not in json.dumps(b)
    local = [x for x in _systems(b) if ("/CodeSystem/" in x or "/NamingSystem/" in x)
             and "terminology.hl7.org" not in x]
    assert local and all(x.startswith("https://fhir.deknoop.nl/fhir/") for x in local)
    assert len(findings_from_bundle(b)) == sum(
        len(s["findings"]) for s in demo.store.client_dossier(demo.admin, 1)["sessions"])


def test_without_a_setting_the_base_is_the_website_or_a_urn_never_a_made_up_domain(
        demo: Demo) -> None:
    site = PracticeDetails(name="De Knoop", website="https://www.deknoop.nl/")
    b = fhir_bundle(demo.store, demo.admin, client_id=1, details=site)
    assert all(x.startswith("https://www.deknoop.nl/fhir/") for x in _systems(b)
               if "/CodeSystem/" in x and "terminology.hl7.org" not in x)
    none = fhir_bundle(demo.store, demo.admin, client_id=1, details=PracticeDetails(name="X"))
    validate_bundle(none)
    assert all(x.startswith("urn:knoop:practice:") for x in _systems(none)
               if "/CodeSystem/" in x and "terminology.hl7.org" not in x)


def test_the_practice_and_its_therapists_are_organization_and_practitioners(demo: Demo) -> None:
    details = PracticeDetails(name="Praktijk De Knoop", city="Utrecht", address="Oudegracht 1",
                              phone="030 123 45 67", email="info@deknoop.nl")
    b = fhir_bundle(demo.store, demo.admin, client_id=1, details=details)
    (org,) = _resources(b, "Organization")
    assert org["name"] == "Praktijk De Knoop"
    assert {t["system"] for t in org["telecom"]} == {"phone", "email"}
    assert org["address"][0]["text"] == "Oudegracht 1, Utrecht"
    people = {e["fullUrl"]: e["resource"] for e in b["entry"]
              if e["resource"]["resourceType"] == "Practitioner"}
    assert people and all(p["name"][0]["text"] for p in people.values())
    org_url = next(e["fullUrl"] for e in b["entry"] if e["resource"] is org)
    for enc in _resources(b, "Encounter"):
        assert enc["serviceProvider"]["reference"] == org_url
        assert enc["participant"][0]["individual"]["reference"] in people


def test_each_note_is_a_composition_with_its_soap_sections(demo: Demo) -> None:
    b = fhir_bundle(demo.store, demo.admin, client_id=1)
    validate_bundle(b)
    notes = [s for s in demo.store.client_dossier(demo.admin, 1)["sessions"]
             if (s.get("note") or {}).get("soap_text")]
    comps = _resources(b, "Composition")
    assert notes and len(comps) == len(notes)
    c = comps[0]
    assert c["title"] == "SOAP-verslag" and c["language"] == "nl"
    assert [x["title"] for x in c["section"]] == [
        "S (Subjectief)", "O (Objectief)", "A (Evaluatie)", "P (Plan)"]
    a = c["section"][2]["text"]["div"]
    assert a.startswith('<div xmlns="http://www.w3.org/1999/xhtml"><p>') and "rode vlag" in a
    refs = {e["fullUrl"] for e in b["entry"]}
    assert c["author"][0]["reference"] in refs and c["encounter"]["reference"] in refs


def test_texts_are_dutch_throughout_and_english_only_in_snomed_and_loinc_displays(
        demo: Demo) -> None:
    b = fhir_bundle(demo.store, demo.admin, client_id=1)
    text = json.dumps(b, ensure_ascii=False)
    for english in ("ischemic compression", "druktolerantie moderate", "druktolerantie low",
                    "druktolerantie high", "Painted region", "Trigger point finding",
                    "pain recognised", "consent text version"):
        assert english not in text, english
    procs = _resources(b, "Procedure")
    assert any(p["code"]["text"] == "ischemische compressie" for p in procs)
    assert any("druktolerantie matig" in p["note"][0]["text"] for p in procs if "note" in p)
