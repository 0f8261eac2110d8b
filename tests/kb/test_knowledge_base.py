"""The shipped knowledge base: complete, valid and consistent with the contract."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knoop.kb import KB_VERSION, knowledge_base
from knoop.kb.contract import contract
from knoop.kb.loader import packaged_files, validate_all

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "contract"


def test_every_shipped_file_validates() -> None:
    errors = validate_all(packaged_files())
    assert [e.message for e in errors] == []


def test_every_contract_muscle_has_an_entry() -> None:
    missing = set(contract().muscles) - set(knowledge_base().muscles)
    assert missing == set()


def test_every_muscle_has_a_trigger_point_with_a_non_empty_essential_zone() -> None:
    for m in knowledge_base().muscles.values():
        assert any(tp.referral.essential for tp in m.trigger_points), m.id


def test_every_region_and_symptom_id_exists_in_the_contract() -> None:
    c = contract()
    for m in knowledge_base().muscles.values():
        for tp in m.trigger_points:
            for rid in [*tp.location, *tp.referral.essential, *tp.referral.spillover]:
                assert rid in c.regions, (m.id, tp.id, rid)
        for sid in m.symptoms:
            assert sid in c.symptoms, (m.id, sid)


def test_every_entry_names_its_sources_and_review() -> None:
    for m in knowledge_base().muscles.values():
        assert m.sources and all(s.year >= 1900 for s in m.sources), m.id
        assert m.reviewed.by


def test_every_text_is_written_in_dutch_and_english() -> None:
    for m in knowledge_base().muscles.values():
        for text in (m.summary, m.stretch, m.cautions, *(tp.how_to_find for tp in m.trigger_points)):
            assert text.nl.strip() and text.en.strip()
            assert text.nl != text.en, m.id


@pytest.mark.parametrize("muscle, tp_regions", [
    ("trapezius", {"temple", "neck_back_upper"}),
    ("sternocleidomastoid", {"eye", "forehead", "ear", "occiput_upper", "vertex"}),
    ("temporalis", {"temple", "upper_back_teeth"}),
    ("infraspinatus", {"shoulder_front"}),
    ("quadratus_lumborum", {"sacroiliac", "buttock_lower"}),
    ("gluteus_minimus", {"thigh_lateral_upper", "leg_lateral"}),
    ("soleus", {"heel"}),
    ("serratus_anterior", {"elbow_medial", "wrist_volar_ulnar", "ring_finger_palmar",
                           "little_finger_palmar"}),
    ("pectoralis_major", {"upper_arm_medial", "elbow_medial", "wrist_volar_ulnar"}),
    ("pectoralis_minor", {"elbow_medial", "wrist_volar_ulnar", "little_finger_palmar"}),
    ("adductor_longus_brevis", {"groin", "shin"}),
    ("flexor_digitorum_longus", {"calf_lower", "medial_malleolus"}),
    ("gastrocnemius", {"achilles"}),
])
def test_classic_referral_patterns_are_in_the_zones(muscle: str, tp_regions: set[str]) -> None:
    m = knowledge_base().muscle(muscle)
    zone = m.zone("essential") | m.zone("spillover")
    assert tp_regions <= zone, tp_regions - zone


def test_the_packaged_contract_is_the_shared_contract() -> None:
    if not SHARED.exists():
        pytest.skip("shared/contract is not next to this checkout")
    for name in ("regions.yaml", "muscles.yaml", "symptoms.yaml"):
        ours = yaml.safe_load((ROOT / "src/knoop/kb/contract" / name).read_text())
        theirs = yaml.safe_load((SHARED / name).read_text())
        assert ours == theirs, f"{name} differs from shared/contract: copy it again"


def test_the_kb_changelog_describes_the_current_version() -> None:
    text = (ROOT / "src/knoop/kb/CHANGELOG.md").read_text(encoding="utf-8")
    assert KB_VERSION in text


def test_the_piriformis_refers_over_the_whole_buttock_and_its_lateral_point_over_the_hip() -> None:
    m = knowledge_base().muscle("piriformis")
    buttock = {"buttock_upper", "buttock_mid", "buttock_lower", "buttock_deep"}
    for tp in m.trigger_points:
        assert buttock <= set(tp.referral.essential), tp.id
    assert "hip_lateral" in m.trigger_point("piriformis_lateral").referral.essential


def test_the_lateral_epicondyle_is_essential_for_the_short_radial_wrist_extensor() -> None:
    m = knowledge_base().muscle("extensor_carpi_radialis_brevis")
    assert "elbow_lateral" in m.zone("essential")


def test_the_lower_trapezius_border_band_and_the_heart_rhythm_point_are_their_own_points() -> None:
    kb = knowledge_base()
    border = kb.muscle("trapezius").trigger_point("trapezius_lower_border")
    assert border.referral.essential == ["interscapular"]
    assert "burning_itching_skin" in kb.muscle("trapezius").symptoms
    assert kb.muscle("pectoralis_major").trigger_point("pectoralis_major_arrhythmia").rare


@pytest.mark.parametrize("muscle", ["sternocleidomastoid", "scalenes", "digastric", "platysma",
                                    "infrahyoids", "longus_colli"])
def test_neck_muscles_warn_about_sustained_extension_and_rotation_in_stretches(muscle: str
                                                                              ) -> None:
    cautions = knowledge_base().muscle(muscle).cautions
    assert "wervelslagader" in cautions.nl and "vertebral arter" in cautions.en


def test_the_dutch_names_are_distinct_and_use_the_established_words() -> None:
    kb = knowledge_base()
    wrist = ["extensor_carpi_radialis_longus", "extensor_carpi_radialis_brevis",
             "extensor_carpi_ulnaris", "flexor_carpi_radialis", "flexor_carpi_ulnaris"]
    lay = {kb.muscle(m).names.nl.split(" (")[0].lower() for m in wrist}
    assert len(lay) == len(wrist), lay
    joined = " ".join(m.names.nl.lower() for m in kb.muscles.values())
    for old in ("kopdraaier", "doornspier", "scalenen"):
        assert old not in joined, old
