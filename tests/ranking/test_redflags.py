"""Red-flag rules: a rule table (data, a source per rule) evaluated by the core."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knoop.errors import RedFlagRuleError as RuleError
from knoop.ranking import default_ranker
from knoop.ranking.evaluation import evaluate_redflags
from knoop.ranking.redflags import load_rules, parse_rules, screen

CASES = Path(__file__).resolve().parents[1] / "data" / "vignettes_redflags.json"


def flags(painmap: dict[str, Any]) -> dict[str, str]:
    r = default_ranker()
    return {f.id: f.urgency for f in r.rank(r.parse(painmap), "en").red_flags}


def L(*regions: str, **extra: Any) -> list[dict[str, Any]]:
    return [{"region": r, "side": "left", **extra} for r in regions]


def test_the_packaged_rule_table_loads_with_a_source_and_both_languages_per_rule() -> None:
    rules = load_rules()
    assert len(rules) >= 10
    assert len({r.id for r in rules}) == len(rules)
    for rule in rules:
        assert rule.nl != rule.en and rule.source, rule.id


def test_every_id_a_rule_uses_is_checked_against_the_contract() -> None:
    bad_ids = [
        {"screening": ["no_such_item"]},
        {"symptom": ["no_such_symptom"]},
        {"drawn": {"regions": ["no_such_region"]}},
        {"drawn": {"groups": ["no_such_group"]}},
        {"drawn": {"regions": ["temple"], "quality": ["itchy"]}},
    ]
    for when in bad_ids:
        table = {"rules": [{"id": "x_rule", "urgency": "urgent", "when": when,
                            "nl": "Een tekst in het Nederlands.", "en": "A text in English.",
                            "source": "Some guideline 2020"}]}
        with pytest.raises(RuleError, match="unknown"):
            parse_rules(table)


def test_a_malformed_rule_is_refused_with_its_id_in_the_message() -> None:
    base = {"id": "x_rule", "urgency": "urgent", "when": {"screening": ["fever_or_unwell"]},
            "nl": "Een tekst in het Nederlands.", "en": "A text in English.",
            "source": "Some guideline 2020"}
    for change in ({"urgency": "soon"}, {"when": {"sometimes": 1}}, {"source": ""},
                   {"supersedes": ["no_such_rule"]}, {"when": {"age_at_least": "fifty"}}):
        with pytest.raises(RuleError, match="x_rule"):
            parse_rules({"rules": [{**base, **change}]})
    missing = {k: v for k, v in base.items() if k != "source"}
    with pytest.raises(RuleError, match="missing source"):
        parse_rules({"rules": [missing]})


def test_every_red_flag_case_is_caught_at_its_urgency_and_benign_maps_raise_no_alarm() -> None:
    results, counts = evaluate_redflags(json.loads(CASES.read_text()), default_ranker())
    print()
    for r in results:
        print(f"{r.id:36} expected={r.expected:9} got={r.got:9} {', '.join(r.flags)}")
    assert counts["flagged"] >= 15 and counts["benign"] >= 5
    missed = [r.id for r in results if r.caught is False]
    alarms = [r.id for r in results if r.false_alarm]
    assert missed == [] and alarms == []


def test_cancer_history_with_night_pain_is_one_urgent_referral_not_separate_notes() -> None:
    got = flags({"regions": L("lumbar_paraspinal"),
                 "screening": ["history_of_cancer", "constant_night_pain",
                               "unexplained_weight_loss"]})
    assert got == {"possible_malignancy": "urgent"}


def test_a_more_urgent_screening_item_stays_listed_next_to_the_rule_it_fired() -> None:
    got = flags({"regions": L("temple"), "client": {"age": 70},
                 "screening": ["scalp_tenderness", "chest_pain_exertion"]})
    assert got["giant_cell_arteritis"] == "urgent"
    assert got["chest_pain_exertion"] == "emergency"
    assert "scalp_tenderness" not in got


def test_new_headache_after_fifty_with_jaw_pain_on_chewing_is_urgent_and_vision_loss_an_emergency(
) -> None:
    base = {"regions": L("temple"), "client": {"age": 72}}
    assert flags({**base, "symptoms": ["blurred_vision"]}) == {"giant_cell_arteritis": "urgent"}
    assert flags({**base, "screening": ["vision_loss_or_double_vision"]}) == {
        "giant_cell_arteritis_vision": "emergency"}
    assert "giant_cell_arteritis" not in flags({**base, "client": {"age": 35},
                                                "symptoms": ["blurred_vision"]})


def test_warning_signs_after_a_neck_manipulation_are_a_flag_not_evidence_for_the_scm() -> None:
    painmap = {"regions": L("neck_lateral", "occiput_base"),
               "symptoms": ["dizziness", "drooping_eyelid"],
               "screening": ["neck_trauma_or_manipulation"]}
    assert flags(painmap) == {"cervical_artery_after_trauma": "emergency"}
    r = default_ranker()
    ranking = r.rank(r.parse(painmap), "en")
    assert all(not set(ev.symptom_matches) & {"dizziness", "drooping_eyelid"}
               for ev in r.evidence(r.parse(painmap)))
    scm = next(c for c in ranking.candidates if c.muscle == "sternocleidomastoid")
    assert not any("dizziness" in x.lower() for x in scm.reasons_for)
    without = {k: v for k, v in painmap.items() if k != "screening"}
    assert "cervical_artery_after_trauma" not in flags(without)


def test_fever_with_a_stiff_neck_is_an_emergency() -> None:
    assert flags({"regions": L("neck_back_upper"), "symptoms": ["stiff_neck"],
                  "screening": ["fever_or_unwell"]}) == {"meningitis_signs": "emergency"}


@pytest.mark.parametrize("regions", [
    [{"region": "sternum"}, {"region": "upper_arm_medial", "side": "right"}],
    [{"region": "sternum"}] + L("interscapular", "shoulder_top"),
    L("upper_arm_medial", "lower_jaw"),
])
def test_cardiac_drawing_patterns_are_urgent_from_middle_age(regions: list[dict]) -> None:
    got = flags({"regions": regions, "client": {"age": 58}})
    assert got and set(got.values()) == {"urgent"}
    assert not flags({"regions": regions, "client": {"age": 22}})


def test_numbness_in_both_legs_is_urgent_and_in_one_leg_is_not_a_flag() -> None:
    one = L("thigh_back_upper", "calf_upper", quality="numb")
    other = [{**r, "side": "right"} for r in one]
    assert flags({"regions": one + other}) == {"both_legs_numb": "urgent"}
    assert flags({"regions": one}) == {}


def test_a_fall_with_steroid_use_is_one_urgent_fracture_referral() -> None:
    got = flags({"regions": L("thoracic_paraspinal_lower"),
                 "screening": ["recent_trauma", "osteoporosis_or_steroids"]})
    assert got == {"possible_fracture": "urgent"}


def test_screening_reports_the_items_that_fired_a_rule() -> None:
    r = default_ranker()
    result = screen(r.parse({"regions": L("lumbar_paraspinal"), "client": {"age": 71},
                             "screening": ["throbbing_belly"]}))
    (flag,) = result.flags
    assert flag.id == "aortic_aneurysm" and "screening:throbbing_belly" in flag.because
    assert flag.to_dict()["reference"].startswith("Wanhainen")


def test_skipping_the_rules_a_map_has_nothing_for_changes_no_screening() -> None:
    """``screen`` skips a rule whose needed facts (``needs``) the map lacks: on random maps
    with screening answers, symptoms, qualities and ages the result equals evaluating every
    rule, and the skip does happen."""
    import dataclasses
    import random

    from knoop.ranking.redflags import facts
    from knoop.vocabulary import QUALITIES

    r = default_ranker()
    c = r.contract
    every = tuple(dataclasses.replace(rule, needs=None) for rule in load_rules())
    assert sum(rule.needs is not None for rule in load_rules()) >= len(every) // 2
    regions, symptoms, items = sorted(c.regions), sorted(c.symptoms), sorted(c.screening)
    rnd = random.Random(5)
    skipped = 0
    for _ in range(1500):
        picked = rnd.sample(regions, rnd.randint(0, 9))
        data: dict[str, Any] = {"regions": [
            {"region": x, **({"side": rnd.choice(["left", "right"])} if c.regions[x].paired
                             else {}),
             "quality": rnd.choice(QUALITIES)}
            for x in picked]}
        if rnd.random() < 0.5:
            data["symptoms"] = rnd.sample(symptoms, rnd.randint(1, 3))
        if rnd.random() < 0.4:
            data["screening"] = rnd.sample(items, rnd.randint(1, 2))
        if rnd.random() < 0.5:
            data["client"] = {"age": rnd.randint(10, 90)}
        pm = r.parse(data)
        for lang in ("nl", "en"):
            assert screen(pm, c, lang, load_rules()) == screen(pm, c, lang, every), data
        have = facts(pm, c)
        skipped += sum(1 for rule in load_rules()
                       if rule.needs is not None and rule.needs.isdisjoint(have))
    assert skipped > 1500  # most maps skip most rules
