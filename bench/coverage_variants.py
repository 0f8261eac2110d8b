"""Ways to normalise pattern coverage C, measured (docs/ranking.md, "coverage denominator").

Not a speed benchmark: an experiment harness, kept so the table in docs/ranking.md can be
measured again. Each variant replaces C in the reference scoring (``score_zone``) and every map
is scored through that path. Per variant it prints one table row: hit@1, hit@3, recall@5 on the
dev vignettes, the self-check, the ranks of the scalenes (sternum + left chest), the iliopsoas
(right groin alone), the SCM in the tearing-eye case and the temporalis in the band-like
headache, and whether the nerve maps hold (no ulnar-nerve muscle in the top 5 for the median
map, no foot or calf muscle for lateral-thigh numbness). ``--monotone`` also searches maps
where painting one more region of a muscle's essential zone lowers its score.

    .venv/bin/python bench/coverage_variants.py            # every variant
    .venv/bin/python bench/coverage_variants.py local lam0.25 --monotone
    .venv/bin/python bench/coverage_variants.py shipped base+scap2.0 ball1w+scap2.0

A name is ``COVERAGE`` or ``COVERAGE+SYMPTOMS`` (how the symptoms weigh, see
:func:`symptom_variants`; default ``sbase``, the fixed 0.30 before round 2); ``shipped`` scores
with the package as it is. The last column is the SCM's lead in the tearing-eye case.

Changes nothing in the package; prints figures, asserts nothing."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import knoop.ranking as ranking
from knoop.ranking import Ranker, default_ranker
from knoop.ranking import scoring as S
from knoop.ranking.evaluation import evaluate, muscle_order
from knoop.ranking.priors import prior
from knoop.ranking.zones import Key, MuscleZone, TriggerPointZone

VIGNETTES = Path(__file__).resolve().parent.parent / "tests/data/vignettes_dev.json"
Coverage = Callable[[TriggerPointZone, set[Key], Mapping[Key, float]], float]
#: (matched symptoms, reported symptoms with their weights) -> (symptom evidence added to the
#: numerator, weight added to the denominator) of the score
Symptoms = Callable[[list[str], Mapping[str, float]], tuple[float, float]]


def _share(e: frozenset[Key], keys: set[Key], painted: Mapping[Key, float]) -> float:
    """Share of the drawing's weight inside the zone ``e`` (precision of one pattern)."""
    return sum(painted[k] for k in e & keys) / sum(painted[k] for k in keys)


def variants(adjacency: Mapping[Key, frozenset[Key]]) -> dict[str, Coverage]:
    """Name -> C of one trigger point (h = zone regions drawn, s = zone size, n = drawn)."""

    def near(keys: set[Key], steps: int) -> set[Key]:
        out = set(keys)
        for _ in range(steps):
            out |= {n for k in out for n in adjacency.get(k, ())}
        return out

    def lam(lam: float, floor: int = 0) -> Coverage:
        def c(tp: TriggerPointZone, keys: set[Key], painted: Mapping[Key, float]) -> float:
            s, m = len(tp.essential), min(len(tp.essential), max(len(keys), floor))
            return len(tp.essential & keys) / (m + 1 + lam * (s - m))
        return c

    def h(tp: TriggerPointZone, keys: set[Key]) -> int:
        return len(tp.essential & keys)

    return {
        "base": lambda tp, k, p: h(tp, k) / (len(tp.essential) + 1),
        "minP2": lam(0.0, 2),
        "minP3": lam(0.0, 3),
        "minN": lam(0.0),
        "K4": lambda tp, k, p: min(1.0, h(tp, k) / (min(len(tp.essential), 4) + 1)),
        "K5": lambda tp, k, p: min(1.0, h(tp, k) / (min(len(tp.essential), 5) + 1)),
        **{f"lam{x}": lam(x) for x in (0.05, 0.1, 0.25, 0.5)},
        **{f"lamf{x}": lam(x, 2) for x in (0.25, 0.5)},
        "lamn": lambda tp, k, p: lam(1 - 1 / len(k) if k else 0.0)(tp, k, p),
        "sqrt": lambda tp, k, p: min(1.0, h(tp, k) / (len(tp.essential) ** 0.5 + 1)),
        "blend0.5": lambda tp, k, p: (h(tp, k) / (len(tp.essential) + 1)
                                      + lam(0.0, 2)(tp, k, p)) / 2,
        "smooth0.5": lambda tp, k, p: h(tp, k) / (len(tp.essential) + 0.5),
        "pow0.5": lambda tp, k, p: (h(tp, k) / (len(tp.essential) + 1)) ** 0.5,
        "pow0.7": lambda tp, k, p: (h(tp, k) / (len(tp.essential) + 1)) ** 0.7,
        "precrec": lambda tp, k, p: _share(tp.essential, k, p) * lam(0.0)(tp, k, p),
        "precrec0.5": lambda tp, k, p: (h(tp, k) / (len(tp.essential) + 1)
                                        + _share(tp.essential, k, p) * lam(0.0)(tp, k, p)) / 2,
        "anchor0.5": lambda tp, k, p: (h(tp, k) / (len(tp.essential) + 1)
                                       + _share(tp.essential, k, p) * h(tp, k) / (h(tp, k) + 1)
                                       ) / 2,
        "local": lambda tp, k, p: h(tp, k) / (len(tp.essential & near(k, 1)) + 1),
        "local2": lambda tp, k, p: h(tp, k) / (len(tp.essential & near(k, 2)) + 1),
        "maxlocal": lambda tp, k, p: max(h(tp, k) / (len(tp.essential) + 1),
                                         h(tp, k) / (len(tp.essential & near(k, 1)) + 1)),
        **{f"ball{r}": ball(r) for r in (1, 2)},
        **{f"ball{r}w": ball(r, whole=True) for r in (1, 2)},
    }


