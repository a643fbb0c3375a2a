"""CLI commands for the local gazetteer: ``tidings gazetteer import`` and ``info``.

Registered on the Typer ``app`` of :mod:`tidings.cli` (which imports this module at its end).
"""
# ruff: noqa: B008  (Typer declares options as argument defaults)

from __future__ import annotations

from pathlib import Path

import typer

from .app import app, out

gazetteer_app = typer.Typer(no_args_is_help=True,
                            help="The local gazetteer: import GeoNames dumps and your own places.")
app.add_typer(gazetteer_app, name="gazetteer")


@gazetteer_app.command("import")
def import_(paths: list[Path] = typer.Argument(None, help="GeoNames files: allCountries.zip or"
                                               " per-country XX.zip (or the .txt inside), and"
                                               " alternateNamesV2.zip if you have it."),
            custom: Path | None = typer.Option(None, "--custom", help="CSV of your own places:"
                                               " name, alternate_names, lat, lon, country,"
                                               " admin1, kind (optional admin2, population,"
                                               " geonameid)."),
            output: Path | None = typer.Option(None, "--output", "-o", help="Gazetteer file to"
                                               " write (default: $TIDINGS_GAZETTEER, else"
                                               " ~/.local/share/tidings/gazetteer.sqlite)."),
            feature_classes: str = typer.Option("PA", "--feature-classes", help="GeoNames"
                                                " feature classes to import: P populated"
                                                " places, A divisions, H water, T relief,"
                                                " L areas, S spots..."),
            ) -> None:
    """Build the local gazetteer from a GeoNames dump you downloaded (replaces the previous)."""
    from ..gazetteer import imported_path
    from ..geonames import import_gazetteer

    s = import_gazetteer(list(paths or []), custom=custom, out=output or imported_path(),
                         feature_classes=feature_classes)
    out.print(f"[bold]tidings gazetteer import[/bold] → {s.path}")
    out.print(f"  read:   {', '.join(s.files)}")
    out.print(f"  places: {s.places} added ({s.custom} custom), {s.skipped} rows of other"
              " feature classes left out")
    out.print(f"  names:  {s.names} of added places, {s.known_names} more for places the"
              " default gazetteer holds")
    out.print(f"  time:   {s.seconds:.1f} s")


@gazetteer_app.command()
def info() -> None:
    """Say which gazetteer the pipeline uses."""
    from ..gazetteer import imported_path
    from ..geonames import imported_info

    path = imported_path()
    meta = imported_info(path) if path is not None else None
    if meta is None:
        where = "switched off (TIDINGS_GAZETTEER=off)" if path is None else f"none at {path}"
        out.print(f"imported gazetteer: {where}; the default gazetteer alone is used")
        return
    out.print(f"imported gazetteer: {path}")
    for k in ("imported", "files", "feature_classes", "places", "names", "custom"):
        out.print(f"  {k}: {meta.get(k, '')}")
