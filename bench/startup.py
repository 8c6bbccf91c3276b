"""Start-up as users wait for it: ``gongkai --help`` and ``gongkai parse REPORT.txt`` as whole
processes against ``python -c pass`` (the floor), medians of repeated runs, in one run: rounds
of the three commands in turn.

Target (issue 19): each within 3× of ``python -c pass``. The commands run with bytecode written
and read (an installed package has its .pyc files; ``PYTHONDONTWRITEBYTECODE`` is removed), after
one warm-up run each. Peak memory is the largest resident set of any run (ru_maxrss of the children).

Run: .venv/bin/python bench/startup.py [RUNS]    (default 21)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT.parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 21
TARGET = 3.0


def timed(commands: list[list[str]], env: dict[str, str]) -> list[tuple[float, float]]:
    """(min, median) seconds of each command over RUNS rounds; a round runs each command once, in
    turn, so a change of load on a shared machine hits them all alike."""
    for argv in commands:
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)  # warm-up: .pyc written
    times: list[list[float]] = [[] for _ in commands]
    for _ in range(RUNS):
        for argv, spent in zip(commands, times, strict=True):
            started = time.perf_counter()
            subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
            spent.append(time.perf_counter() - started)
    return [(min(spent), statistics.median(spent)) for spent in times]


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    gongkai = [sys.executable, "-m", "gongkai"]
    floor, helped, parsed = timed(
        [[sys.executable, "-c", "pass"], [*gongkai, "--help"], [*gongkai, "parse", str(SAMPLE)]], env
    )
    rows = [("gongkai --help", helped), ("gongkai parse REPORT.txt", parsed)]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{RUNS} rounds of the three commands in turn; load average {load}")
    print(f"{'python -c pass':<26} min {floor[0] * 1000:6.1f} ms  median {floor[1] * 1000:6.1f} ms")
    ok = True
    for label, (best, median) in rows:
        ratio = median / floor[1]
        ok = ok and ratio <= TARGET
        print(
            f"{label:<26} min {best * 1000:6.1f} ms  median {median * 1000:6.1f} ms  "
            f"{ratio:4.2f}× of python -c pass (target ≤ {TARGET:.0f}×) {'✓' if ratio <= TARGET else '✗'}"
        )
    print(f"peak memory of any run: {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
