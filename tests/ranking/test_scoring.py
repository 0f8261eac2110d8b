"""The scoring model's weights: local pain, neighbours of large zones, symmetric drawings,
pattern coverage of large zones and the weight of specific symptoms."""

from __future__ import annotations

from typing import Any

from knoop.ranking import default_ranker
from knoop.ranking.evaluation import muscle_order
from knoop.ranking.scoring import SYMPTOM_CAP, W_SYMPTOMS, symmetric_halves, symptom_weight
from knoop.ranking.zones import KIND_WEIGHT, NEIGHBOUR, NEIGHBOUR_FULL, pattern_parts


def L(*regions: str, intensity: int = 7) -> list[dict[str, Any]]:
    return [{"region": r, "side": "left", "intensity": intensity} for r in regions]


def both(*regions: str, intensity: int = 6) -> list[dict[str, Any]]:
    return [{"region": r, "side": s, "intensity": intensity} for r in regions
            for s in ("left", "right")]


def scores(painmap: dict[str, Any]) -> dict[tuple[str, str], float]:
    r = default_ranker()
    return {(c.muscle, c.side): c.score for c in r.rank(r.parse(painmap), "en").candidates}


def order(painmap: dict[str, Any]) -> list[str]:
    r = default_ranker()
    return muscle_order(r.rank(r.parse(painmap), "en").to_dict()["candidates"])


def test_pain_over_a_trigger_point_counts_less_than_its_essential_zone() -> None:
    assert KIND_WEIGHT["spillover"] < KIND_WEIGHT["local"] < KIND_WEIGHT["essential"]


def test_neighbour_credit_of_a_very_large_zone_is_shared_out() -> None:
    r = default_ranker()
    for z in r.zones.values():
        n = sum(1 for kind in z.kind.values() if kind == "neighbour")
        assert n * z.neighbour_weight <= NEIGHBOUR * NEIGHBOUR_FULL + 1e-9
        if n <= NEIGHBOUR_FULL:
            assert z.neighbour_weight == NEIGHBOUR
    assert r.zones[("gluteus_minimus", "left")].neighbour_weight < NEIGHBOUR


def test_heel_and_arch_pain_does_not_list_the_gluteus_minimus() -> None:
    assert "gluteus_minimus" not in order({"regions": L("heel", "arch")})[:8]


def test_a_symmetric_bilateral_drawing_judges_each_side_on_its_own_half() -> None:
    one_side = scores({"regions": L("temple", "upper_back_teeth", intensity=6)})
    bilateral = scores({"regions": both("temple", "upper_back_teeth")})
    assert bilateral[("temporalis", "left")] == bilateral[("temporalis", "right")]
    assert bilateral[("temporalis", "left")] == one_side[("temporalis", "left")]
    r = default_ranker()
    first = r.rank(r.parse({"regions": both("temple", "upper_back_teeth")}), "en").candidates[0]
    assert any("both sides" in x for x in first.reasons_for)


def test_a_bilateral_tension_headache_keeps_the_temporalis_in_view() -> None:
    assert "temporalis" in order({"regions": both("temple", "forehead", "neck_back_upper")})[:8]


def test_a_lopsided_drawing_is_not_split_into_halves() -> None:
    painted = {("temple", "left"): 1.0, ("forehead", "left"): 1.0, ("neck_back_upper", "left"): 1.0,
               ("temple", "right"): 1.0}
    assert symmetric_halves(painted) is None
    halves = symmetric_halves({("temple", "left"): 1.0, ("temple", "right"): 2.0,
                               ("vertex", None): 3.0})
    assert halves is not None
    assert halves["right"] == {("temple", "right"): 2.0, ("vertex", None): 3.0}


def test_chest_pain_over_the_sternum_and_left_chest_lists_the_scalenes_in_the_top_three() -> None:
    chest = [{"region": "sternum", "intensity": 6},
             {"region": "pectoral", "side": "left", "intensity": 6}]
    assert "scalenes" in order({"regions": chest})[:3]


def test_pain_in_the_right_groin_alone_lists_the_iliopsoas_in_the_top_five() -> None:
    groin = [{"region": "groin", "side": "right", "intensity": 6}]
    assert "iliopsoas" in order({"regions": groin})[:5]


def test_a_tearing_eye_puts_the_sternocleidomastoid_clearly_first_for_temple_and_forehead_pain(
        ) -> None:
    painmap = {"regions": [{"region": "temple", "side": "left", "intensity": 6},
                           {"region": "forehead", "side": "left", "intensity": 5}],
               "symptoms": ["tearing_eye", "dizziness"]}
    ranked = default_ranker().rank(default_ranker().parse(painmap), "en").candidates
    assert ranked[0].muscle == "sternocleidomastoid"
    runner_up = next(c for c in ranked if c.muscle != "sternocleidomastoid")
    assert ranked[0].score - runner_up.score > 0.05


def test_a_sign_only_one_muscle_gives_weighs_more_than_a_common_complaint() -> None:
    weight = default_ranker().symptom_weight
    assert weight["tearing_eye"] > 1.0 > weight["stiff_neck"] > weight["weak_grip"]
    assert symptom_weight(weight["tearing_eye"]) > W_SYMPTOMS > symptom_weight(
        weight["stiff_neck"])
    assert symptom_weight(10.0) == W_SYMPTOMS * SYMPTOM_CAP


def test_the_same_drawing_ranks_a_muscle_higher_for_its_specific_sign_than_for_a_common_one(
        ) -> None:
    drawn = L("temple", "forehead", intensity=6)
    specific = scores({"regions": drawn, "symptoms": ["tearing_eye"]})
    common = scores({"regions": drawn, "symptoms": ["stiff_neck"]})
    scm = ("sternocleidomastoid", "left")
    assert specific[scm] > common[scm]


def test_coverage_is_measured_on_fixed_parts_of_each_pattern() -> None:
    adjacency = {("a", None): frozenset({("b", None), ("x", None)}),
                 ("b", None): frozenset({("a", None), ("c", None)}),
                 ("c", None): frozenset({("b", None)})}
    zone = frozenset({("a", None), ("b", None), ("c", None)})
    assert pattern_parts(zone, adjacency) == (
        zone, frozenset({("a", None), ("b", None)}), frozenset({("b", None), ("c", None)}))
