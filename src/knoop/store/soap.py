"""The SOAP note as text, from the structured data of a session: pure, no database.

S: the client's words (the complaint), the other complaints and provoking factors the client
named (the intake's symptoms and causes), the drawn pain (each region with its intensity and
quality, strongest first) and the NRS at the start; O: every palpation finding with its
trigger point and criteria (present, and absent when tested); A: the therapist's assessment
and the red-flag screening (none, or each flag with its urgency and what was decided: an
override always with its reason, so the note never hides it); P: what was treated, the NRS
after, the plan and the next appointment. Dutch by default (the practice's language), English
on request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from knoop.vocabulary import (
    LOCAL_TZ,
    QUALITY_WORDS,
    RESULT_WORDS,
    TECHNIQUE_WORDS,
    TOLERANCE_WORDS,
    URGENCY_WORDS,
    side_word,
    word,
)

CRITERIA = (("pain_recognised", ("herkenbare pijn", "pain recognised")),
            ("tender_spot", ("drukpijnlijk punt", "tender spot")),
            ("taut_band", ("strakke streng", "taut band")),
            ("referral_elicited", ("uitstraling opgewekt", "referral elicited")),
            ("twitch", ("twitch", "twitch response")))
PHRASES = {
    "nl": {"nrs_before": "Pijn (NRS) bij aanvang: {n}/10.", "treated": "Behandeld: {what}.",
           "tolerance": "druktolerantie {t}", "nrs_after": "Pijn (NRS) na behandeling: {n}/10.",
           "next": "Volgende afspraak: {when}.", "drawn": "Pijntekening: {r}.",
           "symptoms": "Overige klachten: {s}.", "causes": "Uitlokkende factoren: {c}.",
           "tp": "triggerpunt {tp}", "absent": "geen {c}",
           "no_flags": "Screening rode vlaggen: geen rode vlag.",
           "flag": "Rode vlag ({u}): {flag}",
           "acknowledged": "gezien door {by}.", "open": "nog niet beoordeeld.",
           "override": "overschreven door {by}: {reason}."},
    "en": {"nrs_before": "Pain (NRS) at the start: {n}/10.", "treated": "Treated: {what}.",
           "tolerance": "pressure tolerance {t}", "nrs_after": "Pain (NRS) after treatment: {n}/10.",
           "next": "Next appointment: {when}.", "drawn": "Pain drawing: {r}.",
           "symptoms": "Other complaints: {s}.", "causes": "Provoking factors: {c}.",
           "tp": "trigger point {tp}", "absent": "no {c}",
           "no_flags": "Red-flag screening: no red flag.",
           "flag": "Red flag ({u}): {flag}",
           "acknowledged": "seen by {by}.", "open": "not yet assessed.",
           "override": "overridden by {by}: {reason}."},
}


class FindingLike(Protocol):
    muscle: str
    side: str
    trigger_point: str | None
    result: str
    pain_recognised: bool | None
    tender_spot: bool | None
    taut_band: bool | None
    referral_elicited: bool | None
    twitch: bool | None


class TreatmentLike(Protocol):
    muscle: str
    side: str
    technique: str
    duration_min: int | None
    pressure_tolerance: str | None


@dataclass(frozen=True)
class FlagOutcome:
    """A red flag of the session and what was decided: ``decision`` is ``acknowledged``,
    ``overridden`` (with the written ``reason``) or ``open``; ``title`` is the flag in words."""

    title: str
    urgency: str
    decision: str
    by: str = ""
    reason: str = ""


def sentence(text: str) -> str:
    """``text`` ending in a full stop (or ! or ?)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def drawn_regions(regions: Sequence[Mapping[str, Any]], region_name: Callable[[str], str],
                  lang: str = "nl") -> str:
    """The drawn pain in words, strongest first: ``slaap links (7/10, zeurend), ...``."""
    def key(r: Mapping[str, Any]) -> tuple[int, str, str]:
        return (-(r.get("intensity") or 0), str(r.get("region")), str(r.get("side") or ""))
    out = []
    for r in sorted(regions, key=key):
        name, side = region_name(str(r.get("region"))), side_word(r.get("side"), lang)
        if side:  # "nek (bovenste deel, rechts)", "slaap rechts"
            name = f"{name[:-1]}, {side})" if name.endswith(")") else f"{name} {side}"
        bits = [f"{r['intensity']}/10"] if r.get("intensity") else []
        if r.get("quality"):
            bits.append(word(QUALITY_WORDS, str(r["quality"]), lang))
        out.append(name + (f" ({', '.join(bits)})" if bits else ""))
    return ", ".join(out)


