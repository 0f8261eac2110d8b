"""FHIR R4 (R4B models) export and CSV export/import.

    from knoop.fhir import fhir_bundle, validate_bundle
    bundle = fhir_bundle(store, actor, client_id=3)            # dict, JSON-ready
    bundle = fhir_bundle(store, actor, session_id=12)

May import store, ranking, bodymap, kb and handouts (for the drawing PNG); never web or cli.
Code systems: ``docs/fhir.md``.
"""

from knoop.fhir.bundle import fhir_bundle
from knoop.fhir.reading import findings_from_bundle, validate_bundle

__all__ = ["fhir_bundle", "findings_from_bundle", "validate_bundle"]
