"""What the knowledge base covers, and what it leaves out (``knoop kb coverage``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knoop.kb import KnowledgeBase


def coverage_report(kb: KnowledgeBase) -> dict[str, object]:
    """Counts and gaps. Lists are sorted IDs; an empty list means nothing is missing."""
    c = kb.contract
    referred: set[str] = set()
    located: set[str] = set()
    caused: set[str] = set()
    tps = 0
    for m in kb.muscles.values():
        tps += len(m.trigger_points)
        caused.update(m.symptoms)
        for tp in m.trigger_points:
            referred.update(tp.referral.essential, tp.referral.spillover)
            located.update(tp.location)
    return {
        "kb_version": kb.version,
        "muscles": len(kb.muscles),
        "contract_muscles": len(c.muscles),
        "missing_muscles": sorted(set(c.muscles) - set(kb.muscles)),
        "trigger_points": tps,
        "regions": len(c.regions),
        "regions_never_referred_to": sorted(set(c.regions) - referred),
        "regions_without_trigger_point_or_referral": sorted(set(c.regions) - referred - located),
        "symptoms": len(c.symptoms),
        "symptoms_no_muscle_causes": sorted(set(c.symptoms) - caused),
        "entries_without_sources": sorted(m.id for m in kb.muscles.values() if not m.sources),
        "entries_not_reviewed": sorted(m.id for m in kb.muscles.values()
                                       if m.reviewed.status != "reviewed"),
    }
