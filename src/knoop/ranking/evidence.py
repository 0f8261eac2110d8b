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

from collections.abc import Mapping
from typing import TYPE_CHECKING

from knoop.ranking.painmap import PainMap
from knoop.ranking.scoring import Evidence, apply_findings
from knoop.ranking.zones import MuscleZone

if TYPE_CHECKING:
    from knoop.ranking.scoreindex import ScoreIndex, Sums


def evidence_from(i: int, z: MuscleZone, index: ScoreIndex, sums: Mapping[str | None, Sums],
                  symptoms: Mapping[str, float], pm: PainMap) -> tuple[Evidence, int]:
    """The evidence of muscle-side ``i`` (zone ``z``) and the size of its best trigger point's
    essential zone (0 without one). ``sums``: of the whole drawing (key ``None``) and, for a
    symmetric drawing, of each side's half (``"left"``, ``"right"``)."""
    use = sums[None]
    per_side = False
    half = sums.get(z.side)
    if half is not None and half.score.item(i) > use.score.item(i):
        use, per_side = half, True
    ev = Evidence(z.muscle, z.side)
    ev.per_side = per_side
    painted = use.painted
    tp_size = 0
    if use.total > 0:
        kinds = z.kind
        by_kind = ev.by_kind
        unexplained = ev.unexplained
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
        counts = use.counts
        if use.explained is not None and use.coverage is not None:
            ev.explained = use.explained.item(i)
            ev.coverage = max(use.coverage.item(i), 0.0)
        best_whole, best, best_t = -1.0, None, 0
        size = index.part_sizes
        for tp, t in index.whole_parts[i]:
            whole = (counts.item(t) if counts is not None else 0) / size[t]
            if whole > best_whole:
                best_whole, best, best_t = whole, tp, t
            if not ev.local and not tp.location.isdisjoint(painted):
                ev.local = True
        if best is not None:
            ev.best_tp = best.id
            ev.covered = counts.item(best_t) if counts is not None else 0
            ev.unpainted_essential = [k for k in best.ordered if k not in painted]
            tp_size = len(best.essential)
    if symptoms:
        ev.symptom_matches = [s for s in symptoms if s in z.symptoms]
    ev.score = use.score.item(i)
    apply_findings(ev, pm)
    ev.score = round(ev.score, 9)  # float noise must not decide an order
    return ev, tp_size
