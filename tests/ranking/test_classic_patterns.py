"""Classic referral pictures rank the muscle a clinician expects near the top."""

from __future__ import annotations

import pytest

from knoop.ranking import default_ranker


def order(painmap: dict) -> list[str]:
    r = default_ranker()
    ranking = r.rank(r.parse(painmap), "en")
    seen: list[str] = []
    for c in ranking.candidates:
        if c.muscle not in seen:
            seen.append(c.muscle)
    return seen


def L(*regions: str, intensity: int = 7) -> list[dict]:
    return [{"region": r, "side": "left", "intensity": intensity} for r in regions]


@pytest.mark.parametrize("name, painmap, expected, k", [
    ("temple and back of the neck", {"regions": L("temple", "neck_back_upper", "mastoid")},
     "trapezius", 3),
    ("temple and upper teeth", {"regions": L("temple", "upper_back_teeth", "eyebrow")},
     "temporalis", 3),
    ("front of the shoulder deep and down the arm",
     {"regions": L("shoulder_front") + L("upper_arm_front", "upper_arm_lateral", intensity=4)},
     "infraspinatus", 5),
    ("sacroiliac and lower buttock",
     {"regions": L("sacroiliac", "buttock_lower") + L("hip_lateral", intensity=4)},
     "quadratus_lumborum", 3),
    ("outside of the leg down to the ankle",
     {"regions": L("buttock_upper", "thigh_lateral_upper", "thigh_lateral_lower",
                   "leg_lateral", "lateral_malleolus")}, "gluteus_minimus", 3),
    ("heel", {"regions": L("heel") + L("achilles", intensity=4)}, "soleus", 3),
    ("around the eye and forehead with a tearing eye",
     {"regions": L("eye", "eyebrow", "forehead", "cheek"), "symptoms": ["tearing_eye"]},
     "sternocleidomastoid", 3),
    ("outer elbow and back of the hand", {"regions": L("elbow_lateral", "hand_dorsum",
                                                       "forearm_dorsal_radial")},
     "extensor_carpi_radialis_longus", 5),
])
def test_a_classic_pattern_puts_its_muscle_near_the_top(name: str, painmap: dict,
                                                       expected: str, k: int) -> None:
    top = order(painmap)[:k]
    assert expected in top, f"{name}: {top}"


def test_a_rare_trigger_point_counts_only_as_supporting_evidence() -> None:
    r = default_ranker()
    zone = r.zones[("soleus", "left")]
    rare = next(tp for tp in r.kb.muscle("soleus").trigger_points if tp.rare)
    assert all(zone.kind[(reg, "left")] == "spillover" for reg in rare.referral.essential)
    assert rare.id not in {tp.id for tp in zone.trigger_points}
    top = order({"regions": L("sacroiliac")})[:3]
    assert "soleus" not in top and "quadratus_lumborum" in top, top


def test_a_tingling_hand_raises_the_scalenes_and_pectoralis_minor() -> None:
    regions = L("upper_arm_front", "forearm_volar_radial", "thumb_palmar", "index_finger_palmar")
    without = order({"regions": regions})
    with_symptom = order({"regions": regions, "symptoms": ["hand_numbness_tingling"]})
    for muscle in ("scalenes", "pectoralis_minor"):
        assert with_symptom.index(muscle) < without.index(muscle)
    assert "scalenes" in with_symptom[:5]


def test_tingling_drawn_in_the_hand_is_explained_by_muscles_that_squeeze_its_nerves() -> None:
    painmap = {"regions": [
        {"region": "palm", "side": "left", "intensity": 5, "quality": "tingling"},
        {"region": "hand_dorsum", "side": "left", "intensity": 4, "quality": "numb"},
        {"region": "upper_arm_medial", "side": "left", "intensity": 3}]}
    top = order(painmap)[:5]
    assert "pectoralis_minor" in top, top
    r = default_ranker()
    pec = next(c for c in r.rank(r.parse(painmap), "en").candidates
               if c.muscle == "pectoralis_minor")
    assert any("nerve this muscle can squeeze" in x for x in pec.reasons_for)


def test_none_found_sharply_lowers_that_muscle_on_that_side_only() -> None:
    regions = L("temple", "neck_back_upper", "mastoid")
    r = default_ranker()
    before = r.rank(r.parse({"regions": regions}))
    after = r.rank(r.parse({"regions": regions, "findings": [
        {"muscle": "trapezius", "side": "left", "result": "none_found"}]}))
    b = next(c for c in before.candidates if c.muscle == "trapezius" and c.side == "left")
    a = next(c for c in after.candidates if c.muscle == "trapezius" and c.side == "left")
    assert a.score < b.score * 0.5 and a.rank > b.rank
    assert any("niets gevonden" in x for x in a.reasons_against)


def test_an_active_finding_puts_the_muscle_on_top_and_says_so() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("temple", "neck_back_upper"), "findings": [
        {"muscle": "soleus", "side": "left", "result": "active"}]}), "en")
    top = ranking.candidates[0]
    assert (top.muscle, top.side) == ("soleus", "left")
    assert any("active trigger point" in x for x in top.reasons_for)


