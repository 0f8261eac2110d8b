"""The compiled knowledge base (a pickle keyed by what the knowledge base is made of)."""

from __future__ import annotations

from pathlib import Path

from knoop.kb import KB_VERSION, KnowledgeBase, knowledge_base, load_knowledge_base
from knoop.kb.compiled import cache_key, compiled


def test_the_compiled_knowledge_base_equals_the_one_loaded_from_yaml() -> None:
    fresh = load_knowledge_base()
    kb = knowledge_base()
    assert kb.version == fresh.version
    assert kb.muscles == fresh.muscles
    assert kb.contract == fresh.contract
    assert kb.nerves == fresh.nerves


def test_a_cache_file_is_written_once_then_read_and_replaced_when_the_version_changes(
        tmp_path: Path) -> None:
    built: list[str] = []

    def build(version: str) -> KnowledgeBase:
        built.append(version)
        kb = load_knowledge_base()
        return KnowledgeBase(version, kb.contract, kb.muscles, kb.nerves)

    first = compiled(KB_VERSION, lambda: build(KB_VERSION), tmp_path)
    again = compiled(KB_VERSION, lambda: build(KB_VERSION), tmp_path)
    assert built == [KB_VERSION]
    assert again.muscles == first.muscles
    assert [p.name for p in tmp_path.glob("kb-*.pickle")] == [f"kb-{cache_key(KB_VERSION)}.pickle"]

    compiled("9999.1.0", lambda: build("9999.1.0"), tmp_path)
    assert built == [KB_VERSION, "9999.1.0"]
    assert [p.name for p in tmp_path.glob("kb-*.pickle")] == [f"kb-{cache_key('9999.1.0')}.pickle"]


def test_a_damaged_cache_file_is_built_again(tmp_path: Path) -> None:
    (tmp_path / f"kb-{cache_key(KB_VERSION)}.pickle").write_bytes(b"not a pickle")
    kb = compiled(KB_VERSION, load_knowledge_base, tmp_path)
    assert kb.muscles == knowledge_base().muscles
    assert (tmp_path / f"kb-{cache_key(KB_VERSION)}.pickle").read_bytes() != b"not a pickle"
