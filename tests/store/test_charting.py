"""Charting a session in the store: findings, treatments and the SOAP text they make."""

from __future__ import annotations

import datetime as dt

import pytest
from storekit import HEADACHE, World

from knoop.errors import BadInput, Conflict, NotFound


def test_findings_treatments_and_note_make_a_soap_text(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE, nrs_before=7)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="active",
                   trigger_point="trapezius_upper_front", pain_recognised=True, taut_band=True)
    st.add_finding(world.owner, s.id, muscle="temporalis", side="right", result="none_found")
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                     technique="ischemic_compression", duration_min=6,
                     pressure_tolerance="moderate")
    st.update_session(world.owner, s.id, nrs_after=3,
                      next_appointment=dt.datetime(2026, 12, 1, 10, 0))
    note = st.set_note(world.owner, s.id, subjective="Hoofdpijn rechts.", assessment="TrP.",
                       plan="Zelfmassage.")
    o = note.soap_text.split("\n")[1]
    assert o.startswith("O: Monnikskapspier rechts, triggerpunt ‘")
    assert o.endswith(": actief (herkenbare pijn, strakke streng). Slaapspier rechts: niets "
                      "gevonden.")
    assert "Pijntekening: slaap rechts (7/10), nek (bovenste deel, rechts) (5/10)." in \
        note.soap_text
    assert "A: TrP. Screening rode vlaggen: geen rode vlag." in note.soap_text
    assert "ischemische compressie, 6 min, druktolerantie matig" in note.soap_text
    assert "NRS) na behandeling: 3/10" in note.soap_text
    assert "Volgende afspraak: 01-12-2026 11:00" in note.soap_text, "UTC 10:00 is 11:00 in NL"
    got = st.get_session(world.owner, s.id)
    ranked = {(c["muscle"], c["side"]): c for c in got.ranking["candidates"]}
    assert ranked[("trapezius", "right")].get("finding") == "active"
    assert got.ranking["candidates"][0]["muscle"] == "trapezius"


def test_the_intakes_complaints_and_causes_reach_s_and_follow_a_change(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE, nrs_before=6,
                          complaint="Hoofdpijn na een werkdag", symptoms=["dizziness"],
                          causes=["static_posture", "stress"])
    note = st.set_note(world.owner, s.id, plan="Zelfmassage.")
    subj = note.soap_text.split("\n")[0]
    assert subj.startswith("S: Hoofdpijn na een werkdag. Overige klachten: duizeligheid of "
                           "evenwichtsstoornis. Uitlokkende factoren: langdurig dezelfde "
                           "houding, stress en spanning. Pijntekening: slaap rechts")
    st.update_session(world.owner, s.id, symptoms=["tearing_eye"], causes=[])
    subj = st.get_session(world.owner, s.id).note.soap_text.split("\n")[0]
    assert "Overige klachten: tranend oog." in subj and "Uitlokkende" not in subj


@pytest.mark.parametrize("kwargs, field", [
    ({"muscle": "biceps", "side": "left", "result": "active"}, "muscle"),
    ({"muscle": "trapezius", "side": "both", "result": "active"}, "side"),
    ({"muscle": "trapezius", "side": "left", "result": "maybe"}, "result"),
    ({"muscle": "trapezius", "side": "left", "result": "active",
      "trigger_point": "masseter_1"}, "trigger_point"),
    ({"muscle": "trapezius", "side": "left", "result": "active", "twitch": "ja"}, "twitch"),
])
def test_a_bad_finding_names_the_field(world: World, kwargs: dict, field: str) -> None:
    s = world.store.create_session(world.owner, world.client.id)
    with pytest.raises(BadInput) as info:
        world.store.add_finding(world.owner, s.id, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("kwargs, field", [
    ({"technique": "acupuncture"}, "technique"),
    ({"technique": "massage", "duration_min": 500}, "duration_min"),
    ({"technique": "massage", "pressure_tolerance": "extreme"}, "pressure_tolerance"),
])
def test_a_bad_treatment_names_the_field(world: World, kwargs: dict, field: str) -> None:
    s = world.store.create_session(world.owner, world.client.id)
    with pytest.raises(BadInput) as info:
        world.store.add_treatment(world.owner, s.id, muscle="trapezius", side="left", **kwargs)
    assert info.value.field == field


def test_a_treatment_can_be_removed_and_leaves_the_soap_text(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    keep = st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                            technique="massage", duration_min=5)
    wrong = st.add_treatment(world.owner, s.id, muscle="temporalis", side="right",
                             technique="dry_needling")
    st.set_note(world.owner, s.id, plan="Zelfmassage.")
    st.remove_treatment(world.colleague, wrong.id)
    got = st.get_session(world.owner, s.id)
    assert [t.id for t in got.treatments] == [keep.id]
    assert "dry needling" not in got.note.soap_text and "massage, 5 min" in got.note.soap_text
    assert ("delete", f"treatment:{wrong.id}") in [
        (e.action, e.object) for e in st.access_for_client(world.client.id)]
    with pytest.raises(NotFound) as again:
        st.remove_treatment(world.owner, wrong.id)
    assert again.value.message == f"treatment {wrong.id} not found"


def test_a_treatment_of_a_closed_session_cannot_be_removed(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id)
    t = st.add_treatment(world.owner, s.id, muscle="trapezius", side="left", technique="heat")
    st.set_status(world.owner, s.id, "closed")
    with pytest.raises(Conflict):
        st.remove_treatment(world.owner, t.id)
    assert len(st.get_session(world.owner, s.id).treatments) == 1
