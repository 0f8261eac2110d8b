"""Plain-language reasons for and against a muscle, in Dutch (default) or English."""

from __future__ import annotations

import collections

from knoop.kb import KnowledgeBase
from knoop.ranking.scoring import Evidence
from knoop.ranking.zones import Key

MAX_LISTED = 6
#: the kinds of zone a reason for names, in the order the reasons list them
KINDS = ("essential", "local", "nerve", "spillover", "neighbour")

T = {
    "nl": {
        "left": "links", "right": "rechts", "more": "en nog {n}",
        "essential": "Hoofdgebied omvat: {r}",
        "local": "Pijn getekend op de plek van het triggerpunt zelf: {r}",
        "spillover": "Uitloopgebied omvat: {r}",
        "nerve": "Tintelingen of doof gevoel passen bij een zenuw die deze spier kan beknellen: "
                 "{n}, in {r}",
        "neighbour": "Grenst aan het hoofdgebied (pijn breidt zich bij gevoeligheid uit): {r}",
        "coverage": "De tekening dekt {hit} van de {n} gebieden van triggerpunt ‘{tp}’",
        "symptoms": "Kan deze klachten geven: {s}",
        "active": "Bij palpatie: actief triggerpunt — bovenaan gezet",
        "latent": "Bij palpatie: latent triggerpunt — iets hoger gezet",
        "none_found": "Bij palpatie niets gevonden — sterk verlaagd",
        "none_found_tp": "Bij palpatie van ‘{tp}’ niets gevonden — verlaagd",
        "unexplained": "Verklaart niet: {r}",
        "unpainted": "Niet getekend in zijn hoofdgebied: {r}",
        "no_symptoms": "Verklaart deze bijkomende klacht niet (andere spieren wel): {s}",
        "no_zone": "Geen getekend gebied valt in zijn uitstralingsgebied",
        "per_side": "Aan beide kanten hetzelfde getekend: beoordeeld op de eigen kant",
    },
    "en": {
        "left": "left", "right": "right", "more": "and {n} more",
        "essential": "Essential zone covers: {r}",
        "local": "Pain drawn over the trigger point itself: {r}",
        "spillover": "Spillover zone covers: {r}",
        "nerve": "Tingling or numbness fits a nerve this muscle can squeeze, the {n}: {r}",
        "neighbour": "Next to its essential zone (zones spread when sensitised): {r}",
        "coverage": "The drawing covers {hit} of the {n} regions of trigger point ‘{tp}’",
        "symptoms": "Can cause these complaints: {s}",
        "active": "Palpated: active trigger point — put on top",
        "latent": "Palpated: latent trigger point — moved up a little",
        "none_found": "Palpated: nothing found — sharply lowered",
        "none_found_tp": "Palpated ‘{tp}’: nothing found — lowered",
        "unexplained": "Does not explain: {r}",
        "unpainted": "Not drawn in its essential zone: {r}",
        "no_symptoms": "Does not account for this accompanying complaint (other muscles do): {s}",
        "no_zone": "No drawn region lies in its referral zones",
        "per_side": "The same drawn on both sides: judged on its own side",
    },
}


