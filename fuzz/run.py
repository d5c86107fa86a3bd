"""Long fuzz run, outside the default test run.

    python fuzz/run.py [--budget SECONDS] [--examples N] [--only readers|coder|server]

Runs the property tests of tests/test_fuzz_*.py (readers, coder) and the
random filter combinations of tests/test_server_load.py with N examples per
property instead of the default run's 30-40, a fresh random seed, and a wall
clock budget (the run is stopped after it). Hypothesis prints per-property
statistics (examples tried, time); failures print the smallest failing input
and are kept in .hypothesis/ so the next run tries them first.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "readers": ["tests/test_fuzz_readers.py"],
    "coder": ["tests/test_fuzz_coder.py::test_fuzz_coder_odd_text_never_raises"],
    "server": ["tests/test_server_load.py::test_server_load_random_filter_combinations"],
}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budget", type=float, default=600, help="seconds, whole run")
    ap.add_argument("--examples", type=int, default=5000, help="examples per property")
    ap.add_argument("--only", choices=sorted(TARGETS), action="append")
    args = ap.parse_args()
    targets = [t for name in (args.only or sorted(TARGETS)) for t in TARGETS[name]]
    env = {**os.environ, "EVENTWIRE_FUZZ_EXAMPLES": str(args.examples)}
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
           "--hypothesis-show-statistics", "--hypothesis-seed", str(int(time.time())),
           *targets]
    print("fuzz:", " ".join(cmd), file=sys.stderr, flush=True)
    try:
        return subprocess.run(cmd, cwd=ROOT, env=env, timeout=args.budget).returncode
    except subprocess.TimeoutExpired:
        print(f"fuzz: budget of {args.budget:.0f} s used up; stopped (no failure so far)",
              file=sys.stderr)
        return 0


if __name__ == "__main__":
    sys.exit(main())
