"""Plain-text rendering of a muscle entry for the terminal (``knoop kb show``)."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, TypedDict

from knoop.kb.models import CAUSES, TOOLS, Muscle

if TYPE_CHECKING:
    from knoop.kb import KnowledgeBase



class _Labels(TypedDict):
    tps: str
    where: str
    find: str
    ess: str
    spill: str
    sym: str
    causes: str
    act: str
    massage: str
    stretch: str
    caution: str
    src: str
    side: dict[str, str]  # referral side -> words
    ent: str
    nerves: str


LABELS: dict[str, _Labels] = {
    "nl": {"tps": "Triggerpunten", "where": "Ligging", "find": "Zo vind je het",
           "ess": "Hoofdgebied", "spill": "Uitloopgebied", "sym": "Andere klachten",
           "causes": "Oorzaken", "act": "Typische belasting", "massage": "Zelfmassage",
           "stretch": "Rekoefening", "caution": "Let op", "src": "Bronnen",
           "side": {"ipsilateral": "zelfde kant", "contralateral": "andere kant",
                    "bilateral": "beide kanten"}, "ent": "Beknelling",
           "nerves": "Zenuwen"},
    "en": {"tps": "Trigger points", "where": "Lies over", "find": "How to find it",
           "ess": "Essential zone", "spill": "Spillover zone", "sym": "Other symptoms",
           "causes": "Causes", "act": "Typical overload", "massage": "Self-massage",
           "stretch": "Stretch", "caution": "Caution", "src": "Sources",
           "side": {"ipsilateral": "same side", "contralateral": "opposite side",
                    "bilateral": "both sides"}, "ent": "Entrapment", "nerves": "Nerves"},
}


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(" ".join(text.split()), 96, initial_indent=indent,
                         subsequent_indent=indent)


def muscle_text(kb: KnowledgeBase, m: Muscle, lang: str = "nl") -> str:
    """A readable description of one muscle in ``lang`` (nl or en)."""
    L = LABELS[lang]
    regions = kb.contract.regions

    def rnames(ids: list[str]) -> str:
        return ", ".join(getattr(regions[r], lang).split(" (")[0] for r in ids) or "-"

    title = m.names.nl if lang == "nl" else m.names.en
    out = [f"{title} ({m.names.latin})  [{m.id}]", _wrap(m.summary.get(lang), ""), "",
           f"{L['tps']}:"]
    for tp in m.trigger_points:
        out += [f"- {tp.name.get(lang)}  [{tp.id}]",
                f"  {L['where']}: {rnames(tp.location)}",
                f"  {L['ess']}: {rnames(tp.referral.essential)}  ({L['side'][tp.referral.side]})",
                f"  {L['spill']}: {rnames(tp.referral.spillover)}",
                f"  {L['find']}:", _wrap(tp.how_to_find.get(lang), "    ")]
    syms = kb.contract.symptoms
    out += ["", f"{L['sym']}: " + (", ".join(getattr(syms[s], lang) for s in m.symptoms) or "-")]
    if m.entrapment:
        out += [f"{L['ent']}:", _wrap(m.entrapment.get(lang))]
    if m.nerves:
        out += [f"{L['nerves']}: " + ", ".join(
            kb.nerves[n].name(lang) + " (" + "; ".join(
                getattr(regions[r], lang).split(" (")[0] for r in sorted(kb.nerves[n].territory))
            + ")" for n in m.nerves)]
    out += [f"{L['causes']}: " + ", ".join(CAUSES[c][lang] for c in m.causes),
            f"{L['act']}: " + "; ".join(m.activities.get(lang)),
            "", f"{L['massage']} ({', '.join(TOOLS[t][lang] for t in m.self_massage.tools)}):",
            _wrap(m.self_massage.get(lang)), f"{L['stretch']}:", _wrap(m.stretch.get(lang)),
            f"{L['caution']}:", _wrap(m.cautions.get(lang)), "", f"{L['src']}:"]
    out += [f"- {s.ref} ({s.year})" + (f": {s.detail}" if s.detail else "") for s in m.sources]
    out.append(f"({m.reviewed.status}, {m.reviewed.by}, {m.reviewed.date})")
    return "\n".join(out)