def _finding(f: FindingLike, muscle_name: Callable[[str], str],
             tp_name: Callable[[str, str], str], lang: str) -> str:
    say = PHRASES[lang]
    crit = [words[lang == "en"] for name, words in CRITERIA if getattr(f, name) is True]
    crit += [say["absent"].format(c=words[lang == "en"]) for name, words in CRITERIA
             if getattr(f, name) is False]
    head = f"{muscle_name(f.muscle)} {side_word(f.side, lang)}"
    if f.trigger_point:
        head += ", " + say["tp"].format(tp=f"‘{tp_name(f.muscle, f.trigger_point)}’")
    return (f"{head}: {word(RESULT_WORDS, f.result, lang)}"
            + (f" ({', '.join(crit)})" if crit else "") + ".")


def _flag(o: FlagOutcome, lang: str) -> str:
    say = PHRASES[lang]
    head = say["flag"].format(u=word(URGENCY_WORDS, o.urgency, lang), flag=o.title.rstrip("."))
    if o.decision == "overridden":
        return f"{head}; " + say["override"].format(
            by=o.by, reason=sentence(o.reason).rstrip("."))
    if o.decision == "acknowledged":
        return f"{head}; " + say["acknowledged"].format(by=o.by)
    return f"{head}; " + say["open"]


def soap_text(*, complaint: str, nrs_before: int | None, nrs_after: int | None,
              next_appointment: dt.datetime | None, subjective: str, objective: str,
              assessment: str, plan: str, findings: Sequence[FindingLike],
              treatments: Sequence[TreatmentLike], muscle_name: Callable[[str], str],
              flags: Sequence[FlagOutcome] = (),
              regions: Sequence[Mapping[str, Any]] = (),
              region_name: Callable[[str], str] = str,
              tp_name: Callable[[str, str], str] = lambda _m, tp: tp,
              symptoms: Sequence[str] = (), causes: Sequence[str] = (),
              lang: str = "nl") -> str:
    """Four lines, S/O/A/P. ``next_appointment`` is naive UTC (as stored), shown in Dutch
    local time; ``muscle_name``, ``region_name`` and ``tp_name`` (muscle, trigger point) give
    names in ``lang``; ``regions`` are the pain map's regions (region, side, intensity,
    quality); ``flags`` the session's red flags with their decisions; ``symptoms`` and
    ``causes`` the other complaints and provoking factors the client named, already in words
    (lower case, in ``lang``)."""
    lang = "en" if lang == "en" else "nl"
    say = PHRASES[lang]
    subj = [subjective] if subjective else ([complaint] if complaint else [])
    if symptoms:
        subj.append(say["symptoms"].format(s=", ".join(symptoms)))
    if causes:
        subj.append(say["causes"].format(c=", ".join(causes)))
    if regions:
        subj.append(say["drawn"].format(r=drawn_regions(regions, region_name, lang)))
    if nrs_before is not None:
        subj.append(say["nrs_before"].format(n=nrs_before))
    obj = [objective] if objective else []
    obj += [_finding(f, muscle_name, tp_name, lang) for f in findings]
    ass = [sentence(assessment)] if assessment else []
    ass += [_flag(o, lang) for o in flags] if flags else [say["no_flags"]]
    todo = []
    for t in treatments:
        bits = [word(TECHNIQUE_WORDS, t.technique, lang)]
        if t.duration_min:
            bits.append(f"{t.duration_min} min")
        if t.pressure_tolerance:
            bits.append(say["tolerance"].format(t=word(TOLERANCE_WORDS, t.pressure_tolerance,
                                                        lang)))
        todo.append(say["treated"].format(
            what=f"{muscle_name(t.muscle)} {side_word(t.side, lang)}, {', '.join(bits)}"))
    if nrs_after is not None:
        todo.append(say["nrs_after"].format(n=nrs_after))
    if plan:
        todo.append(sentence(plan))
    if next_appointment:
        when = next_appointment.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ)
        todo.append(say["next"].format(when=f"{when:%d-%m-%Y %H:%M}"))
    lines = ["S: " + " ".join(sentence(x) for x in subj), "O: " + " ".join(obj),
             "A: " + " ".join(ass), "P: " + " ".join(todo)]
    return "\n".join(line.rstrip() for line in lines)
