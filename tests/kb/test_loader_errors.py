"""Broken knowledge-base files give clear errors naming the file, the line and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from knoop.errors import KnowledgeBaseError
from knoop.kb.loader import parse_muscle

# A frozen copy of an early trapezius entry, so edits to the shipped file never move these lines.
GOOD = (Path(__file__).parent / "fixtures" / "trapezius.yaml").read_text(encoding="utf-8")


def broken(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


@pytest.mark.parametrize("text, expected", [
    (broken("essential: [neck_back_upper, neck_lateral, mastoid, temple]",
            "essential: [neck_back_upper, neck_lateral, mastoid, tempel]"),
     ["trapezius.yaml:32", "referral.essential[3]", "unknown region 'tempel'", "temple"]),
    (broken("symptoms: [stiff_neck, dizziness]", "symptoms: [stiff_neck, dizzy]"),
     ["trapezius.yaml:", "symptoms[1]", "unknown symptom 'dizzy'"]),
    (broken("group: head_neck", "group: neck"),
     ["group", "head_neck"]),
    (broken("  - id: trapezius_upper_back", "  - id: upper_back"),
     ["trigger_points[1].id", "must start with 'trapezius_'"]),
    (broken("    location: [neck_shoulder_angle, neck_lateral]",
            "    location: [neck_shoulder_angle, neck_lateral]\n    colour: red"),
     ["trigger_points[0].colour", "unknown field", "allowed:", "referral"]),
    (broken("      side: ipsilateral\n      essential: [neck_back_upper, occiput_base]",
            "      side: sideways\n      essential: [neck_back_upper, occiput_base]"),
     ["trigger_points[1].referral.side", "ipsilateral", "contralateral", "bilateral"]),
    (broken("causes: [static_posture,", "causes: [sitting,"),
     ["causes[0]", "repetitive_overload"]),
    (broken("causes: [static_posture,", "nerves: [medial]\ncauses: [static_posture,"),
     ["nerves[0]", "unknown nerve 'medial'", "median"]),
    (broken("causes: [static_posture,", "nerves: [median]\ncauses: [static_posture,"),
     ["nerves", "needs an 'entrapment' text"]),
    (broken("      spillover: [neck_back_lower, mastoid]",
            "      spillover: [neck_back_upper, mastoid]"),
     ["neck_back_upper is both essential and spillover"]),
    ("id: trapezius\nnames: [a, b\n", ["trapezius.yaml:", "not valid YAML"]),
    (GOOD.replace("reviewed:\n  by: knoop KB team\n  date: 2026-11-25\n  status: draft\n", ""),
     ["reviewed", "Field required"]),
])
def test_a_broken_file_gives_a_clear_error(text: str, expected: list[str]) -> None:
    with pytest.raises(KnowledgeBaseError) as info:
        parse_muscle(text, "trapezius.yaml")
    for part in expected:
        assert part in info.value.message, info.value.message


def test_the_fixture_itself_is_valid() -> None:
    assert parse_muscle(GOOD, "trapezius.yaml").id == "trapezius"


def test_a_file_named_differently_from_its_id_is_refused() -> None:
    with pytest.raises(KnowledgeBaseError, match="must equal the file name"):
        parse_muscle(GOOD, "trapezius_copy.yaml")
