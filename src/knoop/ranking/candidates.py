"""What ranking answers: the candidates (muscle-sides to examine, best first), "together" and
the red flags, as :class:`Ranking`, with its JSON (``to_dict``, ``to_json``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from knoop.ranking.redflags import RedFlag
from knoop.ranking.together import Pick


@dataclass
class Candidate:
    rank: int
    muscle: str
    side: str
    score: float
    name: str
    trigger_points: list[str]
    #: None (and absent from :meth:`to_dict`) for a candidate past the ``reasons`` asked for
    reasons_for: list[str] | None
    reasons_against: list[str] | None
    finding: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rank": self.rank, "muscle": self.muscle, "side": self.side,
            "score": round(self.score, 3), "name": self.name,
            "trigger_points": self.trigger_points,
        }
        if self.reasons_for is not None:
            d["reasons_for"] = self.reasons_for
            d["reasons_against"] = self.reasons_against
        if self.finding:
            d["finding"] = self.finding
        return d


#: A candidate listed without reasons, as a plain row: (rank, muscle-side index, score, the
#: score rounded to 3 decimals as listed, finding)
PlainRow = tuple[int, int, float, float, "str | None"]


@dataclass
class Ranking:
    kb_version: str
    lang: str
    #: the candidates listed with their reasons (the first ``reasons``)
    explained: list[Candidate]
    together: list[Pick]
    red_flags: list[RedFlag]
    notes: list[str] = field(default_factory=list)
    #: How many muscle-sides have a score at all (set when ``candidates`` is cut to a top N).
    total_candidates: int | None = None
    #: the candidates listed after those, without reasons: plain rows (no object per
    #: candidate until :attr:`candidates` asks) ...
    plain: list[PlainRow] = field(default_factory=list)
    #: ... and per muscle-side index: muscle, side, name, trigger points ...
    about: Sequence[tuple[str, str, str, tuple[str, ...]]] = ()
    #: ... and the same as JSON: ``"muscle":…,"side":…,`` and ``"name":…,"trigger_points":[…]``
    fragments: Sequence[tuple[bytes, bytes]] = ()

    @cached_property
    def candidates(self) -> list[Candidate]:
        """Every listed candidate, best first (those past ``reasons`` without reasons)."""
        about = self.about
        return self.explained + [
            Candidate(n, about[i][0], about[i][1], score, about[i][2], list(about[i][3]),
                      None, None, finding) for n, i, score, _listed, finding in self.plain]

    def to_dict(self) -> dict[str, Any]:
        about = self.about
        candidates = [c.to_dict() for c in self.explained]
        for n, i, _score, score, finding in self.plain:
            muscle, side, name, tps = about[i]
            c: dict[str, Any] = {"rank": n, "muscle": muscle, "side": side, "score": score,
                                 "name": name, "trigger_points": list(tps)}
            if finding:
                c["finding"] = finding
            candidates.append(c)
        out: dict[str, Any] = {
            "kb_version": self.kb_version,
            "lang": self.lang,
            "red_flags": [f.to_dict() for f in self.red_flags],
            "candidates": candidates,
            "together": [p.to_dict() for p in self.together],
            "notes": self.notes,
        }
        if self.total_candidates is not None:
            out["total_candidates"] = self.total_candidates
        return out

    def to_json(self) -> bytes:
        """``orjson.dumps(self.to_dict())``, the same bytes (``tests/ranking/test_candidates.py``
        checks), without a dict per candidate listed without reasons: each one's JSON is made
        from two fragments worked out once per muscle-side, its rank and its score. Raises what
        orjson raises (a lone surrogate in a text): fall back to :meth:`to_dict`."""
        import orjson

        head = orjson.dumps({"kb_version": self.kb_version, "lang": self.lang,
                             "red_flags": [f.to_dict() for f in self.red_flags]})
        tail: dict[str, Any] = {"together": [p.to_dict() for p in self.together],
                                "notes": self.notes}
        if self.total_candidates is not None:
            tail["total_candidates"] = self.total_candidates
        parts = [orjson.dumps([c.to_dict() for c in self.explained])[1:-1]] \
            if self.explained else []
        fragments = self.fragments
        for n, i, _score, score, finding in self.plain:
            muscle_side, name_tps = fragments[i]
            found = b',"finding":' + orjson.dumps(finding) if finding else b""
            parts.append(b'{"rank":%d,%s"score":%s,%s%s}'
                         % (n, muscle_side, repr(score).encode(), name_tps, found))
        return b"".join((head[:-1], b',"candidates":[', b",".join(parts), b"],",
                         orjson.dumps(tail)[1:]))
