"""``knoop rank --batch``: one ranking JSON per line of a JSONL file of pain maps, in the file's
order, in worker processes on a machine with more than one core.

The lines are handed out in chunks of :data:`CHUNK` maps. A worker is a fork of this process
made after the ranker is loaded (and its objects frozen for the garbage collector), so it starts
at once and shares the ranker's memory; it ranks its chunk and returns the output bytes and the
error messages, and this process writes them in the file's order. The output is byte for byte
that of one process (``tests/cli/test_rankbatch.py``). A batch of fewer than two chunks, or
``workers`` 1, is ranked here without forking.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from knoop.errors import KnoopError

#: Maps per chunk handed to a worker: large enough that passing it costs little against
#: ranking it, small enough that two workers finish a batch of 1,000 together.
CHUNK = 64
#: Chunks a worker may have waiting beside the one it ranks (the rest of the file stays unread).
AHEAD = 2


@dataclass(frozen=True)
class Options:
    """What every line is ranked with (``knoop rank``'s options)."""

    lang: str
    top: int | None
    reasons: int | None


@dataclass
class Chunk:
    """The result of ranking a run of lines: one JSON line per map, and an error message for
    each line that was not a valid pain map (its JSON line then holds the error)."""

    output: bytes
    errors: list[str]


def default_workers() -> int:
    """Worker processes for a batch: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def rank_chunk(job: tuple[int, list[str], Options]) -> Chunk:
    """Rank the lines of a chunk; ``job``: the first line's number (1-based), the lines, the
    options. Blank lines give no output."""
    import orjson

    from knoop.ranking import default_ranker

    first, lines, opts = job
    ranker = default_ranker()
    out: list[bytes] = []
    errors: list[str] = []
    for n, line in enumerate(lines, start=first):
        if not line.strip():
            continue
        try:
            ranking = ranker.rank(ranker.parse_text(line), opts.lang, opts.top,
                                  reasons=opts.reasons)
        except KnoopError as exc:
            errors.append(f"error: line {n}: {exc.message}")
            out.append(_json_line({"line": n, **exc.to_dict()}))
            continue
        try:
            out.append(ranking.to_json() + b"\n")
        except (orjson.JSONEncodeError, TypeError):  # a lone surrogate in a text
            out.append(_json_line(ranking.to_dict()))
    return Chunk(b"".join(out), errors)


def _json_line(data: dict[str, Any]) -> bytes:
    """One compact JSON line (UTF-8, not ASCII-escaped)."""
    import json

    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate in a message
        return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")


def chunks(source: Iterable[str], size: int = CHUNK) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of ``size`` lines each, the last one shorter."""
    lines: list[str] = []
    first = 1
    for n, line in enumerate(source, start=1):
        if not lines:
            first = n
        lines.append(line)
        if len(lines) >= size:
            yield first, lines
            lines = []
    if lines:
        yield first, lines


def rank_batch(source: Iterable[str], opts: Options, out: IO[bytes], err: IO[str],
               workers: int = 1) -> int:
    """Rank every line of ``source`` and write the JSON lines to ``out`` in order, the error
    messages to ``err``; returns how many lines were not valid pain maps. The ranker must be
    loaded (``default_ranker()``) before: the workers are forks of this process."""
    todo = chunks(source)
    first = [c for _, c in zip(range(2), todo)]
    bad = 0

    def write(result: Chunk) -> None:
        nonlocal bad
        for message in result.errors:
            err.write(message + "\n")
        bad += len(result.errors)
        out.write(result.output)

    if workers <= 1 or len(first) < 2:
        for start, lines in [*first, *todo]:
            write(rank_chunk((start, lines, opts)))
        return bad
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        waiting: collections.deque[Any] = collections.deque()
        for start, lines in [*first, *todo]:
            waiting.append(pool.apply_async(rank_chunk, ((start, lines, opts),)))
            if len(waiting) >= workers * (AHEAD + 1):
                write(waiting.popleft().get())
        while waiting:
            write(waiting.popleft().get())
    return bad
