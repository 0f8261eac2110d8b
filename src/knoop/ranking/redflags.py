"""Red flags: reasons to refer before (or instead of) trigger-point treatment.

Two sources, both reported first and never hidden by the list of muscles:

* each screening item answered yes (contract ``screening``), at the urgency the contract gives it;
* the rules in ``ranking/data/redflag_rules.yaml``: combinations of screening answers, symptoms,
  the drawing and the client's age (for example age 50 or over + a new headache + jaw pain on
  chewing). The rule table is data with a source per rule; this module only evaluates it.

The screening items and symptoms that make a rule fire are reported by that rule (one referral,
not three notes) and are handed back as ``consumed`` so the ranking does not count a warning sign
as evidence for a muscle. See docs/ranking.md ("Red flags").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any, NoReturn

from knoop.errors import RedFlagRuleError as RuleError
from knoop.kb.contract import Contract, contract, yaml_load
from knoop.ranking.painmap import QUALITIES, PainMap, PainRegion

URGENCIES = ("emergency", "urgent", "gp", "caution")
URGENCY_ORDER = {u: i for i, u in enumerate(URGENCIES)}
RULES_FILE = "redflag_rules.yaml"
SIDE_FILTERS = ("any", "left", "right", "left_or_midline")

ADVICE = {
    "emergency": {
        "nl": "Niet behandelen: verwijs direct naar 112 of de huisartsenpost.",
        "en": "Do not treat: refer at once to emergency services (112) or the out-of-hours GP.",
    },
    "urgent": {
        "nl": "Eerst verwijzen: laat de cliënt vandaag of morgen de huisarts bellen, behandel pas "
              "na beoordeling.",
        "en": "Refer first: the client should call their GP today or tomorrow; treat only after "
              "assessment.",
    },
    "gp": {
        "nl": "Overleg met de huisarts voordat je triggerpunten behandelt.",
        "en": "Check with the GP before treating trigger points.",
    },
    "caution": {
        "nl": "Voorzichtig: pas de druk aan.",
        "en": "Caution: adapt the pressure.",
    },
}


@dataclass(frozen=True)
class RedFlag:
    id: str
    urgency: str  # emergency | urgent | gp | caution
    message: str
    source: str  # "screening" (one item) or "rule" (a rule of the rule table)
    reference: str = ""  # what a rule is based on (guideline or paper)
    because: tuple[str, ...] = ()  # the screening items, symptoms and regions that fired it

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "urgency": self.urgency, "message": self.message,
                             "source": self.source}
        if self.reference:
            d["reference"] = self.reference
        if self.because:
            d["because"] = list(self.because)
        return d


# ---------------------------------------------------------------------------- conditions


@dataclass(frozen=True)
class Drawn:
    """Painted regions that match: region listed or its chart group listed, side, quality."""

    regions: frozenset[str]
    groups: frozenset[str]
    side: str = "any"
    quality: frozenset[str] = frozenset()

    def matches(self, r: PainRegion, c: Contract) -> bool:
        if r.region not in self.regions and c.regions[r.region].group not in self.groups:
            return False
        if self.quality and r.quality not in self.quality:
            return False
        if self.side == "left_or_midline":
            return r.side in ("left", None)
        return self.side == "any" or r.side == self.side


@dataclass(frozen=True)
class Cond:
    """One node of a rule's condition tree (``op`` is one of the keys listed in the rule file)."""

    op: str
    items: frozenset[str] = frozenset()  # screening / symptom IDs
    number: int = 0  # age or count
    drawn: Drawn | None = None
    children: tuple[Cond, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    urgency: str
    when: Cond
    nl: str
    en: str
    source: str
    supersedes: tuple[str, ...] = ()
    #: facts of a pain map at least one of which the rule needs to fire (see :func:`needs`);
    #: None when it may fire without any (an age, a count, a "not")
    needs: frozenset[tuple[str, str]] | None = None


@dataclass(frozen=True)
class Screening:
    """The result of screening one pain map: flags (most urgent first) and the symptoms that
    are warning signs of a fired rule (not evidence for a muscle)."""

    flags: list[RedFlag]
    consumed_symptoms: frozenset[str]


def _evaluate(cond: Cond, pm: PainMap, c: Contract, hits: list[str]) -> bool:
    """Does ``cond`` hold for ``pm``? Appends what made it hold to ``hits`` (only on success)."""
    op = cond.op
    if op == "all":
        found: list[str] = []
        for child in cond.children:
            if not _evaluate(child, pm, c, found):
                return False
        hits.extend(found)
        return True
    if op == "any":
        ok = False
        for child in cond.children:  # evaluate all: every true branch contributes its items
            ok = _evaluate(child, pm, c, hits) or ok
        return ok
    if op == "not":
        return not _evaluate(cond.children[0], pm, c, [])
    if op in ("screening", "symptom"):
        given = pm.screening if op == "screening" else pm.symptoms
        matched = [f"{op}:{x}" for x in given if x in cond.items]
        hits.extend(matched)
        return bool(matched)
    age = pm.client.age if pm.client is not None else None
    if op == "age_at_least":
        return age is not None and age >= cond.number
    if op == "age_below":
        return age is not None and age < cond.number
    if op == "drawn_count_at_least":
        return len(pm.regions) >= cond.number
    assert cond.drawn is not None
    matched_regions = [r for r in pm.regions if cond.drawn.matches(r, c)]
    if op == "drawn_both_sides":
        sides = {r.side for r in matched_regions}
        if not {"left", "right"} <= sides:
            return False
    elif not matched_regions:
        return False
    hits.extend(f"region:{r.region}" + (f" ({r.side})" if r.side else "")
                for r in matched_regions)
    return True


def needs(cond: Cond) -> frozenset[tuple[str, str]] | None:
    """Facts of a pain map of which ``cond`` needs at least one to hold: ``("screening", id)``,
    ``("symptom", id)``, ``("region", id)`` or ``("group", id)`` of a drawn region; None when
    it may hold without any of them (an age, a count of regions, a "not"). A rule whose facts
    the map has none of cannot fire, so :func:`screen` skips evaluating it."""
    if cond.op in ("screening", "symptom"):
        return frozenset((cond.op, x) for x in cond.items)
    if cond.op in ("drawn", "drawn_both_sides") and cond.drawn is not None:
        return frozenset({("region", r) for r in cond.drawn.regions}
                         | {("group", g) for g in cond.drawn.groups})
    if cond.op == "any":  # one child must hold: any child's facts
        out: set[tuple[str, str]] = set()
        for child in cond.children:
            part = needs(child)
            if part is None:
                return None
            out |= part
        return frozenset(out)
    if cond.op == "all":  # every child must hold: the facts of the narrowest child do
        known = [p for p in map(needs, cond.children) if p is not None]
        return min(known, key=len) if known else None
    return None


def facts(pm: PainMap, c: Contract) -> set[tuple[str, str]]:
    """The facts of ``pm`` that :func:`needs` speaks of."""
    out = {("screening", x) for x in pm.screening}
    out.update(("symptom", x) for x in pm.symptoms)
    for r in pm.regions:
        out.add(("region", r.region))
        out.add(("group", c.regions[r.region].group))
    return out


def screen(pm: PainMap, c: Contract | None = None, lang: str = "nl",
           rules: tuple[Rule, ...] | None = None) -> Screening:
    """Evaluate the rule table and the screening answers of ``pm``."""
    c = c or contract()
    rules = rules if rules is not None else load_rules()
    fired: list[tuple[Rule, list[str]]] = []
    have = facts(pm, c)
    for rule in rules:
        if rule.needs is not None and rule.needs.isdisjoint(have):
            continue  # it cannot fire (what it needs is not in the map)
        hits: list[str] = []
        if _evaluate(rule.when, pm, c, hits):
            fired.append((rule, list(dict.fromkeys(hits))))
    superseded = {s for rule, _ in fired for s in rule.supersedes}
    flags: list[RedFlag] = []
    covered: set[str] = set()
    consumed: set[str] = set()
    for rule, hits in fired:
        if rule.id in superseded:
            continue
        for h in hits:
            kind, _, value = h.partition(":")
            if kind == "screening" and URGENCY_ORDER[c.screening[value].urgency] >= \
                    URGENCY_ORDER[rule.urgency]:
                covered.add(value)
            elif kind == "symptom":
                consumed.add(value)
        text = rule.nl if lang == "nl" else rule.en
        flags.append(RedFlag(rule.id, rule.urgency, f"{text} {ADVICE[rule.urgency][lang]}",
                             "rule", rule.source, tuple(hits)))
    for sid in pm.screening:
        if sid in covered:
            continue
        item = c.screening[sid]
        question = item.nl if lang == "nl" else item.en
        prefix = "Ja op" if lang == "nl" else "Yes to"
        flags.append(RedFlag(sid, item.urgency,
                             f"{prefix}: {question}. {ADVICE[item.urgency][lang]}", "screening",
                             because=(f"screening:{sid}",)))
    flags.sort(key=lambda f: (URGENCY_ORDER[f.urgency], f.id))
    return Screening(flags, frozenset(consumed))


def red_flags(pm: PainMap, c: Contract | None = None, lang: str = "nl") -> list[RedFlag]:
    """All red flags of a pain map, most urgent first (ties by ID)."""
    return screen(pm, c, lang).flags


def flag_title(flag_id: str, lang: str = "nl", c: Contract | None = None) -> str:
    """A red flag in a few words for a note: the screening question answered yes, or the
    first sentence of a rule's text; an unknown ID stays as it is."""
    c = c or contract()
    if flag_id in c.screening:
        item = c.screening[flag_id]
        return item.en if lang == "en" else item.nl
    for rule in load_rules():
        if rule.id == flag_id:
            text = " ".join((rule.en if lang == "en" else rule.nl).split())
            return text.split(". ")[0].rstrip(".")
    return flag_id


# ---------------------------------------------------------------------------- loading


def _fail(where: str, message: str) -> NoReturn:
    raise RuleError(f"{RULES_FILE}: {where}: {message}")


def _id_list(where: str, value: Any, allowed: Mapping[str, Any] | set[str], what: str
             ) -> frozenset[str]:
    if not isinstance(value, list) or not value:
        _fail(where, f"must be a non-empty list of {what} IDs")
    for v in value:
        if v not in allowed:
            _fail(where, f"unknown {what} '{v}'")
    return frozenset(value)


def _drawn(where: str, raw: Any, c: Contract) -> Drawn:
    if not isinstance(raw, dict):
        _fail(where, "must be a mapping with regions, groups, side, quality")
    unknown = set(raw) - {"regions", "groups", "side", "quality"}
    if unknown:
        _fail(where, f"unknown keys {sorted(unknown)}; allowed: regions, groups, side, quality")
    if "regions" not in raw and "groups" not in raw:
        _fail(where, "needs regions or groups")
    groups = {r.group for r in c.regions.values()}
    side = raw.get("side", "any")
    if side not in SIDE_FILTERS:
        _fail(where, f"side must be one of {', '.join(SIDE_FILTERS)}, got {side!r}")
    return Drawn(
        _id_list(f"{where}.regions", raw["regions"], c.regions, "region")
        if "regions" in raw else frozenset(),
        _id_list(f"{where}.groups", raw["groups"], groups, "region group")
        if "groups" in raw else frozenset(),
        side,
        _id_list(f"{where}.quality", raw["quality"], set(QUALITIES), "quality")
        if "quality" in raw else frozenset())


def _cond(where: str, raw: Any, c: Contract) -> Cond:
    if not isinstance(raw, dict) or len(raw) != 1:
        _fail(where, "a condition is a mapping with exactly one key")
    (op, value), = raw.items()
    if op in ("all", "any"):
        if not isinstance(value, list) or not value:
            _fail(where, f"'{op}' needs a non-empty list of conditions")
        return Cond(op, children=tuple(_cond(f"{where}.{op}[{i}]", v, c)
                                       for i, v in enumerate(value)))
    if op == "not":
        return Cond(op, children=(_cond(f"{where}.not", value, c),))
    if op == "screening":
        return Cond(op, _id_list(f"{where}.screening", value, c.screening, "screening"))
    if op == "symptom":
        return Cond(op, _id_list(f"{where}.symptom", value, c.symptoms, "symptom"))
    if op in ("age_at_least", "age_below", "drawn_count_at_least"):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            _fail(f"{where}.{op}", "must be a whole number 0-120")
        return Cond(op, number=value)
    if op in ("drawn", "drawn_both_sides"):
        return Cond(op, drawn=_drawn(f"{where}.{op}", value, c))
    _fail(where, f"unknown condition '{op}'; allowed: all, any, not, screening, symptom, "
          "age_at_least, age_below, drawn, drawn_both_sides, drawn_count_at_least")


def parse_rules(data: Any, c: Contract | None = None) -> tuple[Rule, ...]:
    """Validate a decoded rule table against the contract."""
    c = c or contract()
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        _fail("top", "must be a mapping with a 'rules' list")
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data["rules"]):
        where = f"rules[{i}]"
        if not isinstance(raw, dict):
            _fail(where, "must be a mapping")
        where = f"rule '{raw.get('id', i)}'"
        required = {"id", "urgency", "when", "nl", "en", "source"}
        missing = required - set(raw)
        if missing:
            _fail(where, f"missing {', '.join(sorted(missing))}")
        unknown = set(raw) - required - {"supersedes"}
        if unknown:
            _fail(where, f"unknown keys {sorted(unknown)}")
        rid = raw["id"]
        if not isinstance(rid, str) or rid in seen:
            _fail(where, "id must be a unique string")
        if rid in c.screening:
            _fail(where, "id must differ from every screening item ID")
        seen.add(rid)
        if raw["urgency"] not in URGENCIES:
            _fail(where, f"urgency must be one of {', '.join(URGENCIES)}")
        for key in ("nl", "en", "source"):
            if not isinstance(raw[key], str) or len(raw[key].strip()) < 10:
                _fail(where, f"'{key}' must be a text of at least 10 characters")
        supersedes = raw.get("supersedes", [])
        if not isinstance(supersedes, list):
            _fail(where, "supersedes must be a list of rule IDs")
        when = _cond(f"{where}.when", raw["when"], c)
        rules.append(Rule(rid, raw["urgency"], when, raw["nl"].strip(), raw["en"].strip(),
                          raw["source"].strip(), tuple(supersedes), needs(when)))
    for rule in rules:
        for s in rule.supersedes:
            if s not in seen:
                _fail(f"rule '{rule.id}'", f"supersedes unknown rule '{s}'")
    return tuple(rules)


@cache
def load_rules() -> tuple[Rule, ...]:
    """The packaged rule table, validated (once per process)."""
    from importlib import resources  # on first use: it costs ~10 ms to import

    text = resources.files("knoop.ranking").joinpath("data", RULES_FILE).read_text(
        encoding="utf-8")
    return parse_rules(yaml_load(text))
