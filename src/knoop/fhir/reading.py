"""Reading an exported bundle: validation with ``fhir.resources.R4B`` and the trigger-point
findings read back (the round trip the tests check). Local systems are matched by their path
(``…/CodeSystem/muscle``), whatever the practice's base URL."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from knoop.fhir.codes import (
    CS_CRITERION_TAIL,
    CS_MUSCLE_TAIL,
    CS_OBSERVATION_TAIL,
    LATERALITY,
)

if TYPE_CHECKING:
    from fhir.resources.R4B.bundle import Bundle
    from fhir.resources.R4B.codeableconcept import CodeableConcept
    from fhir.resources.R4B.coding import Coding


def _local(system: str | None, tail: str) -> bool:
    return bool(system) and str(system).endswith(tail)


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
        if not any(_local(c.system, CS_OBSERVATION_TAIL) and c.code == "trigger-point-finding"
                   for c in r.code.coding or []):
            continue
        site = r.bodySite
        muscle = next(c.code for c in _codings(site) if _local(c.system, CS_MUSCLE_TAIL))
        assert site is not None and site.extension is not None
        lat = _codings(site.extension[0].valueCodeableConcept)[0].code
        side = next(k for k, (code, _d) in LATERALITY.items() if code == lat)
        assert r.identifier is not None and r.identifier[0].value is not None
        item: dict[str, Any] = {"id": int(r.identifier[0].value), "muscle": muscle, "side": side,
                                "result": _codings(r.valueCodeableConcept)[0].code,
                                "trigger_point": None, "note": r.note[0].text if r.note else ""}
        for comp in r.component or []:
            code = _codings(comp.code)[0]
            if _local(code.system, CS_OBSERVATION_TAIL) and code.code == "trigger-point":
                item["trigger_point"] = _codings(comp.valueCodeableConcept)[0].code
            elif _local(code.system, CS_CRITERION_TAIL):
                assert code.code is not None
                item[code.code] = comp.valueBoolean
        out.append(item)
    return out
