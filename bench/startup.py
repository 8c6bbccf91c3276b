"""Start-up as users wait for it: ``gongkai --help`` and ``gongkai parse REPORT.txt`` as whole
processes against ``python -c pass`` (the floor), medians of repeated runs, in one run.

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


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(min, median) seconds of ``argv`` over RUNS runs."""
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)  # warm-up: .pyc written
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> int:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    gongkai = [sys.executable, "-m", "gongkai"]
    # Interleaved rounds would be fairer on a loaded machine; each command's runs are adjacent
    # here, so compare the ratios of one run and repeat the bench when the load is lower.
    floor = timed([sys.executable, "-c", "pass"], env)
    rows = [
        ("gongkai --help", timed([*gongkai, "--help"], env)),
        ("gongkai parse REPORT.txt", timed([*gongkai, "parse", str(SAMPLE)], env)),
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{RUNS} runs each; load average {load}")
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
