"""The compiled default ranker (a pickle keyed by the knowledge base, the ranking code and data,
and the chart's adjacency): it ranks as a freshly built ranker does, and loads without the
knowledge base's pydantic models or PyYAML."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from knoop.bodymap.adjacency import packaged_adjacency
from knoop.kb import knowledge_base
from knoop.ranking import Ranker
from knoop.ranking.compiled import compiled_ranker, ranker_key

MAPS = [
    {"regions": [{"region": "temple", "side": "left", "intensity": 7},
                 {"region": "neck_back_upper", "side": "left", "intensity": 5}],
     "symptoms": ["dizziness"]},
    {"regions": [{"region": "forearm_volar_radial", "side": "right", "quality": "tingling"},
                 {"region": "heel", "side": "left", "quality": "burning"}],
     "findings": [{"muscle": "soleus", "side": "left", "result": "active"}],
     "screening": ["fever_or_unwell"], "client": {"age": 61}},
]


def test_a_compiled_ranker_ranks_as_a_freshly_built_one_and_is_written_once(
        tmp_path: Path) -> None:
    built: list[Ranker] = []

    def build() -> Ranker:
        built.append(Ranker(knowledge_base(), packaged_adjacency()))
        return built[-1]

    compiled_ranker(build, tmp_path)
    loaded = compiled_ranker(build, tmp_path)
    assert len(built) == 1 and loaded is not built[0]
    assert [p.name for p in tmp_path.glob("ranker-*.pickle")] == [f"ranker-{ranker_key()}.pickle"]
    for m in MAPS:
        for lang in ("nl", "en"):
            assert loaded.rank(loaded.parse(m), lang).to_dict() == \
                built[0].rank(built[0].parse(m), lang).to_dict()
    assert loaded.kb.muscles == knowledge_base().muscles  # loaded again on first use


def test_a_damaged_compiled_ranker_is_built_again(tmp_path: Path) -> None:
    (tmp_path / f"ranker-{ranker_key()}.pickle").write_bytes(b"not a pickle")
    r = compiled_ranker(lambda: Ranker(knowledge_base(), packaged_adjacency()), tmp_path)
    assert r.rank(r.parse(MAPS[0])).candidates[0].muscle == "trapezius"


def test_ranking_one_map_in_a_fresh_process_loads_neither_pydantic_nor_yaml_nor_numpy(
) -> None:
    code = ("import sys, json\nfrom knoop.ranking import default_ranker\n"
            "r = default_ranker()\n"
            f"r.rank(r.parse(json.loads({json.dumps(json.dumps(MAPS[0]))})), 'en', "
            "arrays=False)\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'pydantic', 'pydantic_core', 'yaml', 'numpy', 'shapely'}))")
    warm = "from knoop.ranking import default_ranker; default_ranker()"
    subprocess.run([sys.executable, "-c", warm], check=True, timeout=120)  # writes the file
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert out.strip() == "[]"
