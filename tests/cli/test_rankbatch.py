"""``knoop rank --batch`` in worker processes: the same bytes as one process, in the file's
order, bad lines reported with their line numbers (run as a real process)."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

from knoop.cli.rankbatch import CHUNK, chunks

KNOOP = [sys.executable, "-m", "knoop"]


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*KNOOP, *args], check=False, capture_output=True, timeout=300)


def maps_file(tmp_path: Path) -> Path:
    """Several chunks of maps, with a bad line, a blank line and an English-free mix."""
    from knoop.kb.contract import contract

    regions = sorted(contract().regions.values(), key=lambda r: r.id)
    rnd = random.Random(3)
    lines: list[str] = []
    for n in range(CHUNK * 5 + 7):
        picked = rnd.sample(regions, rnd.randint(1, 8))
        pm: dict[str, object] = {"regions": [
            {"region": r.id, **({"side": rnd.choice(["left", "right"])} if r.paired else {}),
             "intensity": rnd.randint(1, 10)} for r in picked]}
        if n % 17 == 0:
            pm["symptoms"] = ["dizziness"]
        lines.append(json.dumps(pm))
    lines[CHUNK + 3] = "{not json"
    lines[CHUNK * 3] = ""
    lines[CHUNK * 4 + 1] = json.dumps({"regions": [{"region": "temple", "side": "up"}]})
    f = tmp_path / "maps.jsonl"
    f.write_text("\n".join(lines) + "\n")
    return f


def test_a_batch_in_worker_processes_gives_the_bytes_of_one_process(tmp_path: Path) -> None:
    f = maps_file(tmp_path)
    for extra in ([], ["--top", "20", "--reasons", "5", "--lang", "en"]):
        one = run("rank", "--batch", str(f), "--workers", "1", *extra)
        two = run("rank", "--batch", str(f), "--workers", "2", *extra)
        assert one.returncode == two.returncode == 2  # the bad lines
        assert two.stdout == one.stdout
        assert two.stderr == one.stderr
        out = one.stdout.decode().splitlines()
        assert len(out) == CHUNK * 5 + 6  # the blank line gives none
        assert json.loads(out[CHUNK + 3])["line"] == CHUNK + 4
        assert json.loads(out[CHUNK * 4])["line"] == CHUNK * 4 + 2
        errors = one.stderr.decode().splitlines()
        assert [e.split(":")[1] for e in errors] == [f" line {CHUNK + 4}",
                                                     f" line {CHUNK * 4 + 2}"]


def test_a_batch_is_cut_into_chunks_that_keep_their_line_numbers() -> None:
    lines = [f"{n}\n" for n in range(1, 8)]
    assert list(chunks(lines, 3)) == [(1, lines[0:3]), (4, lines[3:6]), (7, lines[6:7])]
    assert list(chunks([], 3)) == []


def test_zero_workers_are_refused_naming_the_option(tmp_path: Path) -> None:
    f = tmp_path / "one.jsonl"
    f.write_text(json.dumps({"regions": [{"region": "temple", "side": "left"}]}) + "\n")
    result = run("rank", "--batch", str(f), "--workers", "0")
    assert result.returncode == 2 and b"--workers" in result.stderr
