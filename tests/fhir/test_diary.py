"""The pain diary in the exports: FHIR Observations (NRS with the verified codes, the moment
written as effectiveDateTime, exercises and "much worse" as components) and diary.csv."""

from __future__ import annotations

import csv
from pathlib import Path

from knoop.fhir import fhir_bundle
from knoop.fhir.bundle import validate_bundle
from knoop.fhir.csvexport import DIARY_COLUMNS, export_csv
from tests.demo_practice import Demo


def _diary(demo: Demo) -> list:
    st = demo.store
    st.record_consent(demo.therapist, 2, "aftercare", True, "2026-12")
    token = st.create_aftercare_link(demo.therapist, 2)
    return [st.add_diary_entry(token, nrs=5, exercises_done=True),
            st.add_diary_entry(token, nrs=None, much_worse=True),
            st.add_diary_entry(token, nrs=2, exercises_done=False,
                               drawing={"regions": [{"region": "lumbar_paraspinal", "side": "left",
                                                     "intensity": 4}]})]


def test_diary_entries_are_pain_score_observations_with_their_moment(demo: Demo) -> None:
    entries = _diary(demo)
    bundle = fhir_bundle(demo.store, demo.admin, client_id=2, images=False)
    validate_bundle(bundle)
    obs = [e["resource"] for e in bundle["entry"]
           if e["resource"]["resourceType"] == "Observation"
           and any(c["code"] == "nrs-diary" for c in e["resource"]["code"]["coding"])]
    assert len(obs) == 3
    codes = {(c["system"], c["code"]) for c in obs[0]["code"]["coding"]}
    assert ("http://loinc.org", "72514-3") in codes
    assert ("http://snomed.info/sct", "225908003") in codes
    assert [o["effectiveDateTime"][:19] for o in obs] == [
        e.at.isoformat()[:19] for e in entries]
    assert [o.get("valueInteger") for o in obs] == [5, None, 2]
    assert obs[1]["dataAbsentReason"]["coding"][0]["code"] == "unknown"
    worse = {c["code"]["coding"][0]["code"]: c["valueBoolean"] for c in obs[1]["component"]}
    assert worse == {"much-worse": True}
    first = {c["code"]["coding"][0]["code"]: c["valueBoolean"] for c in obs[0]["component"]}
    assert first == {"exercises-done": True, "much-worse": False}
    assert obs[0]["performer"] == [{"reference": obs[0]["subject"]["reference"]}]


def test_a_sessions_bundle_leaves_the_diary_out(demo: Demo) -> None:
    _diary(demo)
    sid = demo.store.client_history(demo.admin, 2)[0].id
    bundle = fhir_bundle(demo.store, demo.admin, session_id=sid, images=False)
    assert not [e for e in bundle["entry"] if "nrs-diary" in str(e["resource"].get("code"))]


def test_the_csv_export_has_a_diary_file(demo: Demo, tmp_path: Path) -> None:
    _diary(demo)
    counts = export_csv(demo.store, demo.admin, tmp_path / "csv")
    assert counts["diary"] == 3
    with open(tmp_path / "csv" / "diary.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    assert tuple(rows[0]) == DIARY_COLUMNS
    assert [(r[0], r[3], r[4], r[5], r[6]) for r in rows[1:]] == [
        ("2", "5", "1", "0", "0"), ("2", "", "", "1", "0"), ("2", "2", "0", "0", "1")]
    assert rows[3][7] == "lumbar_paraspinal:left:4"