def ball(radius: int, whole: bool = False) -> Coverage:
    """C = best part of the zone drawn, over a fixed family of parts: each zone region with the
    zone regions within ``radius`` steps of it (and the whole zone when ``whole``): painted part
    / (part size + 1). The family depends on the zone only, so C is monotone."""
    from knoop.bodymap.adjacency import packaged_adjacency

    adjacency = packaged_adjacency()
    parts: dict[frozenset[Key], list[frozenset[Key]]] = {}

    def family(e: frozenset[Key]) -> list[frozenset[Key]]:
        if e not in parts:
            out = []
            for x in e:
                b = {x}
                for _ in range(radius):
                    b |= {n for y in b for n in adjacency.get(y, ()) if n in e}
                out.append(frozenset(b))
            parts[e] = out + ([e] if whole else [])
        return parts[e]

    def c(tp: TriggerPointZone, keys: set[Key], painted: Mapping[Key, float]) -> float:
        return max(len(b & keys) / (len(b) + 1) for b in family(tp.essential))
    return c


def symptom_variants(n_ref: float) -> dict[str, Symptoms]:
    """How the reported symptoms enter the score. ``n_ref``: the mean weight (IDF) of a
    symptom the knowledge base knows."""
    def base(m: list[str], w: Mapping[str, float]) -> tuple[float, float]:
        if not w:
            return 0.0, 0.0
        return S.W_SYMPTOMS * sum(w[s] for s in m) / sum(w.values()), S.W_SYMPTOMS

    def total(k: float) -> Symptoms:
        def f(m: list[str], w: Mapping[str, float]) -> tuple[float, float]:
            return k * sum(w[s] for s in m), k * sum(w.values())
        return f

    def mean(cap: float) -> Symptoms:
        def f(m: list[str], w: Mapping[str, float]) -> tuple[float, float]:
            if not w:
                return 0.0, 0.0
            weight = S.W_SYMPTOMS * min(cap, sum(w.values()) / len(w) / n_ref)
            return weight * sum(w[s] for s in m) / sum(w.values()), weight
        return f

    def capsum(cap: float) -> Symptoms:
        def f(m: list[str], w: Mapping[str, float]) -> tuple[float, float]:
            if not w:
                return 0.0, 0.0
            weight = S.W_SYMPTOMS * min(cap, sum(w.values()) / n_ref)
            return weight * sum(w[s] for s in m) / sum(w.values()), weight
        return f

    return {"sbase": base, **{f"ssum{k}": total(k) for k in (0.05, 0.08, 0.1)},
            "smean": mean(10.0), **{f"scap{c}": capsum(c) for c in (1.5, 2.0, 3.0)}}


def install(coverage: Coverage, symptoms_term: Symptoms) -> None:
    """Score every map through ``score_zone`` with ``coverage`` as C and ``symptoms_term`` for
    the symptoms."""
    original = S.score_zone

    def score_zone(z: MuscleZone, painted: Mapping[Key, float], total: float,
                   symptoms: Mapping[str, float],
                   nerve: Mapping[Key, str] | None = None) -> S.Evidence:
        ev = original(z, painted, total, symptoms, nerve)
        keys = {k for k in painted if k not in (nerve or {})}
        if total > 0 and keys and z.trigger_points:
            ev.coverage = max(coverage(tp, keys, painted) for tp in z.trigger_points)
        y, wy = symptoms_term(ev.symptom_matches, symptoms)
        raw = S.W_EXPLAINED * ev.explained + S.W_COVERAGE * ev.coverage + y
        raw /= S.W_EXPLAINED + S.W_COVERAGE + wy
        ev.score = raw * (1 - S.PRIOR_WEIGHT + S.PRIOR_WEIGHT * prior(z.muscle)) \
            if raw > 0 else 0.0
        return ev

    def scores(self: Ranker, pm: Any, symptoms: list[str] | None = None
               ) -> list[tuple[tuple[str, str], float, str | None]]:
        return [((e.muscle, e.side), e.score, e.finding) for e in self.evidence(pm, symptoms)]

    ranking.score_zone = score_zone  # type: ignore[attr-defined]
    Ranker.scores = scores  # type: ignore[method-assign]


def order(r: Ranker, pm: dict[str, Any]) -> list[str]:
    return muscle_order(r.rank(r.parse(pm), "en").to_dict()["candidates"])


