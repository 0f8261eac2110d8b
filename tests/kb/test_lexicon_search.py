"""Finding muscles by complaint and body part in everyday Dutch (and English)."""

from __future__ import annotations

import pytest

from knoop.kb import knowledge_base
from knoop.kb.lexicon import words_to_targets
from knoop.kb.search import find_muscles


def top(query: str, n: int = 5) -> list[str]:
    return [f.muscle.id for f in find_muscles(knowledge_base(), query)[:n]]


def test_hoofdpijn_finds_the_classic_headache_muscles_first() -> None:
    first = top("hoofdpijn", 6)
    for m in ("sternocleidomastoid", "suboccipitals", "temporalis", "trapezius"):
        assert m in first, first
    assert not {"soleus", "gastrocnemius"} & set(top("hoofdpijn", 20))


def test_hiel_finds_the_soleus_first_and_only_lower_leg_and_foot_muscles() -> None:
    found = find_muscles(knowledge_base(), "hiel")
    assert found[0].muscle.id == "soleus" and found[0].why == "essential"
    assert all(f.muscle.group == "leg_ankle_foot" for f in found)


def test_kuit_finds_calf_muscles_including_the_soleus_near_the_top() -> None:
    first = top("kuit", 3)
    assert "gastrocnemius" in first and "soleus" in first
    # "kuitbeen" (the fibula, the outer lower leg) is not "kuit": no name match for the peroneals
    found = {f.muscle.id: f.why for f in find_muscles(knowledge_base(), "kuit")}
    assert not [m for m, why in found.items() if why == "name" and m.startswith("peroneus")]
    assert "peroneus_tertius" not in top("kuit", 5)


def test_tintelingen_finds_muscles_that_trap_a_nerve_first() -> None:
    kb = knowledge_base()
    found = find_muscles(kb, "tintelingen")
    assert found and all({"hand_numbness_tingling", "leg_numbness_tingling"}
                         & set(f.muscle.symptoms) for f in found)
    assert kb.muscles[found[0].muscle.id].entrapment is not None
    assert "scalenes" in top("tintelingen hand", 3)


def test_duizelig_finds_the_sternocleidomastoid() -> None:
    assert "sternocleidomastoid" in top("duizelig", 2)
    assert top("duizeligheid", 2) == top("duizelig", 2) == top("dizzy", 2)


@pytest.mark.parametrize("query", ["trapezius", "Monnikskapspier", "upper trapezius"])
def test_a_name_still_comes_first(query: str) -> None:
    assert top(query, 1) == ["trapezius"]


def test_every_word_must_match_and_filler_words_are_ignored() -> None:
    assert top("pijn in de kuit", 3) == top("kuit", 3)
    assert find_muscles(knowledge_base(), "kuit hoofdpijn") == []
    assert find_muscles(knowledge_base(), "xyzzy") == []


def test_a_word_stands_for_regions_and_symptoms() -> None:
    t = words_to_targets("Hiel")
    assert {"heel", "achilles"} <= t.regions and not t.symptoms
    assert words_to_targets("tintelingen").symptoms == {"hand_numbness_tingling",
                                                        "leg_numbness_tingling"}
    assert "temple" in words_to_targets("slaap").regions  # the temple, not sleep
    assert not words_to_targets("pijn")
