"""The scoring model: how well one muscle on one side accounts for a pain map.

See docs/ranking.md for the model in words with a worked example. In short, for muscle m on
side s and painted regions p with intensity i_p (1-10):

* ``explained`` X = sum(w_p * e_m(p)) / sum(w_p) with w_p = i_p ** 1.5: the intensity-weighted
  share of the drawing its zones explain, where e = 1 for its essential zone, 0.6 for pain over
  its own trigger points (local pain), 0.45 for spillover, 0.2 for regions touching its essential
  zone (shared out for very large zones), 0 otherwise. Tingling or numbness is not referred pain:
  a referral zone does not explain it (NUMB_IN_ZONE = 0); it counts 0.8 where a nerve the muscle
  can squeeze serves the region.
* ``coverage`` C = max over its trigger points, and over the parts of each one's essential zone
  (the whole zone; each zone region with the zone regions touching it), of painted / (part
  size + 1), pain only, not tingling: how much of one part of a referral pattern the client drew.
  The parts are fixed per zone, so painting more of a zone never lowers C.
* A symmetric bilateral drawing is also scored per side (see ``symmetric_halves``).
* ``symptoms`` Y = weighted share of the reported symptoms (and symptoms implied by pain
  qualities) that the muscle can cause, each weighted by its specificity v_s (rarer symptoms
  weigh more; 1 = as specific as the average symptom); only when symptoms exist. The symptoms
  weigh W_Y = 0.30 * min(2, sum of v_s reported) against the drawing.

score = (0.55 X + 0.30 C + W_Y Y) / (0.85 + W_Y) * (0.8 + 0.2 prior), in 0..1.
Findings then re-rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from knoop.kb.contract import Contract
from knoop.ranking.painmap import PainMap
from knoop.ranking.priors import prior
from knoop.ranking.zones import KIND_WEIGHT, Key, MuscleZone

if TYPE_CHECKING:
    from knoop.ranking.scoreindex import Sums

W_EXPLAINED, W_COVERAGE, W_SYMPTOMS = 0.55, 0.30, 0.30
COVERAGE_SMOOTHING = 1.0
#: The symptoms together weigh at most this many average symptoms against the drawing.
SYMPTOM_CAP = 2.0
PRIOR_WEIGHT = 0.2  # the prior moves a score by at most 20 %
INTENSITY_POWER = 1.5  # weight of a painted region = intensity ** INTENSITY_POWER
NONE_FOUND_FACTOR = 0.15
NONE_FOUND_TP_FACTOR = 0.6
#: A latent trigger point (tender, recognised, but not the client's pain) lifts the score a
#: little: closes this share of the gap to 1.0, never above an active finding.
LATENT_LIFT = 0.1
#: How alike the two sides of a drawing must be (Jaccard of the regions) to count as symmetric.
SYMMETRY = 0.5
#: How much of tingling or numbness drawn in a referral zone that zone explains: none; it follows
#: nerves, so it counts only where a nerve the muscle can squeeze serves the region.
NUMB_IN_ZONE = 0.0
ARM_GROUPS = {"upper_arm", "elbow", "forearm", "wrist", "hand", "axilla"}
LEG_GROUPS = {"thigh", "knee", "leg", "ankle", "foot"}
#: The reported symptom that tingling or numbness drawn in a limb stands for.
LIMB_SYMPTOM = {"arm": "hand_numbness_tingling", "leg": "leg_numbness_tingling"}


@dataclass
class Evidence:
    """Why muscle ``muscle`` on ``side`` scored what it did."""

    muscle: str
    side: str
    explained: float = 0.0
    coverage: float = 0.0
    local: bool = False
    best_tp: str | None = None
    symptom_matches: list[str] = field(default_factory=list)
    by_kind: dict[str, list[Key]] = field(default_factory=dict)
    unexplained: list[Key] = field(default_factory=list)
    unpainted_essential: list[Key] = field(default_factory=list)
    finding: str | None = None
    finding_tp: str | None = None
    score: float = 0.0
    per_side: bool = False  # scored against its own half of a symmetric bilateral drawing
    covered: int = 0  # painted (pain, not tingling) regions of the best trigger point's zone

    @property
    def sort_key(self) -> tuple[int, float, str, str]:
        return (0 if self.finding == "active" else 1, -self.score, self.muscle,
                self.side)


@dataclass
class Scored:
    """The muscle-sides with any support (a score above 0 after rounding, or a finding), best
    first: their indices, rounded scores and findings."""

    index: list[int]
    score: list[float]
    finding: dict[int, str] = field(default_factory=dict)
    #: what the scores were made of, when the score index's arrays scored them (see
    #: ``scoreindex.Sums``): the whole drawing (``None``) and, for a symmetric one, each
    #: side's half; ``None`` when the reference path scored them
    sums: dict[str | None, Sums] | None = None


def painted_weights(pm: PainMap) -> dict[Key, float]:
    """Each painted region's weight in the drawing: intensity ** INTENSITY_POWER."""
    return {r.key: float(r.intensity) ** INTENSITY_POWER for r in pm.regions}