class Wording:
    """Turns region keys, symptom IDs and trigger point IDs into words in one language."""

    def __init__(self, kb: KnowledgeBase, lang: str) -> None:
        # plain data only (no pydantic objects): the ranker is kept compiled (see
        # ``Ranker`` and ``default_ranker``) and loads without the knowledge-base models
        self.contract, self.lang, self.t = kb.contract, lang, T[lang]
        self.tp_names = {tp.id: tp.name.get(lang) for m in kb.muscles.values()
                         for tp in m.trigger_points}
        self.muscle_nerves = {mid: tuple(m.nerves) for mid, m in kb.muscles.items()}
        self.nerve_list = dict(kb.nerves)
        self._labels: dict[Key, str] = {}
        short = collections.Counter(self._short(r.id) for r in kb.contract.regions.values())
        #: Regions whose short name another region shares: they keep their whole name.
        self._ambiguous = {rid for rid in kb.contract.regions if short[self._short(rid)] > 1}
        # Every region key's label and place in reading order (region ID, then side), worked
        # out once: listing a candidate's regions is then a sort by a lookup and a join (the
        # ranker is kept compiled, so this costs nothing at start-up).
        keys = [(rid, side) for rid, r in kb.contract.regions.items()
                for side in ((None, "left", "right") if r.paired else (None,))]
        keys.sort(key=_reading_order)
        self._place = {key: n for n, key in enumerate(keys)}
        #: key -> (its place in reading order, its label): a list of these sorts into reading
        #: order by itself (places are unique)
        self._placed = {key: (n, self.region(key)) for n, key in enumerate(keys)}
        #: the text before "{r}" or "{s}" of each template that is a prefix and one list
        self.prefix = {name: text[:-3] for name, text in self.t.items()
                       if text.endswith(("{r}", "{s}")) and text.count("{") == 1}
        self._symptoms = {sid: self.symptom(sid) for sid in self.contract.symptoms}
        self._general = frozenset(sid for sid, s in self.contract.symptoms.items()
                                  if s.kind == "general")

    def _full(self, region: str) -> str:
        r = self.contract.regions[region]
        name = r.nl if self.lang == "nl" else r.en
        return name[0].lower() + name[1:]

    def _short(self, region: str) -> str:
        """The name without its explanation in brackets and what follows ("Nek")."""
        return self._full(region).split(" (")[0]

    def region(self, key: Key) -> str:
        label = self._labels.get(key)
        if label is None:
            if key[0] not in self._ambiguous:
                name = self._short(key[0])
                label = f"{name} ({self.t[key[1]]})" if key[1] else name
            else:  # "nek (bovenste deel)", "achterkant bovenbeen (onderste helft, links)"
                name = self._full(key[0])
                if key[1] and name.endswith(")"):
                    label = f"{name[:-1]}, {self.t[key[1]]})"
                else:
                    label = f"{name} ({self.t[key[1]]})" if key[1] else name
            self._labels[key] = label
        return label

    def regions(self, keys: list[Key]) -> str:
        """Region names, sorted, at most MAX_LISTED and a count of the rest."""
        if len(keys) == 1:
            label = self._labels.get(keys[0])
            if label is not None:
                return label
        placed = self._placed
        try:
            ordered = sorted([placed[k] for k in keys])
        except KeyError:  # a key outside the contract's regions (not from a parsed pain map)
            return self._regions_outside(keys)
        if len(ordered) > MAX_LISTED:
            return ", ".join([label for _n, label in ordered[:MAX_LISTED]]
                             + [self.t["more"].format(n=len(ordered) - MAX_LISTED)])
        return ", ".join([label for _n, label in ordered])

    def _regions_outside(self, keys: list[Key]) -> str:
        ordered = sorted(keys, key=_reading_order)
        words = [self.region(k) for k in ordered[:MAX_LISTED]]
        if len(ordered) > MAX_LISTED:
            words.append(self.t["more"].format(n=len(ordered) - MAX_LISTED))
        return ", ".join(words)

    def symptoms(self, sids: list[str]) -> str:
        """The complaints' names, joined (in the order given)."""
        names = self._symptoms
        return ", ".join([names.get(s) or self.symptom(s) for s in sids])

    def symptom(self, sid: str) -> str:
        s = self.contract.symptoms[sid]
        text = s.nl if self.lang == "nl" else s.en
        return text[0].lower() + text[1:]

    def nerves(self, muscle: str, keys: list[Key]) -> str:
        """The names of the nerves of ``muscle`` that serve any of ``keys``."""
        names = [n.name(self.lang) for nid in self.muscle_nerves[muscle]
                 if (n := self.nerve_list[nid]).territory & {k[0] for k in keys}]
        return ", ".join(names)

    def trigger_point(self, tp_id: str) -> str:
        return self.tp_names.get(tp_id) or tp_id


def _reading_order(key: Key) -> tuple[str, str]:
    return key[0], key[1] or ""


def reasons(ev: Evidence, symptoms: list[str], w: Wording, essential_size: int
            ) -> tuple[list[str], list[str]]:
    """(reasons_for, reasons_against) for one candidate."""
    t = w.t
    prefix = w.prefix
    pro: list[str] = []
    con: list[str] = []
    finding = ev.finding
    if finding is not None:
        if finding == "active":
            pro.append(t["active"])
        elif finding == "latent":
            pro.append(t["latent"])
        elif finding == "none_found":
            con.append(t["none_found_tp"].format(tp=w.trigger_point(ev.finding_tp))
                       if ev.finding_tp else t["none_found"])
    if ev.per_side:
        pro.append(t["per_side"])
    by_kind = ev.by_kind
    if by_kind:
        for kind in KINDS:
            keys = by_kind.get(kind)
            if not keys:
                continue
            if kind == "nerve":
                pro.append(t[kind].format(r=w.regions(keys), n=w.nerves(ev.muscle, keys)))
            else:
                pro.append(prefix[kind] + w.regions(keys))
    if ev.best_tp and essential_size and ev.coverage > 0:
        pro.append(t["coverage"].format(hit=ev.covered, n=essential_size,
                                        tp=w.trigger_point(ev.best_tp)))
    if ev.symptom_matches:
        pro.append(prefix["symptoms"] + w.symptoms(ev.symptom_matches))
    neighbours = by_kind.get("neighbour")
    truly_unexplained = [k for k in ev.unexplained if k not in neighbours] if neighbours \
        else ev.unexplained
    if truly_unexplained:
        con.append(prefix["unexplained"] + w.regions(truly_unexplained))
    if not by_kind:
        con.append(t["no_zone"])
    if ev.unpainted_essential:
        con.append(prefix["unpainted"] + w.regions(ev.unpainted_essential))
    # Only a complaint that points to some muscles and not others says something when this
    # muscle lacks it; a general one (pain disturbs sleep) fits any painful muscle.
    if symptoms:
        matched = ev.symptom_matches
        general = w._general
        missing = [s for s in symptoms if s not in matched and s not in general]
        if missing:
            con.append(prefix["no_symptoms"] + w.symptoms(missing))
    return pro, con