def rank_of(r: Ranker, muscle: str, pm: dict[str, Any]) -> int | None:
    o = order(r, pm)
    return o.index(muscle) + 1 if muscle in o else None


def drawn(*regions: str, quality: str = "tingling") -> list[dict[str, Any]]:
    return [{"region": x, "side": "left", "intensity": 5, "quality": quality} for x in regions]


def row(name: str, r: Ranker) -> str:
    cases = json.loads(VIGNETTES.read_text())
    _results, means = evaluate(cases, r)
    paired = {rid: reg.paired for rid, reg in r.kb.contract.regions.items()}
    sides = {"ipsilateral": ("left",), "contralateral": ("right",),
             "bilateral": ("left", "right")}
    total = good = 0
    for mid in sorted(r.kb.muscles):
        for tp in r.kb.muscles[mid].trigger_points:
            if tp.rare:
                continue
            regions = [{"region": x, "intensity": 8, **({"side": s} if paired[x] else {})}
                       for x in tp.referral.essential
                       for s in (sides[tp.referral.side] if paired[x] else ("",))]
            total += 1
            good += mid in order(r, {"regions": regions})[:3]
    tear = next(c for c in cases["cases"] if "tearing" in c["id"])["painmap"]
    chest = [{"region": "sternum", "intensity": 6},
             {"region": "pectoral", "side": "left", "intensity": 6}]
    band = [{"region": x, "side": s, "intensity": 6}
            for x in ("temple", "forehead", "neck_back_upper") for s in ("left", "right")]
    muscles = r.kb.muscles.values()
    ulnar = {m.id for m in muscles if "ulnar" in m.nerves}
    lower_leg = {m.id for m in muscles if m.group == "leg_ankle_foot"}
    median = drawn("thumb_palmar", "index_finger_palmar", "middle_finger_palmar", "thenar")
    nerves_hold = not set(order(r, {"regions": median})[:5]) & ulnar and not set(
        order(r, {"regions": drawn("thigh_lateral_upper", "thigh_lateral_lower",
                                   quality="numb")})[:5]) & lower_leg
    groin = [{"region": "groin", "side": "right", "intensity": 6}]
    ranks = (rank_of(r, "scalenes", {"regions": chest}),
             rank_of(r, "iliopsoas", {"regions": groin}),
             rank_of(r, "sternocleidomastoid", tear), rank_of(r, "temporalis", {"regions": band}))
    scored = r.evidence(r.parse(tear))
    scm = max(e.score for e in scored if e.muscle == "sternocleidomastoid")
    margin = scm - max(e.score for e in scored if e.muscle != "sternocleidomastoid")
    return (f"| {name} | {means['hit@1']:.3f} | {means['hit@3']:.3f} | {means['recall@5']:.3f}"
            f" | {good}/{total} | " + " | ".join(map(str, ranks)) + f" | {nerves_hold} |"
            f" {margin:+.3f} |")


def monotone_violations(r: Ranker) -> tuple[int, int]:
    """Maps (one zone region + two far regions at 10) where adding another region of the
    same zone at intensity 1 lowers the muscle's score."""

    def entry(k: Key, i: int) -> dict[str, Any]:
        return {"region": k[0], **({"side": k[1]} if k[1] else {}), "intensity": i}

    def score(ms: tuple[str, str], regions: list[dict[str, Any]]) -> float:
        return next((e.score for e in r.evidence(r.parse({"regions": regions}))
                     if (e.muscle, e.side) == ms), 0.0)

    far = [("vertex", None), ("heel", "left")]
    found = tried = 0
    for ms, z in r.zones.items():
        for tp in z.trigger_points:
            zone = sorted(tp.essential, key=lambda k: (k[0], k[1] or ""))
            if len(zone) < 4:
                continue
            for first in zone[:2]:
                base = [entry(first, 10)] + [entry(k, 10) for k in far
                                             if k[0] != first[0]]
                for more in zone:
                    if more == first or more[0] in ("vertex", "heel"):
                        continue
                    tried += 1
                    found += score(ms, base + [entry(more, 1)]) < score(ms, base) - 1e-12
    return found, tried


def main(argv: list[str]) -> None:
    from knoop.bodymap.adjacency import packaged_adjacency

    table = variants(packaged_adjacency())
    r = default_ranker()
    used = [w for s, w in r.symptom_weight.items() if s in r.by_symptom]
    terms = symptom_variants(sum(used) / len(used))
    names = [a for a in argv if not a.startswith("--")] or list(table)
    print("| variant | hit@1 | hit@3 | recall@5 | self-check | scalenes | iliopsoas"
          " | SCM tearing eye | temporalis band | nerve maps hold | SCM margin |")
    for name in names:
        cov, _, sym = name.partition("+")
        if name != "shipped":  # "shipped": the package's own scoring, nothing replaced
            install(table[cov], terms[sym or "sbase"])
        print(row(name, r), flush=True)
        if "--monotone" in argv:
            found, tried = monotone_violations(r)
            print(f"    painting more of a zone lowered the score on {found} of {tried} maps")


if __name__ == "__main__":
    main(sys.argv[1:])