def nerve_regions(pm: PainMap, c: Contract) -> dict[Key, str]:
    """Painted keys drawn as tingling or numb, with their limb (arm, leg or other)."""
    out: dict[Key, str] = {}
    for r in pm.regions:
        if r.quality in ("tingling", "numb"):
            group = c.regions[r.region].group
            out[r.key] = "arm" if group in ARM_GROUPS else "leg" if group in LEG_GROUPS \
                else "other"
    return out


def implied_symptoms(pm: PainMap, c: Contract) -> list[str]:
    """Reported symptoms plus those implied by pain qualities (burning -> skin symptom).

    Tingling or numbness implies no symptom: it is scored where it was drawn, by nerve territory
    (see :func:`score_zone`)."""
    out = list(pm.symptoms)
    if any(r.quality == "burning" for r in pm.regions) and "burning_itching_skin" not in out:
        out.append("burning_itching_skin")
    return out


def symmetric_halves(painted: Mapping[Key, float]) -> dict[str, dict[Key, float]] | None:
    """For a drawing that is (mostly) the same on both sides, each side's half with the midline:
    ``{"left": {...}, "right": {...}}``; None for a one-sided or lopsided drawing.

    Symmetric = the regions drawn on the left and on the right overlap by at least
    SYMMETRY (Jaccard)."""
    left = {k[0] for k in painted if k[1] == "left"}
    right = {k[0] for k in painted if k[1] == "right"}
    if not left or not right or len(left & right) / len(left | right) < SYMMETRY:
        return None
    return {side: {k: w for k, w in painted.items() if k[1] in (side, None)}
            for side in ("left", "right")}


def symptom_weight(reported: float) -> float:
    """How much the reported symptoms weigh against the drawing, from the sum of their
    specificities (1 = an average symptom): W_SYMPTOMS per average symptom, at most
    SYMPTOM_CAP of them. One common complaint (a stiff neck, 0.72) weighs less than today's
    fixed 0.30, a sign only one muscle gives (a tearing eye, 1.29) more."""
    return W_SYMPTOMS * min(SYMPTOM_CAP, reported)


def serves(z: MuscleZone, key: Key) -> bool:
    """Does a nerve that ``z``'s muscle can squeeze serve the painted ``key``?"""
    return key[0] in z.territory and key[1] in (z.side, None)


