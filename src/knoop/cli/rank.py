"""``knoop rank`` (one pain map or a JSONL batch) and ``knoop eval`` (vignettes)."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

import click

from knoop.errors import BadInput


def _table(ranking: dict[str, Any], lang: str = "nl") -> str:
    """The ranking for a person: scores as percentages in the language's number format
    ("77 %" in Dutch); ``--format json`` keeps the machine format (0.77)."""
    from knoop.numbers import share
    from knoop.vocabulary import side_word

    nl = lang != "en"
    lines: list[str] = []
    for f in ranking["red_flags"]:
        lines.append(f"!! RODE VLAG / RED FLAG [{f['urgency']}] {f['message']}")
    if ranking["red_flags"]:
        lines.append("")
    lines.append(f"{'#':>3}  {'score':>5}  {'kant' if nl else 'side':<6}  "
                 f"{'spier' if nl else 'muscle'}")
    for c in ranking["candidates"]:
        side = side_word(c["side"], lang) or "–"
        lines.append(f"{c['rank']:>3}  {share(c['score'], lang):>5}  {side:<6}  {c['name']} "
                     f"[{c['muscle']}]")
        for r in c.get("reasons_for", ())[:3]:
            lines.append(f"{'':18}+ {r}")
        for r in c.get("reasons_against", ())[:2]:
            lines.append(f"{'':18}- {r}")
    if ranking["together"]:
        lines.append("")
        lines.append(("samen: " if nl else "together: ") + ", ".join(
            f"{p['muscle']} ({side_word(p['side'], lang) or '–'}) +{share(p['explains'], lang)}"
            for p in ranking["together"]))
    lines.extend(ranking["notes"])
    return "\n".join(lines)


@click.command()
@click.argument("source", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--batch", "batch", type=click.File("r", encoding="utf-8"), default=None,
              help="A JSONL file: one pain map per line; writes one ranking JSON per line.")
@click.option("--format", "fmt", type=click.Choice(["json", "table"]), default=None,
              help="Output format (default: table in a terminal, JSON when piped).")
@click.option("--top", type=click.IntRange(min=1), default=None, help="List only the best N.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--reasons", "reasons_arg", default="20", show_default=True, metavar="N|all",
              help="Give reasons for the first N candidates, or all; the others are listed "
                   "with their score and trigger points only.")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="With --batch: processes that rank (default: one per core, at most 4).")
def rank(source: TextIO | None, batch: TextIO | None, fmt: str | None, top: int | None,
         lang: str, reasons_arg: str, workers: int | None) -> None:
    """Rank the muscles to examine for the pain map in SOURCE (a file, or - for stdin)."""
    from knoop.ranking import default_ranker

    reasons = _reasons(reasons_arg)
    ranker = default_ranker()
    if batch is not None:
        if source is not None:
            raise click.UsageError("give either SOURCE or --batch, not both")
        import gc

        from knoop.cli.rankbatch import Options, default_workers, rank_batch

        ranker.score_index  # noqa: B018 (the arrays, built on first use)
        gc.collect()
        gc.freeze()  # the ranker's objects live as long as the process: never scan them again
        bad = rank_batch(batch, Options(lang, top, reasons), sys.stdout.buffer, sys.stderr,
                         workers or default_workers())
        sys.stdout.flush()
        if bad:
            sys.exit(2)
        return
    if source is None:
        raise click.UsageError("give a pain-map FILE, or - to read standard input")
    # One map: the reference path (the same ranking; loading NumPy for the arrays would take
    # longer than the ranking itself)
    result = ranker.rank(ranker.parse_text(source.read()), lang, top, reasons=reasons,
                         arrays=False).to_dict()
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    if fmt == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        click.echo(_table(result, lang))


def _reasons(value: str) -> int | None:
    """``--reasons``: a whole number 0 or more, or ``all`` (None)."""
    value = value.strip()
    if value.lower() == "all":
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        raise click.BadParameter(f"must be a whole number 0-999999 or 'all'; got {value!r}",
                                 param_hint="--reasons")
    return int(value)


def _load(f: TextIO) -> Any:
    try:
        return json.load(f)
    except json.JSONDecodeError as exc:
        raise BadInput(f"{f.name}: not valid JSON: {exc.msg} at line {exc.lineno}") from None


@click.command("eval")
@click.argument("vignettes", type=click.File("r", encoding="utf-8"), required=False)
@click.option("--redflags", "redflags", type=click.File("r", encoding="utf-8"), default=None,
              help="A red-flag cases file (expected_urgency per case): report the cases caught "
                   "at their urgency and the false alarms on benign ones.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True)
def eval_cmd(vignettes: TextIO | None, redflags: TextIO | None, fmt: str) -> None:
    """Score the ranking on a VIGNETTES.json file: hit@k and recall@k for k = 1, 3, 5; and/or
    the red-flag screening on a --redflags FILE."""
    from knoop.ranking import default_ranker
    from knoop.ranking.evaluation import KS, evaluate, evaluate_redflags

    if vignettes is None and redflags is None:
        raise click.UsageError("give a VIGNETTES file, --redflags FILE, or both")
    out: dict[str, Any] = {}
    if vignettes is not None:
        results, means = evaluate(_load(vignettes), default_ranker())
        out["means"] = means
        out["cases"] = [
            {"id": r.id, "expected": r.expected, "top5": r.top,
             **{f"hit@{k}": r.hit[k] for k in KS}, **{f"recall@{k}": r.recall[k] for k in KS}}
            for r in results]
        if fmt == "table":
            width = max(len(r.id) for r in results) if results else 10
            click.echo(f"{'case':<{width}}  h@1 h@3 h@5  r@1  r@3  r@5  top 5")
            for r in results:
                top = ", ".join(f"*{m}" if m in r.expected else m for m in r.top)
                click.echo(f"{r.id:<{width}}  {r.hit[1]:>3.0f} {r.hit[3]:>3.0f} "
                           f"{r.hit[5]:>3.0f} {r.recall[1]:>4.2f} {r.recall[3]:>4.2f} "
                           f"{r.recall[5]:>4.2f}  {top}")
            click.echo("")
            click.echo(f"cases: {len(results)}")
            for k in KS:
                click.echo(f"hit@{k}: {means[f'hit@{k}']:.3f}   "
                           f"recall@{k}: {means[f'recall@{k}']:.3f}")
    if redflags is not None:
        flag_results, counts = evaluate_redflags(_load(redflags), default_ranker())
        out["redflags"] = {"counts": counts, "cases": [
            {"id": r.id, "expected_urgency": r.expected, "got": r.got, "flags": list(r.flags),
             "caught": r.caught, "false_alarm": r.false_alarm} for r in flag_results]}
        if fmt == "table":
            if vignettes is not None:
                click.echo("")
            width = max(len(fr.id) for fr in flag_results) if flag_results else 10
            click.echo(f"{'case':<{width}}  {'expected':<9}  {'got':<9}  result  flags")
            for fr in flag_results:
                verdict = ("caught" if fr.caught else "MISSED") if fr.caught is not None else \
                    ("ALARM" if fr.false_alarm else "quiet")
                click.echo(f"{fr.id:<{width}}  {fr.expected:<9}  {fr.got:<9}  {verdict:<6}  "
                           + ", ".join(fr.flags))
            click.echo("")
            click.echo(f"red flags caught at their urgency: {counts['caught']}/{counts['flagged']}"
                       f"   false alarms: {counts['false_alarms']}/{counts['benign']}")
    if fmt == "json":
        click.echo(json.dumps(out, indent=2))
