"""Convert the public reference dictionaries into eventwire's packaged data.

Usage (from the repository root):

    python scripts/convert_reference.py --reference ../shared/reference
    python scripts/convert_reference.py --reference ../shared/reference plover.csv

Reads PETRARCH2's Phoenix actor/agent dictionaries, NGEC's country table and
agents, the CAMEO codebook and the CAMEO->PLOVER crosswalk, and writes plain
CSV files plus a NOTICE into src/eventwire/data/ (all of them, or only the
files named). The output is deterministic: running the script twice on the
same input gives byte-identical files. A summary of what was dropped or
repaired goes to stderr.

Each file is built by its own module of scripts/reference/ (actors.py,
agents.py, countries.py, cameo.py, plover.py, notice.py); this script only
runs them. Every repair of the sources is made there, in code, with its
reason; the generated CSVs are never edited by hand (docs/data.md lists the
repairs). verbs.jsonl is built by scripts/convert_verbs.py.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from reference import actors, agents, cameo, countries, notice, plover
from reference.common import DEFAULT_OUT, DEFAULT_REFERENCE, Report, write_csv

OUTPUTS = (actors.FILE, agents.FILE, countries.FILE, cameo.FILE, plover.FILE, notice.FILE)

Table = tuple[tuple[str, ...], Sequence[tuple[str, ...]]]


def build(ref: Path, wanted: set[str], report: Report) -> dict[str, Table]:
    """Header and rows of each wanted CSV, in OUTPUTS order.

    Everything is converted before anything is written, so a source that
    fails a check leaves the old files in place. countries.csv needs the
    actor rows and plover.csv the CAMEO rows, whether or not those files
    are wanted too.
    """
    tables: dict[str, Table] = {}
    actor_rows = (actors.convert(ref, report) if wanted & {actors.FILE, countries.FILE}
                  else [])
    if actors.FILE in wanted:
        tables[actors.FILE] = (actors.HEADER, actor_rows)
    if agents.FILE in wanted:
        tables[agents.FILE] = (agents.HEADER, agents.convert(ref, report))
    if countries.FILE in wanted:
        tables[countries.FILE] = (countries.HEADER, countries.convert(ref, actor_rows, report))
    cameo_rows = cameo.convert(ref) if wanted & {cameo.FILE, plover.FILE} else []
    if cameo.FILE in wanted:
        tables[cameo.FILE] = (cameo.HEADER, cameo_rows)
    if plover.FILE in wanted:
        tables[plover.FILE] = (plover.HEADER, plover.convert(ref, cameo_rows, report))
    return tables


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", metavar="FILE",
                        help=f"build only these ({', '.join(OUTPUTS)}); default: all")
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE,
                        help="folder holding petrarch2/, ngec/, cameo/, plover/")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="where to write the CSV files and NOTICE")
    parser.add_argument("--quiet", action="store_true", help="no summary on stderr")
    args = parser.parse_args(argv)
    unknown = [f for f in args.files if f not in OUTPUTS]
    if unknown:
        parser.error(f"unknown file(s) {', '.join(unknown)}; choose from {', '.join(OUTPUTS)}")
    wanted = set(args.files or OUTPUTS)
    ref, out = args.reference.resolve(), args.out.resolve()
    if not (ref / "petrarch2").is_dir():
        parser.error(f"{ref}: no petrarch2/ folder; pass --reference")
    out.mkdir(parents=True, exist_ok=True)
    report = Report()

    tables = build(ref, wanted, report)
    sizes = {name: write_csv(out / name, header, rows)
             for name, (header, rows) in tables.items()}
    if notice.FILE in wanted:
        notice.write(ref, out)
    if not args.quiet:
        report.write()
        for name, n in sizes.items():
            sys.stderr.write(f"{n:6d}  rows in {name}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
