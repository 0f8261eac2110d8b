"""The scoring model turned inside out: per painted region, what it adds to every muscle-side.

:func:`knoop.ranking.scoring.score_zone` walks one muscle-side's zones and builds the full
:class:`~knoop.ranking.scoring.Evidence` (the reasons need it). Ranking a pain map needs only
the *scores* of every muscle-side, so :class:`ScoreIndex` precomputes, when the knowledge base is
loaded, for each region key the muscle-sides whose zone holds it with the weight ``e`` it gets
there, and the parts of trigger points' essential zones that hold it. Scoring a pain map is then
a few list updates per painted region and one pass over the muscle-sides touched, with the same
arithmetic in the same order as ``score_zone`` (the same floats, so the same order;
``tests/ranking/test_scoreindex.py`` checks both agree, and ``bench/bench_rank.py`` compares it
with a NumPy version of the model).

Tingling or numbness (scored by nerve territory) is rare and takes ``score_zone``'s path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from knoop.ranking.priors import prior
from knoop.ranking.scoring import (
    COVERAGE_SMOOTHING,
    PRIOR_WEIGHT,
    W_COVERAGE,
    W_EXPLAINED,
    symptom_weight,
)
from knoop.ranking.zones import Key, MuscleZone

MuscleSide = tuple[str, str]


class ScoreIndex:
    """Built once per knowledge base: integer-indexed muscle-sides and trigger points."""

    def __init__(self, zones: Mapping[MuscleSide, MuscleZone]) -> None:
        self.sides: list[MuscleSide] = list(zones)
        position = {ms: i for i, ms in enumerate(self.sides)}
        #: region key -> [(muscle-side index, e)], the weight its zones give the region
        self.explains: dict[Key, list[tuple[int, float]]] = {}
        #: region key -> indices of the pattern parts (of every trigger point's essential zone,
        #: see ``zones.pattern_parts``) that hold it
        self.in_pattern: dict[Key, list[int]] = {}
        #: part index -> its size + COVERAGE_SMOOTHING (divided by, as score_zone does, so the
        #: floats are the same)
        self.pattern_size: list[float] = []
        #: muscle-side index -> the indices of its trigger points' parts
        self.patterns: list[tuple[int, ...]] = []
        self.symptoms: list[frozenset[str]] = []
        self.prior_factor: list[float] = []
        for i, ms in enumerate(self.sides):
            z = zones[ms]
            for key in z.kind:
                self.explains.setdefault(key, []).append((i, z.weight(key)))
            own: list[int] = []
            for tp in z.trigger_points:
                for part in tp.parts:
                    t = len(self.pattern_size)
                    own.append(t)
                    self.pattern_size.append(len(part) + COVERAGE_SMOOTHING)
                    for key in part:
                        self.in_pattern.setdefault(key, []).append(t)
            self.patterns.append(tuple(own))
            self.symptoms.append(z.symptoms)
            self.prior_factor.append(1 - PRIOR_WEIGHT + PRIOR_WEIGHT * prior(z.muscle))
        self.by_symptom: dict[str, list[int]] = {}
        for i, syms in enumerate(self.symptoms):
            for s in syms:
                self.by_symptom.setdefault(s, []).append(i)
        self.position = position

    def scores(self, painted: Mapping[Key, float], symptoms: Mapping[str, float]
               ) -> dict[int, float]:
        """Score (before findings and rounding) of every muscle-side with any support, by
        index; the same value ``score_zone(zone, painted, total, symptoms).score`` gives.
        ``painted`` must hold pain only (no tingling or numbness)."""
        num: dict[int, float] = {}
        counts: dict[int, int] = {}
        explains, in_pattern = self.explains, self.in_pattern
        for key, intensity in painted.items():
            for i, e in explains.get(key, ()):
                num[i] = num.get(i, 0.0) + intensity * e
            for t in in_pattern.get(key, ()):
                counts[t] = counts.get(t, 0) + 1
        total = float(sum(painted.values()))
        touched = set(num)
        sym_total = w_y = 0.0
        if symptoms:
            sym_total = sum(symptoms.values())
            w_y = symptom_weight(sym_total)
            for s in symptoms:
                touched.update(self.by_symptom.get(s, ()))
        denominator = W_EXPLAINED + W_COVERAGE + w_y
        out: dict[int, float] = {}
        size = self.pattern_size
        for i in touched:
            explained = num.get(i, 0.0) / total if total > 0 else 0.0
            coverage = 0.0
            if counts:
                for t in self.patterns[i]:
                    c = counts.get(t)
                    if c is not None:
                        cov = c / size[t]
                        if cov > coverage:
                            coverage = cov
            y = 0.0
            if symptoms:
                own = self.symptoms[i]
                y = sum(w for s, w in symptoms.items() if s in own) / sym_total
            raw = W_EXPLAINED * explained + W_COVERAGE * coverage + w_y * y
            raw /= denominator
            out[i] = raw * self.prior_factor[i] if raw > 0 else 0.0
        return out

    def order(self, scored: Mapping[int, float], active: Sequence[int] = ()
              ) -> list[int]:
        """Indices best first: an active finding first, then score, muscle ID, side."""
        sides = self.sides
        first = set(active)
        return sorted(scored, key=lambda i: (i not in first, -scored[i], sides[i]))
