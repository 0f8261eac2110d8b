"""The knowledge base: every contract muscle with its trigger points and referral zones.

Pure: reads only its packaged data. ``knowledge_base()`` loads and validates once per process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from knoop.errors import UnknownMuscle
from knoop.kb.contract import Contract, contract
from knoop.kb.nerves import Nerve, nerves

if TYPE_CHECKING:
    from knoop.kb.models import Muscle

#: Version of the knowledge-base content; stamped into every ranking, session and export.
#: Bump it with a line in ``kb/CHANGELOG.md`` whenever a muscle file changes.
KB_VERSION = "2026.12.0"


@dataclass(frozen=True)
class KnowledgeBase:
    version: str
    contract: Contract
    muscles: dict[str, Muscle]
    nerves: dict[str, Nerve] = field(default_factory=dict)

    def muscle(self, muscle_id: str) -> Muscle:
        try:
            return self.muscles[muscle_id]
        except KeyError:
            raise UnknownMuscle(f"unknown muscle '{muscle_id}'", field="muscle",
                                allowed=sorted(self.muscles)) from None

    def find(self, name: str) -> Muscle:
        """Look a muscle up by ID, Dutch, English or Latin name or alias (case-insensitive)."""
        key = name.strip().lower()
        for m in self.muscles.values():
            cm = self.contract.muscles[m.id]
            names = {m.id, m.names.nl.lower(), m.names.en.lower(), m.names.latin.lower(),
                     *(a.lower() for a in cm.aliases)}
            if key in names:
                return m
        return self.muscle(key)


@cache
def knowledge_base() -> KnowledgeBase:
    """The shipped knowledge base, loaded and validated once (and kept compiled, see
    :mod:`knoop.kb.compiled`)."""
    from knoop.kb.compiled import compiled
    from knoop.kb.contract import adopt

    kb = compiled(KB_VERSION, load_knowledge_base)
    adopt(kb.contract)
    return kb


def load_knowledge_base() -> KnowledgeBase:
    """Load and validate the shipped knowledge base from its YAML files."""
    from knoop.kb.loader import load_files, packaged_files

    return KnowledgeBase(version=KB_VERSION, contract=contract(),
                         muscles=load_files(packaged_files()), nerves=nerves())


def __getattr__(name: str) -> Any:
    """``knoop.kb.Muscle`` on first use: the pydantic models are imported only by what reads
    muscles (``knoop rank`` starts from the compiled ranker without them)."""
    if name == "Muscle":
        from knoop.kb.models import Muscle

        return Muscle
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["KB_VERSION", "KnowledgeBase", "Muscle", "Nerve", "knowledge_base", "load_knowledge_base"]
