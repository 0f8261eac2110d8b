"""Reasons for the first N candidates only: every candidate still listed with the same rank,
score and trigger points, whatever N is."""

from __future__ import annotations

from typing import Any

from knoop.ranking import default_ranker

#: a wide drawing: far more than 20 muscle-sides get a score
WIDE = {"regions": [
    {"region": r, "side": s, "intensity": i} for r, s, i in (
        ("temple", "left", 7), ("neck_back_upper", "left", 5), ("mastoid", "left", 4),
        ("shoulder_top", "right", 6), ("thigh_back_upper", "right", 8), ("heel", "left", 3),
        ("forearm_volar_radial", "left", 5), ("knee_front", "right", 4))],
    "symptoms": ["dizziness"],
    "findings": [{"muscle": "soleus", "side": "left", "result": "latent"}]}


def ranked(reasons: int | None, top: int | None = None) -> list[dict[str, Any]]:
    r = default_ranker()
    out: list[dict[str, Any]] = r.rank(r.parse(WIDE), "nl", top, reasons=reasons).to_dict()[
        "candidates"]
    return out


def test_only_the_first_n_candidates_carry_reasons_and_the_others_lack_the_fields() -> None:
    some = ranked(5)
    assert len(some) > 20
    assert all("reasons_for" in c and "reasons_against" in c for c in some[:5])
    assert all("reasons_for" not in c and "reasons_against" not in c for c in some[5:])
    assert any(c["reasons_for"] for c in some[:5])


def test_rank_score_finding_and_trigger_points_do_not_depend_on_how_many_get_reasons() -> None:
    every = ranked(None)
    for n in (0, 3, 20):
        some = ranked(n)
        assert [(c["rank"], c["muscle"], c["side"], c["score"], c.get("finding"))
                for c in some] == [(c["rank"], c["muscle"], c["side"], c["score"],
                                    c.get("finding")) for c in every]
        assert some[:n] == every[:n]
        assert [sorted(c["trigger_points"]) for c in some] == \
            [sorted(c["trigger_points"]) for c in every]
    assert any(c.get("finding") == "latent" for c in ranked(0))


def test_reasons_count_within_the_top_listed() -> None:
    top = ranked(3, top=10)
    assert len(top) == 10
    assert [("reasons_for" in c) for c in top] == [True] * 3 + [False] * 7
