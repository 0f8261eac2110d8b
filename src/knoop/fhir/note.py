"""The session's SOAP note as a FHIR ``Composition``: one section per S/O/A/P line of the
note's text (the same text the session page and the dossier show), authored by the therapist
who last wrote it (else the session's therapist, else the practice)."""

from __future__ import annotations

from html import escape
from typing import Any

from knoop.fhir.codes import Systems, codeable, instant, stable_uuid

SECTIONS = {"nl": {"S": "Subjectief", "O": "Objectief", "A": "Evaluatie", "P": "Plan"},
            "en": {"S": "Subjective", "O": "Objective", "A": "Assessment", "P": "Plan"}}
TITLE = {"nl": "SOAP-verslag", "en": "SOAP note"}


def narrative(text: str) -> dict[str, str]:
    """A generated narrative: the text as one escaped XHTML paragraph."""
    return {"status": "generated",
            "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(text)}</p></div>'}


def soap_sections(soap_text: str, lang: str = "nl") -> list[dict[str, Any]]:
    """The note's lines ``S: …`` … ``P: …`` as sections; an empty line gets ``emptyReason``
    "nilknown" (nothing recorded)."""
    names = SECTIONS["en" if lang == "en" else "nl"]
    out = []
    for line in soap_text.splitlines():
        key, sep, body = line.partition(":")
        if not sep or key.strip() not in names:
            continue
        section: dict[str, Any] = {"title": f"{key.strip()} ({names[key.strip()]})"}
        if body.strip():
            section["text"] = narrative(body.strip())
        else:
            section["emptyReason"] = codeable(
                "http://terminology.hl7.org/CodeSystem/list-empty-reason", "nilknown",
                "Nil Known")
        out.append(section)
    return out


def composition(cs: Systems, s: dict[str, Any], *, subject: dict[str, str],
                encounter: dict[str, str], author: dict[str, str], custodian: dict[str, str],
                lang: str = "nl") -> tuple[str, dict[str, Any]] | None:
    """(fullUrl, Composition) of the session's note, or None when it has no note. The store
    writes the note in Dutch, so ``lang`` is "nl" unless the text was made in English."""
    note = s.get("note") or {}
    text = note.get("soap_text") or ""
    if not text.strip():
        return None
    lang = "en" if lang == "en" else "nl"
    return stable_uuid("composition", s["id"]), {
        "resourceType": "Composition", "language": lang,
        "status": "final" if s.get("status") == "closed" else "preliminary",
        "type": codeable(cs.cs("document-type"), "soap-note", "SOAP note", TITLE[lang]),
        "subject": subject, "encounter": encounter,
        "date": instant(note.get("updated_at") or s.get("updated_at") or s["started_at"]),
        "author": [author], "custodian": custodian, "title": TITLE[lang],
        "section": soap_sections(text, lang)}
