"""The nerve table: each nerve a muscle can squeeze, with its sensory territory as region IDs."""

from __future__ import annotations

import pytest

from knoop.errors import KnowledgeBaseError
from knoop.kb import knowledge_base
from knoop.kb.nerves import nerves, parse_nerves
from knoop.kb.text import muscle_text

SOURCES = [{"ref": "An anatomy atlas", "year": 2020}]


def test_every_nerve_a_muscle_names_is_in_the_table_with_a_territory() -> None:
    kb = knowledge_base()
    used = {n for m in kb.muscles.values() for n in m.nerves}
    assert used and used <= set(nerves())
    assert all(nerves()[n].territory for n in used)


def test_the_table_names_each_nerve_in_dutch_and_english() -> None:
    for n in nerves().values():
        assert n.name("nl") != n.name("en"), n.id


@pytest.mark.parametrize("table, message", [
    ({"sources": SOURCES, "nerves": [{"id": "median", "nl": "x", "en": "y",
                                      "territory": ["palmm"]}]}, "unknown region 'palmm'"),
    ({"sources": SOURCES, "nerves": [{"id": "median", "nl": "x", "en": "y", "territory": []}]},
     "non-empty list"),
    ({"nerves": [{"id": "median", "nl": "x", "en": "y", "territory": ["palm"]}]}, "sources"),
    ({"sources": SOURCES, "nerves": [{"id": "median", "nl": "x", "en": "y",
                                      "territory": ["palm"]}] * 2}, "listed twice"),
])
def test_a_broken_nerve_table_is_refused_with_a_clear_message(table: dict, message: str) -> None:
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_nerves(table)


def test_kb_show_names_the_nerves_a_muscle_can_squeeze() -> None:
    kb = knowledge_base()
    text = muscle_text(kb, kb.muscle("pronator_teres"), "en")
    assert "Nerves: median nerve (" in text
    assert "Nerves:" not in muscle_text(kb, kb.muscle("temporalis"), "en")
