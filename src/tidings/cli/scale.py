"""CLI commands for scale-out: ``tidings spark`` and ``tidings load``.

Registered on the Typer ``app`` of :mod:`tidings.cli` (which imports this module at its end).
"""
# ruff: noqa: B008  (Typer declares options as argument defaults)

from __future__ import annotations

from pathlib import Path

import typer

from .app import _paths, app, out
from .render import line
from ..errors import UsageError


@app.command()
def spark(inputs: list[Path] = typer.Argument(..., help="JSON Lines, Parquet or WARC files,"
                                              " or folders of them."),
          output: Path = typer.Option(..., "--output", "-o", help="Folder for the Parquet"
                                      " output (articles/, events/, story_mentions/, rejects/)."),
          master: str = typer.Option("local[2]", help="Spark master URL, e.g. local[4] or"
                                     " spark://host:7077."),
          partitions: int | None = typer.Option(None, help="Input partitions (default: twice"
                                                " the default parallelism)."),
          batch_size: int = typer.Option(16, help="Articles per spaCy nlp.pipe batch."),
          ) -> None:
    """Run the same pipeline on Apache Spark; write Parquet partitioned by publication date."""
    from ..spark_job import run_spark

    if partitions is not None and partitions < 1:
        raise UsageError("E343 --partitions must be at least 1")
    s = run_spark(_paths(inputs), output, master=master, partitions=partitions,
                  batch_size=batch_size)
    out.print(line(("tidings spark", "bold"), f" → {s.output}"))
    out.print(f"  articles: {s.articles} extracted, {s.rejected} rejected"
              f" ({s.partitions} partitions)")
    out.print(f"  events:   {s.events} " + ", ".join(
        f"{t} {n}" for t, n in sorted(s.events_by_type.items(), key=lambda kv: -kv[1])))
    out.print(f"  stories:  {s.stories} (events merged within {s.blocks} blocks)")
    rate = s.articles / s.seconds if s.seconds else 0.0
    out.print(f"  time:     {s.seconds:.1f} s ({rate:.1f} articles/s)")


@app.command()
def load(folder: Path = typer.Argument(..., help="Output folder of `tidings spark`."),
         db: str = typer.Option("tidings.db", "--db", help="SQLite file or postgresql:// URL."),
         ) -> None:
    """Store the output of `tidings spark` in a SQLite file or a PostgreSQL database."""
    from ..spark_job import load_output

    folder = _paths([folder])[0]
    s = load_output(folder, db)
    out.print(line(("tidings load", "bold"),
                   f" → {s.db if '://' not in s.db else 'postgresql'}"))
    out.print(f"  articles: {s.stored} stored, {s.updated} updated, {s.skipped} already stored;"
              f" {s.events} events; {s.rejects} rejects recorded")
    out.print(f"  time:     {s.seconds:.1f} s")
