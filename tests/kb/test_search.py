"""Searching the knowledge base by any name, former Dutch names included."""

from __future__ import annotations

from knoop.kb import knowledge_base
from knoop.kb.search import search_muscles


def test_the_new_and_the_former_dutch_name_find_the_muscle() -> None:
    kb = knowledge_base()
    for query in ("kopknikker", "kopdraaier", "SCM"):
        assert "sternocleidomastoid" in [m.id for m in search_muscles(kb, query)], query
    assert [m.id for m in search_muscles(kb, "korte radiale polsstrekker")] == [
        "extensor_carpi_radialis_brevis"]