def score_zone(z: MuscleZone, painted: Mapping[Key, float], total: float,
               symptoms: Mapping[str, float], nerve: Mapping[Key, str] | None = None) -> Evidence:
    """Evidence for one muscle-side.

    ``total`` = sum of painted weights; ``symptoms`` maps each reported (or implied) symptom
    to its weight (rarer symptoms weigh more); ``nerve`` maps painted keys drawn as tingling or
    numb to their limb ("arm", "leg", "other")."""
    ev = Evidence(z.muscle, z.side)
    nerve = nerve or {}
    if total > 0:
        num = 0.0
        kinds, weights = z.kind, z.weights
        by_kind = ev.by_kind
        for key, intensity in painted.items():
            kind = kinds.get(key)
            if key in nerve:
                e = weights.get(key, 0.0) * NUMB_IN_ZONE
                if serves(z, key) and KIND_WEIGHT["nerve"] > e:
                    kind, e = "nerve", KIND_WEIGHT["nerve"]
                elif e <= 0:
                    kind = None  # tingling in a referral zone: not explained by that zone
            elif kind is not None:
                e = weights[key]
            if kind is None:
                ev.unexplained.append(key)
                continue
            num += intensity * e
            if kind in by_kind:
                by_kind[kind].append(key)
            else:
                by_kind[kind] = [key]
            if kind == "neighbour":
                ev.unexplained.append(key)
        ev.explained = num / total
        # Pattern coverage counts pain, not tingling or numbness (that follows nerves).
        keys = {k for k in painted if k not in nerve} if nerve else painted.keys()
        # C: the best-drawn part of any of its patterns. The reasons (and the trigger point to
        # palpate first) name the pattern drawn the most as a whole.
        best, best_whole, best_tp = -1.0, -1.0, None
        for tp in z.trigger_points:
            whole = len(tp.essential & keys) / (len(tp.essential) + COVERAGE_SMOOTHING)
            if whole > best_whole:
                best_whole, best_tp = whole, tp
            for part in tp.parts:
                cov = len(part & keys) / (len(part) + COVERAGE_SMOOTHING)
                if cov > best:
                    best = cov
            if not ev.local and not tp.location.isdisjoint(keys):
                ev.local = True
        ev.coverage = max(best, 0.0)
        if best_tp is not None:
            ev.best_tp = best_tp.id
            ev.covered = len(best_tp.essential & keys)
            ev.unpainted_essential = [k for k in best_tp.ordered if k not in painted]
    if symptoms and nerve:
        # A reported "tingling in arm/leg" fits the muscle only if, where tingling is drawn in
        # that limb, one of its nerves serves it.
        drawn = {LIMB_SYMPTOM[limb]: [k for k, lb in nerve.items() if lb == limb]
                 for limb in LIMB_SYMPTOM}
        ev.symptom_matches = [s for s in symptoms if s in z.symptoms and
                              (not drawn.get(s) or any(serves(z, k) for k in drawn[s]))]
    elif symptoms:
        ev.symptom_matches = [s for s in symptoms if s in z.symptoms]
    y, w_y = 0.0, 0.0
    if symptoms:
        reported = sum(symptoms.values())
        y = sum(symptoms[s] for s in ev.symptom_matches) / reported
        w_y = symptom_weight(reported)
    raw = W_EXPLAINED * ev.explained + W_COVERAGE * ev.coverage + w_y * y
    raw /= W_EXPLAINED + W_COVERAGE + w_y
    ev.score = raw * (1 - PRIOR_WEIGHT + PRIOR_WEIGHT * prior(z.muscle)) if raw > 0 else 0.0
    return ev


def apply_findings(ev: Evidence, pm: PainMap) -> None:
    """Re-rank by palpation: none_found sharply lowers, active goes on top, latent lifts a
    little (``LATENT_LIFT`` of the gap to 1.0)."""
    for f in pm.findings:
        if f.muscle != ev.muscle or f.side != ev.side:
            continue
        ev.finding, ev.finding_tp = f.result, f.trigger_point
        if f.result == "none_found":
            ev.score *= NONE_FOUND_TP_FACTOR if f.trigger_point else NONE_FOUND_FACTOR
        elif f.result == "active":
            ev.score = 1.0 - (1.0 - ev.score) * 0.1
        elif f.result == "latent":
            ev.score += (1.0 - ev.score) * LATENT_LIFT
