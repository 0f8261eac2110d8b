"""The ``knoop`` command line, run as a real process: help, exit codes, formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

KNOOP = [sys.executable, "-m", "knoop"]
PAINMAP = {"regions": [{"region": "temple", "side": "left", "intensity": 7},
                       {"region": "neck_back_upper", "side": "left"}]}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KNOOP, *args], check=False, input=stdin, capture_output=True, text=True,
                          timeout=120)


def all_commands() -> list[list[str]]:
    """Every command and subcommand of the CLI, as argument lists."""
    import click

    from knoop.cli import main

    out: list[list[str]] = [[]]

    def walk(group: click.Group, prefix: list[str]) -> None:
        ctx = click.Context(group)
        for name in sorted(group.list_commands(ctx)):
            cmd = group.get_command(ctx, name)
            out.append([*prefix, name])
            if isinstance(cmd, click.Group):
                walk(cmd, [*prefix, name])

    walk(main, [])
    return out


def test_every_command_has_help() -> None:
    from click.testing import CliRunner

    from knoop.cli import main

    commands = all_commands()
    assert len(commands) > 30
    for command in commands:
        result = CliRunner().invoke(main, [*command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert "Usage:" in result.output, command


def test_the_command_list_shows_each_commands_own_summary() -> None:
    import click

    from knoop.cli import COMMANDS, main

    ctx = click.Context(main)
    for name, (_module, _attr, summary) in COMMANDS.items():
        cmd = main.get_command(ctx, name)
        assert cmd is not None and cmd.name == name, name
        assert click.Command(name, help=summary).get_short_help_str(500) == \
            cmd.get_short_help_str(500)


@pytest.mark.parametrize("args", [["--help"], ["rank", "-"]])
def test_help_and_rank_load_no_database_web_pdf_pydantic_or_yaml_library(args: list[str]) -> None:
    code = ("import sys\nfrom knoop.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "heavy = {'sqlalchemy', 'alembic', 'fastapi', 'starlette', 'weasyprint', 'shapely',"
            " 'numpy', 'argon2', 'uvicorn', 'jinja2', 'pydantic', 'yaml'}\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & heavy), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], input=json.dumps(PAINMAP),
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.stderr.strip().splitlines()[-1] == "[]", result.stderr


@pytest.mark.parametrize("command", [["kb", "show"], ["chart", "render"], ["rank"], ["serve"]])
def test_help_works_in_a_real_process(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout


def test_kb_show_prints_dutch_by_default_and_english_on_request() -> None:
    nl = run("kb", "show", "trapezius")
    en = run("kb", "show", "Trapezius", "--lang", "en")
    assert nl.returncode == 0 and "Triggerpunten" in nl.stdout and "Hoofdgebied" in nl.stdout
    assert en.returncode == 0 and "Trigger points" in en.stdout


def test_kb_show_of_an_unknown_muscle_exits_2_with_a_message() -> None:
    result = run("kb", "show", "trapezoid")
    assert result.returncode == 2
    assert "unknown muscle 'trapezoid'" in result.stderr


def test_kb_validate_reports_a_broken_file_with_its_line(tmp_path: Path) -> None:
    src = Path(__file__).resolve().parents[1] / "kb/fixtures/trapezius.yaml"
    bad = tmp_path / "trapezius.yaml"
    bad.write_text(src.read_text().replace("mastoid, temple]", "mastoid, tempel]", 1))
    result = run("kb", "validate", str(bad))
    assert result.returncode == 2
    assert "trapezius.yaml:" in result.stderr and "tempel" in result.stderr


def test_kb_coverage_counts_every_contract_muscle() -> None:
    result = run("kb", "coverage", "--format", "json")
    report = json.loads(result.stdout)
    assert report["muscles"] == report["contract_muscles"] == 123
    assert report["missing_muscles"] == []


def test_rank_writes_json_when_piped(tmp_path: Path) -> None:
    f = tmp_path / "pm.json"
    f.write_text(json.dumps(PAINMAP))
    result = run("rank", str(f), "--top", "3")
    out = json.loads(result.stdout)
    assert result.returncode == 0
    assert len(out["candidates"]) == 3 and out["candidates"][0]["rank"] == 1
    assert out["kb_version"]


def test_rank_reads_stdin_and_prints_a_table_on_request() -> None:
    result = run("rank", "-", "--format", "table", "--lang", "en", stdin=json.dumps(PAINMAP))
    assert result.returncode == 0
    assert "score" in result.stdout and "Essential zone covers" in result.stdout


def test_the_dutch_rank_table_shows_scores_as_dutch_percentages_and_json_stays_machine_format(
        ) -> None:
    import re

    table = run("rank", "-", "--format", "table", stdin=json.dumps(PAINMAP)).stdout
    lines = [ln for ln in table.splitlines() if re.match(r"\s+\d+\s", ln)]
    assert lines and all(re.match(r"\s+\d+\s+\d{1,3}\u00a0%\s+(links|rechts|–)\s", ln)
                         for ln in lines), lines
    assert "kant" in table and "spier" in table
    assert not re.search(r"\d\.\d", table), "no decimal points in the Dutch table"
    english = run("rank", "-", "--format", "table", "--lang", "en", stdin=json.dumps(PAINMAP))
    assert re.search(r"\s\d{1,3}%\s+(left|right)", english.stdout)
    machine = json.loads(run("rank", "-", "--format", "json", stdin=json.dumps(PAINMAP)).stdout)
    assert isinstance(machine["candidates"][0]["score"], float)


def test_rank_of_a_bad_pain_map_exits_2_naming_the_field() -> None:
    bad = {"regions": [{"region": "temple", "side": "up"}]}
    result = run("rank", "-", stdin=json.dumps(bad))
    assert result.returncode == 2
    assert "regions[0].side" in result.stderr and "left or right" in result.stderr


def test_rank_batch_keeps_order_and_reports_the_bad_line(tmp_path: Path) -> None:
    f = tmp_path / "maps.jsonl"
    f.write_text("\n".join([json.dumps(PAINMAP), "{not json", json.dumps({"regions": [
        {"region": "heel", "side": "right"}]})]) + "\n")
    result = run("rank", "--batch", str(f))
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert result.returncode == 2
    assert len(lines) == 3
    assert lines[0]["candidates"][0]["side"] == "left"
    assert lines[1]["line"] == 2 and lines[1]["error"]["code"] == "invalid_painmap"
    assert lines[2]["candidates"][0]["side"] == "right"
    assert "line 2" in result.stderr


def test_each_batch_line_equals_the_single_map_ranking_of_that_map(tmp_path: Path) -> None:
    from knoop.kb.contract import contract

    regions = sorted(contract().regions.values(), key=lambda r: r.id)
    maps: list[dict[str, object]] = [PAINMAP, {"regions": [], "symptoms": ["dizziness"]}]
    for n in (3, 7, 12):  # wide drawings: more candidates than get reasons
        picked = regions[n * 5:n * 5 + n]
        maps.append({"regions": [{"region": r.id, **({"side": "left"} if r.paired else {}),
                                  "intensity": 1 + i % 10} for i, r in enumerate(picked)],
                     "screening": ["fever_or_unwell"] if n == 7 else []})
    batch = tmp_path / "maps.jsonl"
    batch.write_text("".join(json.dumps(m) + "\n" for m in maps))
    for extra in ([], ["--top", "5", "--reasons", "2", "--lang", "en"]):
        lines = run("rank", "--batch", str(batch), *extra).stdout.splitlines()
        assert len(lines) == len(maps)
        for i, m in enumerate(maps):
            single = run("rank", "-", "--format", "json", *extra, stdin=json.dumps(m))
            assert single.returncode == 0, single.stderr
            assert json.loads(lines[i]) == json.loads(single.stdout), (extra, i)


def test_rank_gives_reasons_for_the_first_20_unless_told_otherwise(tmp_path: Path) -> None:
    wide = {"regions": [{"region": r, "side": "left"} for r in (
        "temple", "neck_back_upper", "mastoid", "shoulder_top", "knee_front", "heel")]}
    default = json.loads(run("rank", "-", stdin=json.dumps(wide)).stdout)["candidates"]
    every = json.loads(run("rank", "-", "--reasons", "all", stdin=json.dumps(wide)).stdout)[
        "candidates"]
    assert len(default) == len(every) > 20
    assert [("reasons_for" in c) for c in default] == [True] * 20 + [False] * (len(default) - 20)
    assert all("reasons_for" in c for c in every)
    bad = run("rank", "-", "--reasons", "some", stdin=json.dumps(wide))
    assert bad.returncode == 2 and "--reasons" in bad.stderr and "'all'" in bad.stderr


def test_eval_prints_hit_and_recall_per_k() -> None:
    vignettes = Path(__file__).resolve().parents[1] / "data" / "vignettes_dev.json"
    result = run("eval", str(vignettes))
    assert result.returncode == 0
    for k in (1, 3, 5):
        assert f"hit@{k}:" in result.stdout and f"recall@{k}:" in result.stdout


def test_eval_redflags_reports_cases_caught_and_false_alarms() -> None:
    cases = Path(__file__).resolve().parents[1] / "data" / "vignettes_redflags.json"
    result = run("eval", "--redflags", str(cases))
    assert result.returncode == 0
    assert "red flags caught at their urgency: " in result.stdout
    assert "false alarms: " in result.stdout
    as_json = json.loads(run("eval", "--redflags", str(cases), "--format", "json").stdout)
    counts = as_json["redflags"]["counts"]
    assert counts["flagged"] + counts["benign"] == len(as_json["redflags"]["cases"])


def test_eval_without_a_file_is_a_usage_error() -> None:
    assert run("eval").returncode == 2


def test_chart_render_of_an_unknown_view_exits_2(tmp_path: Path) -> None:
    result = run("chart", "render", "--view", "top", "-o", str(tmp_path / "x.svg"))
    assert result.returncode == 2
