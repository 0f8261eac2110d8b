"""Referral zones per muscle and side, expanded to concrete (region, side) keys.

Built once from the knowledge base and the chart's adjacency; the scorer only does dictionary
lookups. Sides are the client's own: a left-sided muscle with an ipsilateral trigger point refers
to left regions; midline regions (vertex, sternum, sacrum...) have side ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from knoop.kb import KnowledgeBase
from knoop.vocabulary import SIDES

Key = tuple[str, "str | None"]

#: How much of a painted region a zone explains (the "e" of docs/ranking.md).
ESSENTIAL = 1.0
#: Pain over the trigger point itself: below the essential zone (tender local tissue is common,
#: and a region holding many trigger points must not flood the list).
LOCAL = 0.6
SPILLOVER = 0.45
NEIGHBOUR = 0.2  # a region touching the essential zone (zones spread in sensitised clients)
#: Neighbour credit is shared out over at most this many neighbouring regions: a very large zone
#: touches half the body, and spreading "a bit beyond the zone" should not make it fit anywhere.
NEIGHBOUR_FULL = 16
#: Tingling or numbness drawn in the territory of a nerve the muscle can squeeze: the sensation
#: follows the nerve, not the referral zone.
NERVE = 0.8

KIND_ORDER = {"essential": 0, "local": 1, "nerve": 2, "spillover": 3, "neighbour": 4}
KIND_WEIGHT = {"essential": ESSENTIAL, "local": LOCAL, "nerve": NERVE, "spillover": SPILLOVER,
               "neighbour": NEIGHBOUR}


def other(side: str) -> str:
    return "right" if side == "left" else "left"


@dataclass(frozen=True)
class TriggerPointZone:
    """One trigger point on one side: its essential keys (with its own location)."""

    id: str
    essential: frozenset[Key]  # its essential zone plus its own area (location)
    location: frozenset[Key]
    #: ``essential`` in reading order (region ID, then side), for the reasons
    ordered: tuple[Key, ...] = ()
    #: the parts of the pattern coverage is measured on (see :func:`pattern_parts`); without
    #: adjacency only the whole zone
    parts: tuple[frozenset[Key], ...] = ()

    def __post_init__(self) -> None:
        if not self.ordered:
            object.__setattr__(self, "ordered", tuple(sorted(
                self.essential, key=lambda k: (k[0], k[1] or ""))))
        if not self.parts:
            object.__setattr__(self, "parts", (self.essential,))


def pattern_parts(essential: frozenset[Key], adjacency: Mapping[Key, frozenset[Key]]
                  ) -> tuple[frozenset[Key], ...]:
    """The parts of one referral pattern that coverage is measured on: the whole zone, and each
    of its regions with the zone regions touching it on the chart (duplicates once), in a fixed
    order. They depend on the zone only, never on the drawing, so painting more of a zone can
    only raise the share drawn of every part (coverage is monotone)."""
    parts = [essential]
    seen = {essential}
    for key in sorted(essential, key=lambda k: (k[0], k[1] or "")):
        part = frozenset({key} | (adjacency.get(key, frozenset()) & essential))
        if part not in seen:
            seen.add(part)
            parts.append(part)
    return tuple(parts)


@dataclass(frozen=True)
class MuscleZone:
    """Everything the scorer needs for one muscle on one side."""

    muscle: str
    side: str
    kind: Mapping[Key, str]  # essential | local | spillover | neighbour (best kind wins)
    trigger_points: tuple[TriggerPointZone, ...]
    symptoms: frozenset[str]
    #: the region IDs served by the nerves it can squeeze (kb/nerves.yaml), on its own side
    territory: frozenset[str] = frozenset()
    nerves: tuple[str, ...] = ()
    neighbour_weight: float = NEIGHBOUR
    #: the weight ``e`` of every key in ``kind`` (see :meth:`weight`), worked out once
    weights: Mapping[Key, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.weights:
            object.__setattr__(self, "weights", {
                key: self.neighbour_weight if kind == "neighbour" else KIND_WEIGHT[kind]
                for key, kind in self.kind.items()})

    def weight(self, key: Key) -> float:
        """How much of a painted ``key`` this zone explains (0 outside it)."""
        return self.weights.get(key, 0.0)


def _expand(regions: list[str], rule: str, side: str, paired: Mapping[str, bool]) -> set[Key]:
    out: set[Key] = set()
    for r in regions:
        if not paired[r]:
            out.add((r, None))
        elif rule == "ipsilateral":
            out.add((r, side))
        elif rule == "contralateral":
            out.add((r, other(side)))
        else:
            out.update({(r, "left"), (r, "right")})
    return out


def build_zones(kb: KnowledgeBase,
                adjacency: Mapping[Key, frozenset[Key]]) -> dict[tuple[str, str], MuscleZone]:
    """Expand every muscle of ``kb`` on both sides into a :class:`MuscleZone`."""
    paired = {rid: r.paired for rid, r in kb.contract.regions.items()}
    zones: dict[tuple[str, str], MuscleZone] = {}
    for mid in sorted(kb.muscles):
        m = kb.muscles[mid]
        for side in SIDES:
            kind: dict[Key, str] = {}

            def put(keys: set[Key], k: str, kind: dict[Key, str] = kind) -> None:
                for key in keys:
                    if key not in kind or KIND_ORDER[k] < KIND_ORDER[kind[key]]:
                        kind[key] = k

            tps: list[TriggerPointZone] = []
            for tp in m.trigger_points:
                ess = _expand(tp.referral.essential, tp.referral.side, side, paired)
                loc = _expand(tp.location, "ipsilateral", side, paired)
                spill = _expand(tp.referral.spillover, tp.referral.side, side, paired)
                if tp.rare:  # an uncommon pattern: supporting evidence only
                    put(ess | spill, "spillover")
                    put(loc, "local")
                    continue
                put(ess, "essential")
                put(loc, "local")
                put(spill, "spillover")
                zone = frozenset(ess | loc)
                tps.append(TriggerPointZone(tp.id, zone, frozenset(loc),
                                            parts=pattern_parts(zone, adjacency)))
            core = [k for k, v in kind.items() if v in ("essential", "local")]
            neighbours: set[Key] = set()
            for key in core:
                neighbours.update(adjacency.get(key, ()))
            put(neighbours, "neighbour")
            n_neighbours = sum(1 for v in kind.values() if v == "neighbour")
            neighbour_weight = NEIGHBOUR * min(1.0, NEIGHBOUR_FULL / max(n_neighbours, 1))
            territory = frozenset(r for n in m.nerves for r in kb.nerves[n].territory)
            zones[(mid, side)] = MuscleZone(mid, side, kind, tuple(tps), frozenset(m.symptoms),
                                            territory, tuple(m.nerves), neighbour_weight)
    return zones


def build_index(zones: Mapping[tuple[str, str], MuscleZone]) -> dict[Key, list[tuple[str, str]]]:
    """Region key -> the (muscle, side) pairs whose zone (any kind) contains it."""
    index: dict[Key, list[tuple[str, str]]] = {}
    for ms, z in zones.items():
        for key in z.kind:
            index.setdefault(key, []).append(ms)
    return index
