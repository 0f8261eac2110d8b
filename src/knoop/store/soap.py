"""The SOAP note as text, from the structured data of a session: pure, no database.

S: the client's words (the complaint) and the NRS at the start; O: every palpation finding
with its criteria; A: the therapist's assessment; P: what was treated, the NRS after, the plan
and the next appointment. Red flags that were overridden are written under A with the reason,
so the note never hides them. Dutch by default (the practice's language), English on request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from knoop.vocabulary import (
    LOCAL_TZ,
    RESULT_WORDS,
    TECHNIQUE_WORDS,
    TOLERANCE_WORDS,
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
           "next": "Volgende afspraak: {when}.",
           "override": "Rode vlag {flag} overschreven door {by}: {reason}."},
    "en": {"nrs_before": "Pain (NRS) at the start: {n}/10.", "treated": "Treated: {what}.",
           "tolerance": "pressure tolerance {t}", "nrs_after": "Pain (NRS) after treatment: {n}/10.",
           "next": "Next appointment: {when}.",
           "override": "Red flag {flag} overridden by {by}: {reason}."},
}


class FindingLike(Protocol):
    muscle: str
    side: str
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
class Override:
    """A red flag the therapist chose to treat past, with the written reason."""

    flag: str
    by: str
    reason: str


def sentence(text: str) -> str:
    """``text`` ending in a full stop (or ! or ?)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def soap_text(*, complaint: str, nrs_before: int | None, nrs_after: int | None,
              next_appointment: dt.datetime | None, subjective: str, objective: str,
              assessment: str, plan: str, findings: Sequence[FindingLike],
              treatments: Sequence[TreatmentLike], muscle_name: Callable[[str], str],
              overrides: Sequence[Override] = (), lang: str = "nl") -> str:
    """Four lines, S/O/A/P. ``next_appointment`` is naive UTC (as stored), shown in Dutch
    local time; ``muscle_name`` gives a muscle's name in ``lang``."""
    lang = "en" if lang == "en" else "nl"
    say = PHRASES[lang]
    subj = [subjective] if subjective else ([complaint] if complaint else [])
    if nrs_before is not None:
        subj.append(say["nrs_before"].format(n=nrs_before))
    obj = [objective] if objective else []
    for f in findings:
        crit = [words[lang == "en"] for name, words in CRITERIA if getattr(f, name)]
        obj.append(f"{muscle_name(f.muscle)} {side_word(f.side, lang)}: "
                   f"{word(RESULT_WORDS, f.result, lang)}"
                   + (f" ({', '.join(crit)})" if crit else "") + ".")
    ass = [assessment] if assessment else []
    ass += [say["override"].format(flag=o.flag, by=o.by, reason=sentence(o.reason).rstrip("."))
            for o in overrides]
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
