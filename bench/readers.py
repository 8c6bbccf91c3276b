"""Report readers: reports per second on one core, and memory over many files.

Targets: text and HTML ≥ 200 reports/s, .docx ≥ 50/s, PDF ≥ 5/s, and memory that does not grow
with the number of files read. Text, HTML and Word inputs are the Miyun sample with its numbers
varied, written by ``gongkai.core.report.writers`` (each file different); the PDFs are the three
real published reports in ``shared/samples/real`` read in turn. Every read is checked against the
numbers it was written from, so a fast wrong reader does not pass.

    .venv/bin/python bench/readers.py [--files 400] [--pdf-files 60]
"""

from __future__ import annotations

import argparse
import copy
import gc
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.core.report.model import AnnualReport  # noqa: E402
from gongkai.core.report.readers import read_report  # noqa: E402
from gongkai.core.report.taxonomy import COLUMN_COUNT, TABLE3_KEYS  # noqa: E402
from gongkai.core.report.writers import render_docx, render_html, render_text  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLE = SAMPLES / "miyun-guoyuan-2023.txt"
REAL_PDFS = sorted((SAMPLES / "real").glob("*.pdf"))
TARGETS = {"text": 200.0, "html": 200.0, "docx": 50.0, "pdf": 5.0}


def variants(count: int, seed: int = 2023) -> list[AnnualReport]:
    """The sample report with different numbers in table 三 and 四, one per file."""
    rng = random.Random(seed)
    base = read_report(SAMPLE)
    out: list[AnnualReport] = []
    for i in range(count):
        report = copy.deepcopy(base)
        report.agency = f"示范市第{i}街道办事处"
        for key in TABLE3_KEYS:
            values = [rng.randrange(0, 3000) for _ in range(COLUMN_COUNT - 1)]
            report.table3[key] = [*values, sum(values)]
        for group in report.table4.values():
            for name in group:
                group[name] = rng.randrange(0, 50)
        out.append(report)
    return out


def write_files(folder: Path, kind: str, reports: list[AnnualReport]) -> list[tuple[Path, AnnualReport]]:
    render: Callable[[AnnualReport], bytes] = {
        "text": lambda r: render_text(r).encode("utf-8"),
        "html": lambda r: render_html(r).encode("utf-8"),
        "docx": render_docx,
    }[kind]
    files = []
    for i, report in enumerate(reports):
        path = folder / f"{kind}-{i:05d}.bin"  # the name says nothing: readers sniff the content
        path.write_bytes(render(report))
        files.append((path, report))
    return files


def pdf_files(count: int) -> list[tuple[Path, AnnualReport]]:
    expected = {path: read_report(path) for path in REAL_PDFS}
    return [(REAL_PDFS[i % len(REAL_PDFS)], expected[REAL_PDFS[i % len(REAL_PDFS)]]) for i in range(count)]


def read_all(files: list[tuple[Path, AnnualReport]]) -> int:
    wrong = 0
    for path, want in files:
        if not read_report(path).same_numbers(want):
            wrong += 1
    return wrong


def rate(files: list[tuple[Path, AnnualReport]]) -> tuple[float, float, int]:
    """Reports per second of CPU time (this process, one core) and of wall-clock time."""
    read_all(files[:3])  # warm-up: imports, caches
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    wrong = read_all(files)
    return len(files) / (time.process_time() - cpu), len(files) / (time.perf_counter() - wall), wrong


def memory(files: list[tuple[Path, AnnualReport]]) -> list[tuple[int, float, float]]:
    """Peak Python heap (tracemalloc) and peak RSS after reading the first n files, for growing n."""
    steps = sorted({max(1, len(files) // 10), max(1, len(files) // 2), len(files)})
    rows: list[tuple[int, float, float]] = []
    done = 0
    tracemalloc.start()
    try:
        for n in steps:
            tracemalloc.reset_peak()
            read_all(files[done:n])
            done = n
            _, peak = tracemalloc.get_traced_memory()
            rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append((n, peak / 2**20, rss_mb))
    finally:
        tracemalloc.stop()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=400, help="text, HTML and Word files per reader")
    parser.add_argument("--pdf-files", type=int, default=60, help="PDF reads")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"python {sys.version.split()[0]}, one core, load average {load:.1f}")
    print(
        f"{args.files} files per reader, {args.pdf_files} PDF reads; reports/s per CPU-second (wall-clock in brackets)\n"
    )
    print(f"{'reader':<6} {'reports/s':>18} {'target':>7} {'wrong':>6}   memory: files → peak heap MB / peak RSS MB")
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        reports = variants(args.files)
        for kind in ("text", "html", "docx", "pdf"):
            if kind == "pdf":
                files = pdf_files(args.pdf_files)
            else:
                files = write_files(Path(tmp), kind, reports)
            per_cpu_second, per_second, wrong = rate(files)
            mem = memory(files)
            ok = per_cpu_second >= TARGETS[kind] and wrong == 0
            failed = failed or not ok
            shown = ", ".join(f"{n} → {heap:.1f}/{rss:.0f}" for n, heap, rss in mem)
            speed = f"{per_cpu_second:.1f} ({per_second:.1f})"
            print(f"{kind:<6} {speed:>18} {TARGETS[kind]:>7.0f} {wrong:>6}   {shown}{'' if ok else '   BELOW TARGET'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
