"""``knoop chart``: render the body chart and muscle diagrams."""

from __future__ import annotations

from pathlib import Path

import click

from knoop.errors import BadInput


@click.group()
def chart() -> None:
    """Lichaamskaart (body chart)."""


@chart.command()
@click.option("--view", default=None, help="front, back, lateral, palm, dorsum_hand, sole, "
              "dorsum_foot (default: front, or the best view for --muscle).")
@click.option("--muscle", default=None, help="Draw this muscle's referral zones and trigger "
              "points (ID, Dutch, English or Latin name).")
@click.option("--side", type=click.Choice(["left", "right"]), default="right", show_default=True,
              help="The client's side of the muscle.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--width", type=int, default=None, help="Pixel width (PNG default 900).")
@click.option("-o", "--output", "output", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="out.svg or out.png")
def render(view: str | None, muscle: str | None, side: str, lang: str, width: int | None,
           output: Path) -> None:
    """Render a view of the chart, or a muscle diagram, to SVG or PNG."""
    from knoop.bodymap import chart as load_chart
    from knoop.bodymap import muscle_diagram_svg, png_from_svg, render_svg

    c = load_chart()
    if view is not None and view not in c.views:
        raise BadInput(f"unknown view '{view}'", field="view", allowed=list(c.views))
    suffix = output.suffix.lower()
    if suffix not in (".svg", ".png"):
        raise BadInput(f"output must end in .svg or .png, got '{output.name}'", field="output",
                       allowed=[".svg", ".png"])
    if muscle is not None:
        from knoop.kb import knowledge_base

        muscle_id = knowledge_base().find(muscle).id
        svg = muscle_diagram_svg(muscle_id, side=side, view=view, lang=lang)
    else:
        svg = render_svg(view or "front", lang=lang)
    if suffix == ".png":
        output.write_bytes(png_from_svg(svg, width or 900))
    else:
        output.write_text(svg, encoding="utf-8")
    click.echo(f"wrote {output}")


@chart.command()
def views() -> None:
    """List the chart views with their size and region counts."""
    from knoop.bodymap import chart as load_chart

    c = load_chart()
    click.echo(f"chart version {c.version}")
    for name, v in c.views.items():
        shapes = c.shapes(name)
        surface = sum(1 for s in shapes if not s.deep)
        deep = len(shapes) - surface
        regions = len({s.region for s in shapes})
        click.echo(f"{name:12s} {v.width:g}x{v.height:g}  regions {regions:3d}  "
                   f"shapes {surface:3d} surface + {deep:2d} deep")
