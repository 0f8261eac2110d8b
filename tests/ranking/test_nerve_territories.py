"""Entrapment by nerve territory: tingling or numbness counts only for muscles whose squeezed
nerve serves the drawn region."""

from __future__ import annotations

from typing import Any

from knoop.ranking import default_ranker


def order(painmap: dict[str, Any]) -> list[str]:
    r = default_ranker()
    seen: list[str] = []
    for c in r.rank(r.parse(painmap), "en").candidates:
        if c.muscle not in seen:
            seen.append(c.muscle)
    return seen


def drawn(*regions: str, quality: str = "tingling", side: str = "left") -> list[dict[str, Any]]:
    return [{"region": r, "side": side, "intensity": 5, "quality": quality} for r in regions]


def nerve_muscles(nerve: str) -> set[str]:
    kb = default_ranker().kb
    return {m.id for m in kb.muscles.values() if nerve in m.nerves}


MEDIAN_MAP = drawn("thumb_palmar", "index_finger_palmar", "middle_finger_palmar", "thenar")


def test_median_territory_tingling_lists_the_median_nerve_muscle_and_no_ulnar_nerve_muscle(
) -> None:
    for painmap in ({"regions": MEDIAN_MAP},
                    {"regions": MEDIAN_MAP + drawn("palm"), "symptoms": ["hand_numbness_tingling"]}):
        top = order(painmap)[:5]
        assert top[0] in nerve_muscles("median"), top
        assert not set(top) & nerve_muscles("ulnar"), top


def test_ulnar_territory_tingling_raises_the_ulnar_nerve_muscle() -> None:
    top = order({"regions": drawn("little_finger_palmar", "ring_finger_palmar", "hypothenar")})
    assert nerve_muscles("ulnar") & set(top[:3]), top


def test_lateral_thigh_numbness_lists_no_foot_or_calf_muscle() -> None:
    kb = default_ranker().kb
    lower_leg = {m.id for m in kb.muscles.values() if m.group == "leg_ankle_foot"}
    assert lower_leg
    top = order({"regions": drawn("thigh_lateral_upper", "thigh_lateral_lower", quality="numb")})
    assert top[0] in nerve_muscles("lateral_femoral_cutaneous"), top
    assert not set(top[:5]) & lower_leg, top


def test_tingling_counts_only_on_the_side_of_the_muscle() -> None:
    r = default_ranker()
    ranking = r.rank(r.parse({"regions": MEDIAN_MAP}), "en")
    sides = {c.side for c in ranking.candidates if c.muscle in nerve_muscles("median")}
    assert sides == {"left"}


def test_the_obturator_internus_squeezes_the_pudendal_nerve_not_a_leg_nerve() -> None:
    kb = default_ranker().kb
    m = kb.muscle("obturator_internus")
    assert m.nerves == ["pudendal"] and "leg_numbness_tingling" not in m.symptoms
    assert "obturator_internus" not in order({"regions": drawn("calf_upper", "heel")})


def test_the_reason_names_the_nerve() -> None:
    r = default_ranker()
    first = r.rank(r.parse({"regions": MEDIAN_MAP}), "en").candidates[0]
    assert any("median nerve" in x for x in first.reasons_for), first.reasons_for


def test_tingling_in_a_referral_zone_without_the_nerve_is_listed_as_not_explained() -> None:
    r = default_ranker()
    painmap = {"regions": MEDIAN_MAP + [{"region": "forearm_volar_radial", "side": "left",
                                         "intensity": 6}]}
    ranking = r.rank(r.parse(painmap), "en")
    others = [c for c in ranking.candidates if c.muscle not in nerve_muscles("median")]
    assert others
    for c in others:
        assert not any("thumb, palm side" in x for x in c.reasons_for), (c.muscle, c.reasons_for)
