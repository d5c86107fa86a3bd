"""Convert PETRARCH2's CAMEO.2.0.txt verb dictionary into data/verbs.jsonl.

Usage (from the repository root):

    python scripts/convert_verbs.py --reference ../shared/reference

The conversion, and the format of verbs.jsonl, are in scripts/reference/verbs.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reference import verbs
from reference.common import DEFAULT_OUT, DEFAULT_REFERENCE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT / verbs.FILE)
    args = parser.parse_args()
    blocks = verbs.convert(args.reference)
    verbs.write(args.out, blocks)
    n_verbs = sum(len(b["verbs"]) for b in blocks)
    n_pat = sum(len(b["patterns"]) for b in blocks)
    print(f"wrote {args.out}: {len(blocks)} blocks, {n_verbs} verbs, {n_pat} patterns")


if __name__ == "__main__":
    main()
