"""FHIR R4 export: every bundle validates (fhir.resources R4B) and a round trip keeps every
finding; codes are the verified ones."""

from __future__ import annotations

import json

import pytest

from knoop.errors import Forbidden, NotFound
from knoop.fhir import fhir_bundle, findings_from_bundle, validate_bundle
from knoop.fhir.codes import CS_MUSCLE, CS_REGION, MUSCLE_SNOMED, SNOMED
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
    assert all(o["bodySite"]["coding"][0]["system"] == CS_REGION for o in members)
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
            muscle = [c["code"] for c in site["coding"] if c["system"] == CS_MUSCLE]
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
