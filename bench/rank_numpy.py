"""The scoring model of knoop.ranking as matrix arithmetic with NumPy: the yardstick of
bench_rank.py (how close the pure-Python scoring gets to a vectorised one). Not used by knoop.

Region keys x muscle-sides weight matrix E (the ``e`` of docs/ranking.md), key x pattern-part
membership P (the parts of every trigger point's essential zone), symptom x muscle-side
membership S. For a pain map with weights p (intensity ** 1.5): explained = p E / sum(p);
coverage = max over a muscle's pattern parts of (mask P) / (size + 1); symptoms = w S / sum(w),
weighing symptom_weight(sum(w)); score as in scoring.py, a symmetric drawing also per half. Handles pain and symptoms (no tingling/numbness, no findings)."""

from __future__ import annotations

from typing import Any

import numpy as np

from knoop.ranking import Ranker
from knoop.ranking.painmap import PainMap
from knoop.ranking.scoring import (
    INTENSITY_POWER,
    W_COVERAGE,
    W_EXPLAINED,
    symmetric_halves,
    symptom_weight,
)


class NumpyScorer:
    def __init__(self, r: Ranker) -> None:
        index = r.score_index
        self.sides = index.sides  # sorted by muscle, then side: the tie-break order
        keys = sorted({k for z in r.zones.values() for k in z.kind}, key=lambda k: (k[0], k[1] or ""))
        self.key_pos = {k: i for i, k in enumerate(keys)}
        n_ms = len(self.sides)
        self.E = np.zeros((len(keys), n_ms))
        for j, ms in enumerate(self.sides):
            for k, w in r.zones[ms].weights.items():
                self.E[self.key_pos[k], j] = w
        tp_owner: list[int] = []
        sizes: list[float] = []
        members: list[list[int]] = []
        for j, ms in enumerate(self.sides):
            for tp in r.zones[ms].trigger_points:
                for part in tp.parts:
                    tp_owner.append(j)
                    sizes.append(len(part) + 1.0)
                    members.append([self.key_pos[k] for k in part if k in self.key_pos])
        self.P = np.zeros((len(keys), len(sizes)))
        for t, rows in enumerate(members):
            self.P[rows, t] = 1.0
        self.size = np.array(sizes)
        owner = np.array(tp_owner)  # ascending: trigger points are listed per muscle-side
        self.with_tp = np.unique(owner)
        self.tp_start = np.searchsorted(owner, self.with_tp)
        self.n_ms = n_ms
        syms = sorted(r.kb.contract.symptoms)
        self.sym_pos = {s: i for i, s in enumerate(syms)}
        self.S = np.zeros((len(syms), n_ms))
        for j, ms in enumerate(self.sides):
            for s in r.zones[ms].symptoms:
                self.S[self.sym_pos[s], j] = 1.0
        self.prior = np.array(index.prior_factor)
        self.symptom_weight = r.symptom_weight
        self.is_left = np.array([ms[1] == "left" for ms in self.sides])

    def _raw(self, painted: dict[Any, float], y: np.ndarray | None, w_y: float = 0.0
             ) -> np.ndarray:
        rows = [self.key_pos[k] for k in painted if k in self.key_pos]
        p = np.array([painted[k] for k in painted if k in self.key_pos])
        total = sum(painted.values())
        explained = p @ self.E[rows] / total if rows else np.zeros(self.n_ms)
        cov_tp = self.P[rows].sum(axis=0) / self.size if rows else np.zeros(len(self.size))
        coverage = np.zeros(self.n_ms)
        coverage[self.with_tp] = np.maximum.reduceat(cov_tp, self.tp_start)
        raw = W_EXPLAINED * explained + W_COVERAGE * coverage
        if y is not None:
            raw = (raw + w_y * y) / (W_EXPLAINED + W_COVERAGE + w_y)
        else:
            raw = raw / (W_EXPLAINED + W_COVERAGE)
        return np.where(raw > 0, raw * self.prior, 0.0)

    def top(self, pm: PainMap, symptoms: list[str], n: int = 10) -> list[tuple[Any, float]]:
        painted = {r.key: float(r.intensity) ** INTENSITY_POWER for r in pm.regions}
        y, w_y = None, 0.0
        if symptoms:
            w = np.zeros(len(self.sym_pos))
            for s in symptoms:
                w[self.sym_pos[s]] = self.symptom_weight[s]
            y = w @ self.S / w.sum()
            w_y = symptom_weight(float(w.sum()))
        score = self._raw(painted, y, w_y)
        halves = symmetric_halves(painted)
        if halves:
            own = np.where(self.is_left, self._raw(halves["left"], y, w_y),
                           self._raw(halves["right"], y, w_y))
            score = np.maximum(score, own)
        score = np.round(score, 9)
        k = min(n, int((score > 0).sum()))
        if k == 0:
            return []
        kth = -np.partition(-score, k - 1)[k - 1]
        cand = np.nonzero(score >= kth)[0]
        best = cand[np.lexsort((cand, -score[cand]))][:k]
        return [(self.sides[j], float(score[j])) for j in best]
