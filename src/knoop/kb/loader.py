"""Load and validate knowledge-base files into :class:`~knoop.kb.models.Muscle` models.

Errors name the file, the line and the allowed values, e.g.::

    trapezius.yaml:14: trigger_points[0].referral.essential[2]: unknown region 'tempel';
    allowed: contract region IDs (e.g. temple)
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from knoop.errors import KnowledgeBaseError
from knoop.kb.contract import Contract, contract
from knoop.kb.models import Muscle
from knoop.kb.nerves import nerves

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _node_line(node: yaml.Node | None, loc: Iterable[object]) -> int | None:
    """Follow a pydantic error location through the YAML node tree; return a 1-based line."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        nxt: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
        elif (isinstance(node, yaml.SequenceNode) and isinstance(part, int)
              and 0 <= part < len(node.value)):
            nxt = node.value[part]
        if nxt is None:
            return line
        node = nxt
        line = node.start_mark.line + 1
    return line


def _path(loc: Iterable[object]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _suggest(value: str, allowed: Iterable[str]) -> str:
    close = difflib.get_close_matches(value, list(allowed), n=3, cutoff=0.6)
    return f" (did you mean {', '.join(close)}?)" if close else ""


def parse_muscle(text: str, filename: str, c: Contract | None = None) -> Muscle:
    """Parse one muscle file's text; raise :class:`KnowledgeBaseError` on the first problem."""
    c = c or contract()
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise KnowledgeBaseError(
            f"not valid YAML: {getattr(exc, 'problem', exc)}",
            file=filename, line=mark.line + 1 if mark else None,
        ) from None
    def node() -> yaml.Node | None:
        # The node tree (for line numbers) is only built when there is an error to report.
        return yaml.compose(text, Loader=_Loader)

    if not isinstance(data, dict):
        raise KnowledgeBaseError("must be a mapping with id, names, trigger_points, ...",
                                 file=filename, line=1)
    try:
        muscle = Muscle.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function"))]
        msg = err["msg"]
        ctx = err.get("ctx") or {}
        if "expected" in ctx:
            msg += f"; allowed: {ctx['expected']}"
        elif err["type"] == "extra_forbidden":
            allowed = _allowed_fields(loc)
            msg = f"unknown field; allowed: {', '.join(allowed)}" if allowed else msg
        raise KnowledgeBaseError(
            f"{_path(loc)}: {msg}", file=filename, line=_node_line(node(), loc),
            field=_path(loc),
        ) from None

    def fail(loc: list[object], message: str, allowed: Iterable[str] | None = None) -> None:
        raise KnowledgeBaseError(f"{_path(loc)}: {message}", file=filename,
                                 line=_node_line(node(), loc), field=_path(loc),
                                 allowed=sorted(allowed) if allowed is not None else None)

    stem = Path(filename).stem
    if muscle.id != stem:
        fail(["id"], f"id '{muscle.id}' must equal the file name '{stem}'")
    if muscle.id not in c.muscles:
        fail(["id"], f"'{muscle.id}' is not a contract muscle ID{_suggest(muscle.id, c.muscles)}",
             c.muscles)
    if muscle.group != c.muscles[muscle.id].group:
        fail(["group"], f"group '{muscle.group}' differs from the contract; allowed: "
             f"{c.muscles[muscle.id].group}", [c.muscles[muscle.id].group])

    def check_regions(loc: list[object], ids: list[str]) -> None:
        if len(set(ids)) != len(ids):
            fail(loc, "lists a region twice")
        for i, rid in enumerate(ids):
            if rid not in c.regions:
                fail([*loc, i], f"unknown region '{rid}'{_suggest(rid, c.regions)}; "
                     "allowed: contract region IDs", c.regions)

    seen: set[str] = set()
    for i, tp in enumerate(muscle.trigger_points):
        base: list[object] = ["trigger_points", i]
        if not tp.id.startswith(muscle.id + "_"):
            fail([*base, "id"], f"trigger point ID '{tp.id}' must start with '{muscle.id}_'")
        if tp.id in seen:
            fail([*base, "id"], f"trigger point ID '{tp.id}' is used twice")
        seen.add(tp.id)
        check_regions([*base, "location"], tp.location)
        check_regions([*base, "referral", "essential"], tp.referral.essential)
        check_regions([*base, "referral", "spillover"], tp.referral.spillover)
        both = set(tp.referral.essential) & set(tp.referral.spillover)
        if both:
            fail([*base, "referral", "spillover"],
                 f"{', '.join(sorted(both))} is both essential and spillover; choose one")
    known_nerves = nerves()
    for i, nid in enumerate(muscle.nerves):
        if nid not in known_nerves:
            fail(["nerves", i], f"unknown nerve '{nid}'{_suggest(nid, known_nerves)}; "
                 "allowed: the nerve IDs of kb/nerves.yaml", known_nerves)
    if muscle.nerves and muscle.entrapment is None:
        fail(["nerves"], "a muscle that names nerves needs an 'entrapment' text saying how")
    for i, sid in enumerate(muscle.symptoms):
        if sid not in c.symptoms:
            fail(["symptoms", i], f"unknown symptom '{sid}'{_suggest(sid, c.symptoms)}; "
                 "allowed: contract symptom IDs", c.symptoms)
    return muscle


def _allowed_fields(loc: Sequence[int | str]) -> list[str]:
    from knoop.kb import models as m

    model: type[BaseModel] = m.Muscle
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        if field is None:
            return []
        ann = field.annotation
        inner = getattr(ann, "__args__", None)
        candidates = [ann, *(inner or ())]
        nested = next((x for x in candidates if isinstance(x, type) and issubclass(x, BaseModel)),
                      None)
        if nested is None:
            return []
        model = nested
    return list(model.model_fields)


def packaged_files() -> list[tuple[str, str]]:
    """(file name, text) of every shipped muscle file, sorted by name."""
    folder = resources.files("knoop.kb").joinpath("muscles")
    out = [(p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir()
           if p.name.endswith(".yaml")]
    return sorted(out)


def load_files(files: Iterable[tuple[str, str]]) -> dict[str, Muscle]:
    """Validate every file; the first error stops loading."""
    c = contract()
    out: dict[str, Muscle] = {}
    for name, text in files:
        m = parse_muscle(text, name, c)
        out[m.id] = m
    return out


def validate_all(files: Iterable[tuple[str, str]]) -> list[KnowledgeBaseError]:
    """Validate every file and collect all errors (for ``knoop kb validate``)."""
    c = contract()
    errors: list[KnowledgeBaseError] = []
    for name, text in files:
        try:
            parse_muscle(text, name, c)
        except KnowledgeBaseError as exc:
            errors.append(exc)
    return errors
