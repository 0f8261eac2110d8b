"""The evidence of one muscle-side (what its reasons are made of) from the score index's sums.

:func:`knoop.ranking.scoring.score_zone` is the reference: it walks the muscle-side's zones and
every part of each trigger point's pattern. Ranking has already worked out, for every
muscle-side at once, the share explained, the coverage and each pattern part's painted count
(:class:`~knoop.ranking.scoreindex.Sums`), so the evidence of the few candidates that get
reasons takes those and walks only the painted regions. The result equals ``score_zone`` (then
the per-side choice and the findings, as ``Ranker._evidence_of`` does) field for field;
``tests/ranking/test_evidence.py`` checks it on many random maps. Pain only: a drawing with
tingling or numbness takes the reference path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from knoop.ranking.painmap import PainMap
from knoop.ranking.scoring import Evidence, apply_findings
from knoop.ranking.zones import Key, MuscleZone

if TYPE_CHECKING:
    from knoop.ranking.scoreindex import ScoreIndex, Sums


def evidence_from(i: int, z: MuscleZone, index: ScoreIndex, sums: Mapping[str | None, Sums],
                  symptoms: Mapping[str, float], pm: PainMap) -> tuple[Evidence, int]:
    """The evidence of muscle-side ``i`` (zone ``z``) and the size of its best trigger point's
    essential zone (0 without one). ``sums``: of the whole drawing (key ``None``) and, for a
    symmetric drawing, of each side's half (``"left"``, ``"right"``)."""
    return evidences_from([i], [z], index, sums, symptoms, pm)[0]


def evidences_from(indices: Sequence[int], zones: Sequence[MuscleZone], index: ScoreIndex,
                   sums: Mapping[str | None, Sums], symptoms: Mapping[str, float],
                   pm: PainMap) -> list[tuple[Evidence, int]]:
    """:func:`evidence_from` of several muscle-sides of one drawing at once (what their
    reasons are made of): the per-side values are read from the arrays once for all of them."""
    whole = sums[None]
    halves = [sums.get(z.side) for z in zones] if len(sums) > 1 else [None] * len(zones)
    scores = whole.score[indices].tolist()
    per_side = [False] * len(zones)
    uses = [whole] * len(zones)
    for n, half in enumerate(halves):
        if half is not None:
            own = half.score.item(indices[n])
            if own > scores[n]:
                scores[n], uses[n], per_side[n] = own, half, True
    values: dict[int, tuple[list[float], list[float]]] = {}
    for use in {id(u): u for u in uses}.values():
        if use.explained is not None and use.coverage is not None:
            values[id(use)] = (use.explained[indices].tolist(), use.coverage[indices].tolist())
    size = index.part_sizes
    whole_parts = index.whole_parts
    findings = pm.findings
    out: list[tuple[Evidence, int]] = []
    for n, i in enumerate(indices):
        z = zones[n]
        use = uses[n]
        painted = use.painted
        by_kind: dict[str, list[Key]] = {}
        unexplained: list[Key] = []
        explained = coverage = 0.0
        local = False
        best_id: str | None = None
        covered = tp_size = 0
        unpainted: list[Key] = []
        if use.total > 0:
            kinds = z.kind
            for key in painted:
                kind = kinds.get(key)
                if kind is None:
                    unexplained.append(key)
                    continue
                if kind in by_kind:
                    by_kind[kind].append(key)
                else:
                    by_kind[kind] = [key]
                if kind == "neighbour":
                    unexplained.append(key)
            got = values.get(id(use))
            if got is not None:
                explained = got[0][n]
                coverage = max(got[1][n], 0.0)
            counts = use.counts
            best_whole, best, best_t = -1.0, None, 0
            for tp, t in whole_parts[i]:
                part = (counts.item(t) if counts is not None else 0) / size[t]
                if part > best_whole:
                    best_whole, best, best_t = part, tp, t
                if not local and not tp.location.isdisjoint(painted):
                    local = True
            if best is not None:
                best_id = best.id
                covered = counts.item(best_t) if counts is not None else 0
                unpainted = [k for k in best.ordered if k not in painted]
                tp_size = len(best.essential)
        matches = [s for s in symptoms if s in z.symptoms] if symptoms else []
        ev = Evidence(z.muscle, z.side, explained, coverage, local, best_id, matches, by_kind,
                      unexplained, unpainted, None, None, scores[n], per_side[n], covered)
        if findings:
            apply_findings(ev, pm)
        ev.score = round(ev.score, 9)  # float noise must not decide an order
        out.append((ev, tp_size))
    return out
