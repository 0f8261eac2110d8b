"""The client's pain diary as FHIR R4 Observations: one per entry, patient-reported, with the
pain score coded as in ``docs/fhir.md`` (SNOMED 225908003 "Pain score" and LOINC 72514-3, both
verified in ``shared/codes.md``; method Nictiz NRS), the moment it was written as
``effectiveDateTime``, and components for "exercises done" and "much worse" (local codes).
A one-tap "much worse" without a score has ``dataAbsentReason`` instead of a value."""

from __future__ import annotations

from typing import Any

from knoop.fhir.codes import (
    Systems,
    codeable,
    instant,
    pain_score,
    stable_uuid,
)

DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"


def diary_observation(e: dict[str, Any], patient_ref: str,
                      cs: Systems) -> tuple[str, dict[str, Any]]:
    """(fullUrl, Observation) of one diary entry (``DiaryEntry.to_dict()``); local codes under
    the practice's code systems ``cs``."""
    res: dict[str, Any] = {
        **pain_score(cs, "nrs-diary", "NRS in the pain diary",
                     "Pijnscore (NRS) in het pijndagboek"),
        "subject": {"reference": patient_ref}, "performer": [{"reference": patient_ref}],
        "effectiveDateTime": instant(e["at"]),
    }
    if e["nrs"] is None:
        res["dataAbsentReason"] = codeable(DATA_ABSENT, "unknown", "Unknown")
    else:
        res["valueInteger"] = e["nrs"]
    components = []
    if e["exercises_done"] is not None:
        components.append({"code": codeable(cs.observation, "exercises-done",
                                            "Home exercises done"),
                           "valueBoolean": e["exercises_done"]})
    components.append({"code": codeable(cs.observation, "much-worse", "Much worse"),
                       "valueBoolean": bool(e["much_worse"])})
    res["component"] = components
    if e["much_worse"]:
        res["interpretation"] = [{"text": "Cliënt meldde: veel erger"}]
    return stable_uuid("diary", e["id"]), res