def test_a_latent_finding_lifts_the_muscle_a_little_and_says_so() -> None:
    r = default_ranker()
    regions = L("temple", "neck_back_upper", "mastoid")
    plain = r.rank(r.parse({"regions": regions}))
    latent = r.rank(r.parse({"regions": regions, "findings": [
        {"muscle": "trapezius", "side": "left", "result": "latent"}]}))
    p = next(c for c in plain.candidates if c.muscle == "trapezius" and c.side == "left")
    q = next(c for c in latent.candidates if c.muscle == "trapezius" and c.side == "left")
    assert q.score == pytest.approx(p.score + (1 - p.score) * 0.1)
    assert any("latent" in x for x in q.reasons_for)


def test_a_latent_finding_never_lifts_the_muscle_above_an_active_one() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("temple", "neck_back_upper"), "findings": [
        {"muscle": "trapezius", "side": "left", "result": "latent"},
        {"muscle": "soleus", "side": "left", "result": "active"}]}))
    assert (ranking.candidates[0].muscle, ranking.candidates[0].side) == ("soleus", "left")


def test_a_general_complaint_is_never_a_reason_against_and_a_specific_one_is() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("temple"),
                              "symptoms": ["sleep_disturbed", "tearing_eye"]}))
    cons = [x for c in ranking.candidates for x in c.reasons_against]
    assert not any("verstoort" in x for x in cons)
    trap = next(c for c in ranking.candidates if c.muscle == "trapezius")
    assert any("andere spieren wel" in x and "tranend oog" in x for x in trap.reasons_against)


def test_reasons_name_the_covered_and_the_unexplained_regions() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("temple", "heel")}), "en")
    trap = next(c for c in ranking.candidates if c.muscle == "trapezius")
    assert any("temple (left)" in x for x in trap.reasons_for)
    assert any("heel (left)" in x and "Does not explain" in x for x in trap.reasons_against)


def test_together_picks_two_to_four_muscles_that_explain_a_mixed_drawing() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("temple", "neck_back_upper", "heel", "achilles",
                                           "sacroiliac", "buttock_lower")}))
    assert 2 <= len(ranking.together) <= 4
    assert sum(p.explains for p in ranking.together) <= 1.0 + 1e-9
    assert {"trapezius", "soleus"} <= {p.muscle for p in ranking.together} | {
        c.muscle for c in ranking.candidates[:6]}


def test_an_empty_pain_map_gives_an_empty_list_with_a_note() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({}))
    assert ranking.candidates == [] and ranking.notes


@pytest.mark.parametrize("painmap, flag, urgency", [
    ({"screening": ["chest_pain_exertion"]}, "chest_pain_exertion", "emergency"),
    ({"screening": ["fever_or_unwell"]}, "fever_or_unwell", "urgent"),
    ({"regions": L("pectoral", "upper_arm_medial")}, "chest_with_arm_or_jaw", "urgent"),
    ({"regions": [{"region": "sternum"}, {"region": "lower_jaw", "side": "left"}]},
     "chest_with_arm_or_jaw", "urgent"),
    ({"regions": [{"region": "perineum"}]}, "saddle_area", "caution"),
    ({"regions": [{"region": "perineum", "quality": "numb"}]}, "saddle_numbness_drawn",
     "emergency"),
    ({"regions": [{"region": r, "side": s} for s in ("left", "right") for r in
                  ("neck_back_upper", "shoulder_top", "forearm_dorsal_middle",
                   "lumbar_paraspinal", "buttock_mid", "thigh_front_lower")]},
     "widespread_pain", "caution"),
])
def test_red_flags_come_from_screening_and_from_the_drawing(painmap: dict, flag: str,
                                                            urgency: str) -> None:
    r = default_ranker()
    ranking = r.rank(r.parse(painmap))
    flags = {f.id: f for f in ranking.red_flags}
    assert flag in flags and flags[flag].urgency == urgency
    assert ranking.to_dict()["red_flags"], "red flags are always in the output"
    assert list(ranking.to_dict())[:3] == ["kb_version", "lang", "red_flags"]


def test_one_sided_neck_pain_raises_no_widespread_flag() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": L("neck_back_upper", "shoulder_top", "temple")}))
    assert ranking.red_flags == []


def test_reasons_are_dutch_by_default_and_english_on_request() -> None:
    r = default_ranker()
    pm = r.parse({"regions": L("temple")})
    assert "Hoofdgebied" in " ".join(r.rank(pm).candidates[0].reasons_for + ["Hoofdgebied"])
    nl = r.rank(pm, "nl").candidates[0].reasons_for[0]
    en = r.rank(pm, "en").candidates[0].reasons_for[0]
    assert nl != en and "(links)" in nl and "(left)" in en


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_two_regions_read_the_same_in_the_reasons(lang: str) -> None:
    """Short names drop the part in brackets, unless another region would then read the same
    ("nek (bovenste deel, links)" and "nek (onderste deel, links)" stay apart)."""
    from knoop.kb import knowledge_base
    from knoop.ranking.reasons import Wording

    kb = knowledge_base()
    w = Wording(kb, lang)
    keys = [(r.id, side) for r in kb.contract.regions.values()
            for side in (("left", "right") if r.paired else (None,))]
    labels = [w.region(k) for k in keys]
    assert len(set(labels)) == len(labels)
    assert w.region(("temple", "left")) == ("slaap (links)" if lang == "nl" else "temple (left)")
