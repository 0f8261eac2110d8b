"""The scoring model turned inside out and held as arrays: per region key, what it adds to every
muscle-side.

:func:`knoop.ranking.scoring.score_zone` walks one muscle-side's zones and builds the full
:class:`~knoop.ranking.scoring.Evidence` (the reasons need it). Ranking a pain map needs only
the *scores* of every muscle-side, so :class:`ScoreIndex` precomputes, when the knowledge base is
loaded, a matrix of the weight ``e`` each region key gets in each muscle-side's zones, which keys
each part of a trigger point's essential zone holds, and which muscle-sides cause each symptom.
Scoring a pain map is then a handful of array operations over the painted rows.

The arithmetic is ``score_zone``'s, in the same order, so the floats are the same to the last
bit (and so is the order): each sum adds the painted regions (or symptoms) one after the other
in the order of the pain map (:func:`in_order`: never a BLAS dot product or a pairwise sum), a region outside a zone adds an exact ``0.0``, and every
other step is one elementwise IEEE operation as in Python. ``tests/ranking/test_scoreindex.py``
checks the order and scores against the reference on many random maps, and
``bench/bench_rank.py`` compares the speed with a NumPy version of the model.

Tingling or numbness (scored by nerve territory) is rare and takes ``score_zone``'s path.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from knoop.ranking.priors import prior
from knoop.ranking.scoring import (
    COVERAGE_SMOOTHING,
    PRIOR_WEIGHT,
    W_COVERAGE,
    W_EXPLAINED,
    Scored,
    symmetric_halves,
    symptom_weight,
)
from knoop.ranking.zones import Key, MuscleZone, TriggerPointZone

MuscleSide = tuple[str, str]
Floats = npt.NDArray[np.float64]


@dataclass
class Sums:
    """What scoring one drawing (or one half of a symmetric one) worked out, per muscle-side:
    the share explained, the coverage, each pattern part's painted count, and the score
    (before findings); ``None`` where nothing painted lies in any zone."""

    painted: Mapping[Key, float]
    total: float
    explained: Floats | None = None
    coverage: Floats | None = None
    counts: npt.NDArray[Any] | None = None
    score: Floats = field(default_factory=lambda: np.zeros(0))


def in_order(terms: Floats) -> Floats:
    """The column sums of ``terms``, adding its rows one after the other as Python's ``sum``
    does (a cumulative sum is sequential by definition; ``.sum(axis=0)`` may add pairwise)."""
    return np.add.accumulate(terms, axis=0)[-1]


def rounded(values: Floats, digits: int) -> Floats:
    """``[round(v, digits) for v in values]`` (Python's correctly rounded ``round``, the same
    floats to the last bit) ~15x faster: ``rint(v * 10**digits) / 10**digits`` is the same
    double wherever ``v * 10**digits`` is clearly not halfway between two integers (the division
    is correctly rounded, as the decimal Python rounds to is read back); the few values near
    halfway take Python's ``round``. ``tests/ranking/test_scoreindex.py`` checks it on millions
    of values, halfway cases and their neighbours included."""
    scale = 10.0 ** digits
    scaled = values * scale
    out: Floats = np.rint(scaled) / scale
    near_half = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    if near_half.size:
        out[near_half] = [round(v, digits) for v in values[near_half].tolist()]
    return out


class ScoreIndex:
    """Built once per knowledge base: integer-indexed muscle-sides, region keys, pattern parts
    and symptoms, as arrays."""

    def __init__(self, zones: Mapping[MuscleSide, MuscleZone]) -> None:
        self.sides: list[MuscleSide] = list(zones)
        self.position = {ms: i for i, ms in enumerate(self.sides)}
        n = len(self.sides)
        #: the place of each muscle-side in (muscle ID, side) order: the last tie-break
        self.tie = np.empty(n, dtype=np.intp)
        self.tie[sorted(range(n), key=self.sides.__getitem__)] = np.arange(n)
        keys: set[Key] = set()
        for z in zones.values():
            keys.update(z.kind)
            keys.update(k for tp in z.trigger_points for part in tp.parts for k in part)
        #: region key -> its row in the matrices below
        self.row = {k: r for r, k in enumerate(sorted(keys, key=lambda k: (k[0], k[1] or "")))}
        #: key x muscle-side: the weight ``e`` its zones give the key (0 outside them)
        self.weight = np.zeros((len(self.row), n))
        parts: list[list[int]] = []
        sizes: list[float] = []
        owners: list[int] = []
        for i, ms in enumerate(self.sides):
            z = zones[ms]
            for key in z.kind:
                self.weight[self.row[key], i] = z.weight(key)
            for tp in z.trigger_points:
                for part in tp.parts:
                    parts.append([self.row[k] for k in part])
                    sizes.append(len(part) + COVERAGE_SMOOTHING)
                    owners.append(i)
        #: key x pattern part (of every trigger point's essential zone, see
        #: ``zones.pattern_parts``): 1 where the part holds the key
        self.member = np.zeros((len(self.row), len(parts)), dtype=np.uint8)
        for t, rows in enumerate(parts):
            self.member[rows, t] = 1
        #: part -> its size + COVERAGE_SMOOTHING (divided by, as score_zone does)
        self.part_size = np.array(sizes)
        self.part_sizes = sizes  # the same as a list (one at a time is faster from a list)
        owner = np.array(owners, dtype=np.intp)  # ascending: parts are listed per muscle-side
        #: the muscle-sides with trigger points, and where their parts start
        self.with_parts = np.unique(owner)
        #: muscle-side -> its trigger points with the part that is their whole essential zone
        #: (the first of each one's parts)
        self.whole_parts: list[list[tuple[TriggerPointZone, int]]] = [[] for _ in self.sides]
        t = 0
        for i, ms in enumerate(self.sides):
            for tp in zones[ms].trigger_points:
                self.whole_parts[i].append((tp, t))
                t += len(tp.parts)
        self.parts_start = np.searchsorted(owner, self.with_parts)
        symptoms = sorted({s for z in zones.values() for s in z.symptoms})
        self.symptom_row = {s: r for r, s in enumerate(symptoms)}
        #: symptom x muscle-side: 1.0 where the muscle can cause the symptom
        self.causes = np.zeros((len(symptoms), n))
        for i, ms in enumerate(self.sides):
            for s in zones[ms].symptoms:
                self.causes[self.symptom_row[s], i] = 1.0
        self.prior_factor = np.array(
            [1 - PRIOR_WEIGHT + PRIOR_WEIGHT * prior(m) for m, _s in self.sides])
        #: True for a left-sided muscle (a symmetric drawing scores each side by its own half)
        self.is_left = np.array([s == "left" for _m, s in self.sides])

    def score_map(self, painted: Mapping[Key, float], symptoms: Mapping[str, float]
                  ) -> tuple[Floats, dict[str | None, Sums]]:
        """The score (before findings and rounding) of every muscle-side for a drawing, a
        symmetric one also judged per side (each muscle-side by its own half where that scores
        higher, as ``Ranker._evidence_of`` does), and the sums they came from: of the whole
        drawing (``None``) and of each half (``"left"``, ``"right"``)."""
        sums: dict[str | None, Sums] = {None: self.sums(painted, symptoms)}
        scored = sums[None].score.copy()  # the findings change it; the sums stay
        halves = symmetric_halves(painted)
        if halves:
            sums.update((side, self.sums(half, symptoms)) for side, half in halves.items())
            own = np.where(self.is_left, sums["left"].score, sums["right"].score)
            scored = np.maximum(scored, own)
        return scored, sums

    @staticmethod
    def rounded(values: list[float], digits: int) -> list[float]:
        """``[round(v, digits) for v in values]``, at once (see :func:`rounded`)."""
        return rounded(np.array(values, dtype=np.float64), digits).tolist()

    def scores(self, painted: Mapping[Key, float], symptoms: Mapping[str, float]) -> Floats:
        """Score (before findings and rounding) of every muscle-side, by index (0 where nothing
        supports it); the same value ``score_zone(zone, painted, total, symptoms).score``
        gives. ``painted`` must hold pain only (no tingling or numbness)."""
        return self.sums(painted, symptoms).score

    def sums(self, painted: Mapping[Key, float], symptoms: Mapping[str, float]) -> Sums:
        """:meth:`scores` with the parts they are made of (the evidence is built from them)."""
        row = self.row
        rows = [row[k] for k in painted if k in row]
        total = float(sum(painted.values()))
        n = len(self.sides)
        raw: Floats
        out = Sums(painted, total)
        if rows and total > 0:
            intensity = np.array([w for k, w in painted.items() if k in row])
            out.explained = explained = in_order(self.weight[rows] * intensity[:, None]) / total
            out.counts = counts = self.member[rows].sum(axis=0)
            out.coverage = coverage = np.zeros(n)
            coverage[self.with_parts] = np.maximum.reduceat(counts / self.part_size,
                                                            self.parts_start)
            raw = W_EXPLAINED * explained + W_COVERAGE * coverage
        else:
            raw = np.zeros(n)
        w_y = 0.0
        if symptoms:
            sym_total = sum(symptoms.values())
            w_y = symptom_weight(sym_total)
            known = [s for s in symptoms if s in self.symptom_row]  # others: no muscle's
            if known:
                weights = np.array([symptoms[s] for s in known])
                matched = in_order(self.causes[[self.symptom_row[s] for s in known]]
                                   * weights[:, None])
                raw = raw + w_y * (matched / sym_total)
        raw = raw / (W_EXPLAINED + W_COVERAGE + w_y)
        out.score = np.where(raw > 0, raw * self.prior_factor, 0.0)
        return out

    def ranked(self, scored: Floats, findings: Mapping[int, str]) -> Scored:
        """The muscle-sides with a score above 0 (rounded to 9 decimals, as ``_evidence_of``
        does: float noise must not decide an order) or a finding, best first: an active
        finding first, then score, muscle ID, side."""
        index = np.flatnonzero(scored)
        with_finding = np.fromiter(findings, dtype=np.intp, count=len(findings))
        if findings:
            index = np.union1d(index, with_finding)
        values = rounded(scored[index], 9)
        keep = values > 0
        if findings:
            keep |= np.isin(index, with_finding)
        index, values = index[keep], values[keep]
        sort_keys: list[npt.NDArray[Any]] = [self.tie[index], -values]
        active = [i for i, f in findings.items() if f == "active"]
        if active:
            sort_keys.append(~np.isin(index, active))
        order = np.lexsort(sort_keys)
        return Scored(index[order].tolist(), values[order].tolist(), dict(findings))
