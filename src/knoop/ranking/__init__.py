"""Ranking: from a pain map to the muscles to examine, with reasons, "together" and red flags.

Pure and deterministic: the same pain map gives the same ranking (ties broken by muscle ID, then
side); no I/O beyond the packaged knowledge base and chart. Never a diagnosis: the output is an
ordered list of muscles to examine.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from knoop.kb import KnowledgeBase, knowledge_base
from knoop.ranking.candidates import Candidate, PlainRow, Ranking
from knoop.ranking.evidence import evidences_from
from knoop.ranking.painmap import PainMap, parse_painmap, parse_painmap_text
from knoop.ranking.reasons import Wording
from knoop.ranking.reasons import reasons as reasons_of
from knoop.ranking.redflags import load_rules, screen
from knoop.ranking.scoring import (
    Evidence,
    Scored,
    apply_findings,
    implied_symptoms,
    nerve_regions,
    painted_weights,
    score_zone,
    serves,
    symmetric_halves,
)
from knoop.ranking.together import cover, together
from knoop.ranking.zones import Key, MuscleZone, build_index, build_zones

if TYPE_CHECKING:
    from knoop.ranking.scoreindex import ScoreIndex

LANGS = ("nl", "en")
MIN_LISTED = 20
#: How many candidates the API and ``knoop rank`` give reasons by default (the session page
#: lists 20); every candidate with a score is still listed.
REASONS_SHOWN = 20
NOTES = {
    "empty": {"nl": "Nog niets ingetekend: teken waar het pijn doet om te zien welke spieren je "
                    "kunt onderzoeken.",
              "en": "Nothing drawn yet: draw where it hurts to see which muscles to examine."},
    "flags": {"nl": "Let op: er zijn rode vlaggen. Verwijs eerst; de lijst hieronder is geen "
                    "reden om door te gaan.",
              "en": "Attention: there are red flags. Refer first; the list below is no reason to "
                    "go ahead."},
    "wording": {"nl": "Dit zijn spieren om te onderzoeken, geen diagnose.",
                "en": "These are muscles to examine, not a diagnosis."},
}


class Ranker:
    """Holds the expanded zones of every muscle; build once, rank many pain maps."""

    def __init__(self, kb: KnowledgeBase, adjacency: Mapping[Key, frozenset[Key]]) -> None:
        # Everything ranking needs is kept as plain data (no pydantic objects), so that the
        # default ranker can be kept compiled and loaded without the knowledge-base models
        # (see ``default_ranker``); ``kb`` itself is loaded again on first use after that.
        self._kb: KnowledgeBase | None = kb
        self.version = kb.version
        self.contract = kb.contract
        self.muscle_ids = frozenset(kb.muscles)
        self.names = {mid: (m.names.nl, m.names.en) for mid, m in kb.muscles.items()}
        self.trigger_point_ids = {mid: tuple(tp.id for tp in m.trigger_points)
                                  for mid, m in kb.muscles.items()}
        self.rules = load_rules()
        self.zones: dict[tuple[str, str], MuscleZone] = build_zones(kb, adjacency)
        self.index = build_index(self.zones)
        self.by_symptom: dict[str, list[tuple[str, str]]] = {}
        for ms, z in self.zones.items():
            for s in z.symptoms:
                self.by_symptom.setdefault(s, []).append(ms)
        #: the muscle-sides in (muscle ID, side) order; their index is their place here
        self.sides = list(self.zones)
        self.position = {ms: i for i, ms in enumerate(self.sides)}
        self._score_index: ScoreIndex | None = None
        #: per language (nl, en), per muscle-side index: muscle, side, name, trigger points
        self.about = tuple(
            tuple((m, side, self.names[m][en], self.trigger_point_ids[m])
                  for m, side in self.sides) for en in (False, True))
        self.fragments = tuple(tuple(_fragments(*about) for about in by_lang)
                               for by_lang in self.about)
        self.wording = {lang: Wording(kb, lang) for lang in LANGS}
        self.symptom_weight = specificity(kb)

    @property
    def kb(self) -> KnowledgeBase:
        """The knowledge base (the shipped one, loaded on first use, for a compiled ranker)."""
        if self._kb is None:
            self._kb = knowledge_base()
        return self._kb

    @property
    def score_index(self) -> ScoreIndex:
        """The zones as arrays (built on first use: kept out of the compiled ranker, so that
        ranking one map with the reference path never loads NumPy)."""
        if self._score_index is None:
            from knoop.ranking.scoreindex import ScoreIndex

            self._score_index = ScoreIndex(self.zones)
        return self._score_index

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_kb": None, "_score_index": None}

    def parse(self, data: Any) -> PainMap:
        return parse_painmap(data, self.contract, self.muscle_ids)

    def parse_text(self, text: str) -> PainMap:
        return parse_painmap_text(text, self.contract, self.muscle_ids)

    def symptoms(self, pm: PainMap, consumed: frozenset[str] | None = None) -> list[str]:
        """Reported and implied symptoms that count as evidence for muscles: a warning sign
        that fired a red-flag rule is reported as that flag instead."""
        if consumed is None:
            consumed = screen(pm, self.contract, rules=self.rules).consumed_symptoms
        return [s for s in implied_symptoms(pm, self.contract) if s not in consumed]

    def evidence(self, pm: PainMap, symptoms: list[str] | None = None) -> list[Evidence]:
        """Scored evidence for every muscle-side with any support, best first.
        ``symptoms``: the reported and implied symptoms, if already worked out.

        The reference: :meth:`scores` gives the same order and scores much faster."""
        painted = painted_weights(pm)
        if symptoms is None:
            symptoms = self.symptoms(pm)
        weights = {s: self.symptom_weight[s] for s in symptoms}
        nerve = nerve_regions(pm, self.contract)
        touched: set[tuple[str, str]] = set()
        for key in painted:
            touched.update(self.index.get(key, ()))
        for s in symptoms:
            touched.update(self.by_symptom.get(s, ()))
        touched.update((f.muscle, f.side) for f in pm.findings)
        if nerve:
            touched.update(ms for ms, z in self.zones.items()
                           if z.territory and any(serves(z, k) for k in nerve))
        context = _Context(painted, weights, nerve)
        out = [ev for ms in touched
               if (ev := self._evidence_of(ms, pm, context)).score > 0 or ev.finding]
        out.sort(key=lambda e: e.sort_key)
        return out

    def _evidence_of(self, ms: tuple[str, str], pm: PainMap, c: _Context) -> Evidence:
        """The full evidence of one muscle-side (what its reasons are made of)."""
        ev = score_zone(self.zones[ms], c.painted, c.total, c.weights, c.nerve)
        if c.halves:
            # A symmetric drawing on both sides: judge each side's muscle by its own half too
            # (a muscle on one side cannot explain the other half of a bilateral headache).
            half = c.halves[ms[1]]
            own = score_zone(self.zones[ms], half, float(sum(half.values())), c.weights,
                             c.nerve)
            if own.score > ev.score:
                ev = own
                ev.per_side = True
        apply_findings(ev, pm)
        ev.score = round(ev.score, 9)  # float noise must not decide an order
        return ev

    def scores(self, pm: PainMap, symptoms: list[str] | None = None
               ) -> list[tuple[tuple[str, str], float, str | None]]:
        """(muscle-side, score, finding) of every muscle-side with any support, best first:
        the order and scores of :meth:`evidence` without building the evidence (see
        ``scoreindex.py``)."""
        if symptoms is None:
            symptoms = self.symptoms(pm)
        scored = self._scored(pm, symptoms)
        sides = self.sides
        return [(sides[i], score, scored.finding.get(i))
                for i, score in zip(scored.index, scored.score)]

    def _scored(self, pm: PainMap, symptoms: list[str], arrays: bool = True) -> Scored:
        """Every muscle-side with any support, best first: with the score index's ``arrays``,
        or (a drawing with tingling or numbness, or ``arrays=False``) from :meth:`evidence`."""
        if not arrays or any(r.quality in ("tingling", "numb") for r in pm.regions):
            evidence = self.evidence(pm, symptoms)
            position = self.position
            return Scored([position[(e.muscle, e.side)] for e in evidence],
                          [e.score for e in evidence],
                          {position[(e.muscle, e.side)]: e.finding
                           for e in evidence if e.finding})
        index = self.score_index
        painted = painted_weights(pm)
        weights = {s: self.symptom_weight[s] for s in symptoms}
        scored, sums = index.score_map(painted, weights)
        findings: dict[int, str] = {}
        if pm.findings:
            context = _Context(painted, weights, {})
            for f in pm.findings:
                i = index.position[(f.muscle, f.side)]
                ev = self._evidence_of((f.muscle, f.side), pm, context)
                scored[i] = ev.score
                if ev.finding:
                    findings[i] = ev.finding
        ranked = index.ranked(scored, findings)
        ranked.sums = sums
        return ranked

    def rank(self, pm: PainMap, lang: str = "nl", top: int | None = None, *,
             keep_findings: bool = False, reasons: int | None = None,
             arrays: bool = True) -> Ranking:
        """Rank ``pm``. ``top`` limits the candidates listed (default: all with a score > 0);
        with ``keep_findings`` the muscles with a palpation finding are listed too, wherever
        they rank. ``reasons``: how many of the listed candidates get their reasons (and their
        best-fitting trigger point first), from the top (default: all listed); the others carry
        rank, muscle, side, score and trigger points only. Every candidate's score still decides
        the order and "together". ``arrays=False``: score with the reference path instead of
        the score index's arrays (the same ranking; for one map in a fresh process, where
        loading NumPy takes far longer than ranking, as ``knoop rank FILE`` does)."""
        if lang not in LANGS:
            lang = "nl"
        w = self.wording[lang]
        screening = screen(pm, self.contract, lang, self.rules)
        flags = screening.flags
        notes: list[str] = []
        if any(f.urgency != "caution" for f in flags):
            notes.append(NOTES["flags"][lang])
        if not pm.regions and not pm.symptoms and not pm.findings:
            notes.append(NOTES["empty"][lang])
            return Ranking(self.version, lang, [], [], flags, notes)
        notes.append(NOTES["wording"][lang])
        symptoms = self.symptoms(pm, screening.consumed_symptoms)
        scored = self._scored(pm, symptoms, arrays)
        order, scores, findings = scored.index, scored.score, scored.finding
        listed: Sequence[int] = range(len(order))
        if top is not None:
            listed = range(min(max(top, 0), len(order)))
            if keep_findings:
                listed = [*listed, *(n for n in range(len(listed), len(order))
                                     if order[n] in findings)]
        painted = painted_weights(pm)
        context = _Context(painted, {s: self.symptom_weight[s] for s in symptoms},
                           nerve_regions(pm, self.contract))
        explained: list[Candidate] = []
        shown = len(listed) if reasons is None else min(max(reasons, 0), len(listed))
        sides = self.sides
        picked = [order[n] for n in listed[:shown]]
        if scored.sums is not None:
            evidences = evidences_from(picked, [self.zones[sides[i]] for i in picked],
                                       self.score_index, scored.sums, context.weights, pm)
        else:
            evidences = []
            for i in picked:
                ev = self._evidence_of(sides[i], pm, context)
                evidences.append((ev, next((len(tp.essential) for tp in self.zones[sides[i]]
                                            .trigger_points if tp.id == ev.best_tp), 0)))
        en = lang == "en"
        tp_ids = self.trigger_point_ids
        names = self.names
        for n, (ev, tp_size) in zip(listed, evidences):
            pro, con = reasons_of(ev, symptoms, w, tp_size)
            tps = list(tp_ids[ev.muscle])
            if ev.best_tp and tps[0] != ev.best_tp:
                tps.remove(ev.best_tp)
                tps.insert(0, ev.best_tp)
            explained.append(Candidate(n + 1, ev.muscle, ev.side, ev.score, names[ev.muscle][en],
                                       tps, pro, con, ev.finding))
        rest = listed[shown:]
        if scored.sums is not None:  # the arrays: round them all at once
            listed_scores = self.score_index.rounded([scores[n] for n in rest], 3)
        else:
            listed_scores = [round(scores[n], 3) for n in rest]
        plain = [(n + 1, order[n], scores[n], score, findings.get(order[n]))
                 for n, score in zip(rest, listed_scores)]
        pool = [i for i in order if findings.get(i) != "none_found"]
        if scored.sums is not None:
            picks = cover(pool, self.score_index, painted)
        else:
            picks = together([sides[i] for i in pool], self.zones, painted)
        return Ranking(self.version, lang, explained, picks, flags, notes,
                       None if top is None else len(order), plain, self.about[lang == "en"],
                       self.fragments[lang == "en"])


def _fragments(muscle: str, side: str, name: str, trigger_points: tuple[str, ...]
               ) -> tuple[bytes, bytes]:
    """A muscle-side's part of a candidate's JSON around its rank and score (see
    ``Ranking.to_json``): ``"muscle":…,"side":…,`` and ``"name":…,"trigger_points":[…]``."""
    import orjson

    return (orjson.dumps({"muscle": muscle, "side": side})[1:-1] + b",",
            orjson.dumps({"name": name, "trigger_points": trigger_points})[1:-1])


def specificity(kb: KnowledgeBase) -> dict[str, float]:
    """Each contract symptom's weight as evidence: rarer symptoms say more. The IDF
    ``log(1 + N / n_s)`` (N muscles, n_s of them cause symptom s) divided by its mean over the
    symptoms some muscle causes, so 1 is an average symptom."""
    n = max(len(kb.muscles), 1)
    causing = {s: sum(1 for m in kb.muscles.values() if s in m.symptoms)
               for s in kb.contract.symptoms}
    idf = {s: math.log(1 + n / max(1, k)) for s, k in causing.items()}
    known = [idf[s] for s, k in causing.items() if k]
    mean = sum(known) / len(known) if known else 1.0
    return {s: v / mean for s, v in idf.items()}


@dataclass
class _Context:
    """What scoring one muscle-side needs from the pain map, worked out once per map."""

    painted: dict[Key, float]
    weights: dict[str, float]
    nerve: dict[Key, str]
    total: float = 0.0
    halves: dict[str, dict[Key, float]] | None = None

    def __post_init__(self) -> None:
        self.total = float(sum(self.painted.values()))
        self.halves = symmetric_halves(self.painted)


@cache
def default_ranker() -> Ranker:
    """The ranker over the shipped knowledge base and the chart's packaged adjacency (once per
    process; kept compiled, see :mod:`knoop.ranking.compiled`; no geometry library needed)."""
    from knoop.kb.contract import adopt
    from knoop.ranking.compiled import compiled_ranker

    def build() -> Ranker:
        from knoop.bodymap.adjacency import packaged_adjacency

        return Ranker(knowledge_base(), packaged_adjacency())

    ranker = compiled_ranker(build)
    adopt(ranker.contract)
    return ranker


def rank(data: Any, lang: str = "nl", top: int | None = None) -> Ranking:
    """Parse a decoded pain-map JSON and rank it with the shipped knowledge base."""
    r = default_ranker()
    return r.rank(r.parse(data), lang, top)


__all__ = ["REASONS_SHOWN", "Candidate", "PainMap", "PlainRow", "Ranker", "Ranking", "default_ranker",
           "parse_painmap_text", "rank"]
