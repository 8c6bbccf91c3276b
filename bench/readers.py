"""Report readers: reports per second on one core, and memory over many files.

Targets: text and HTML ≥ 200 reports/s, .docx ≥ 50/s, PDF ≥ 5/s, and memory that does not grow
with the number of files read. Also (issue 15): text whose table cells ran together (``joined``,
split by the report's sums), OFD, .xlsx, and scanned pages read by OCR (pages per second, wrong
cells counted against the numbers the scan was printed from, peak memory), when the ``ocr`` extra
is installed. Text, HTML and Word inputs are the Miyun sample with its numbers
varied, written by ``gongkai.core.report.writers`` (each file different); the PDFs are the three
real published reports in ``shared/samples/real`` read in turn. Every read is checked against the
numbers it was written from, so a fast wrong reader does not pass.

    .venv/bin/python bench/readers.py [--files 400] [--pdf-files 60] [--ocr-reads 2]
    .venv/bin/python bench/readers.py --ocr-only [--ocr-reads 2]   # make bench-ocr: the scan alone
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
from gongkai.core.report.writers import render_docx, render_html, render_text, render_xlsx  # noqa: E402
from tests.core.report import quirks  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"
SAMPLE = SAMPLES / "miyun-guoyuan-2023.txt"
REAL_PDFS = sorted((SAMPLES / "real").glob("*.pdf"))
TARGETS = {"text": 200.0, "html": 300.0, "docx": 50.0, "pdf": 5.0, "joined": 20.0, "ofd": 20.0, "xlsx": 10.0}
SCANNED = ROOT / "tests" / "core" / "report" / "files" / "miyun-2023-scanned-150dpi.pdf"


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
        "joined": lambda r: quirks.run_together(r).encode("utf-8"),
        "ofd": quirks.ofd,
        "xlsx": render_xlsx,
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
    """Files read wrong: a cell that differs from the number it was written from (a blank is not
    wrong: the run-together and OFD readers leave blank what they cannot settle)."""
    wrong = 0
    for path, want in files:
        got = read_report(path)
        if wrong_cells(got, want) or (path.name.startswith(EXACT) and not got.same_numbers(want)):
            wrong += 1
    return wrong


#: Files of these readers must come back whole (every cell, blanks included).
EXACT = ("text-", "html-", "docx-")


def wrong_cells(got: AnnualReport, want: AnnualReport) -> int:
    pairs = [(got.table3[k][c], want.table3[k][c]) for k in TABLE3_KEYS for c in range(COLUMN_COUNT)]
    pairs += [(got.table4[g][f], want.table4[g][f]) for g in want.table4 for f in want.table4[g]]
    pairs += [(got.table2[r][f], want.table2[r][f]) for r in want.table2 for f in want.table2[r]]
    return sum(1 for value, expected in pairs if value is not None and value != expected)


def ocr_rate(reads: int) -> None:
    """Scanned pages per second (one core) and peak memory, reading the test corpus's scan."""
    from gongkai.core.report.readers import ocr

    if not ocr.available():
        print("ocr    not installed (pip install -e '.[ocr]')")
        return
    import pypdfium2 as pdfium

    from tests.core.report.corpus import build_reports

    want = next(r for r in build_reports() if r.name == "r02-2021-miyun").report
    pages = len(pdfium.PdfDocument(SCANNED.read_bytes()))
    ocr.engine()  # loading the models is once per process
    cpu, wall = time.process_time(), time.perf_counter()
    wrong = sum(wrong_cells(read_report(SCANNED), want) for _ in range(reads))
    per_cpu = pages * reads / (time.process_time() - cpu)
    per_wall = pages * reads / (time.perf_counter() - wall)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speed = f"{per_cpu:.2f} ({per_wall:.2f})"
    print(
        f"{'ocr':<6} {speed:>18} {'pages/s':>7} {wrong:>6}   {reads} reads of {pages} pages; peak RSS {rss_mb:.0f} MB"
    )


def rate(files: list[tuple[Path, AnnualReport]]) -> tuple[float, float, int]:
    """Reports per second of CPU time (this process, one core) and of wall-clock time."""
    read_all(files[:3])  # warm-up: imports, caches
    gc.collect()
    cpu, wall = time.process_time(), time.perf_counter()
    wrong = read_all(files)
    return len(files) / (time.process_time() - cpu), len(files) / (time.perf_counter() - wall), wrong


def lxml_floor(files: list[tuple[Path, AnnualReport]]) -> float:
    """The floor of the HTML reader: lxml's own parse of the same pages (reports/s, CPU time)."""
    from lxml import etree

    parser = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
    pages = [path.read_bytes().decode("utf-8") for path, _ in files]
    cpu = time.process_time()
    for page in pages:
        etree.fromstring(page, parser)
    return len(pages) / (time.process_time() - cpu)


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
    parser.add_argument("--ocr-reads", type=int, default=2, help="reads of the scanned test report (0: none)")
    parser.add_argument("--ocr-only", action="store_true", help="only the OCR reads (make bench-ocr)")
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
    if args.ocr_only:
        ocr_rate(args.ocr_reads)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        reports = variants(args.files)
        for kind in ("text", "html", "docx", "pdf", "joined", "ofd", "xlsx"):
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
            print(f"{kind:<6} {speed:>18} {TARGETS[kind]:>7.0f} {wrong:>6}   {shown}   {'✓' if ok else '✗'}")
            if kind == "html":
                floor = lxml_floor(files)
                print(
                    f"{'':<6} lxml's own parse of the same pages: {floor:.0f}/s; the reader is {floor / per_cpu_second:.1f}× it"
                )
    if args.ocr_reads:
        ocr_rate(args.ocr_reads)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
