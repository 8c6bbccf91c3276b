"""``gongkai audit-dir`` speed: reports per second for reading a folder and checking it.

The folder holds ``--agencies`` × ``--years`` reports: the Miyun sample with its agency, year and
numbers varied (carry-over kept consistent from year to year, so the cross-year pairs are real),
written as text, HTML and Word in turn by ``gongkai.core.report.writers``, plus ``--pdf-copies``
copies of each of the three real published PDFs. Prints the time to read, the time of the checks
(``crosscheck.audit_reports``: each report alone, against its previous year, its narrative), and
the whole run, as reports/second.

    .venv/bin/python bench/audit_dir.py [--agencies 50] [--years 4] [--pdf-copies 5]
"""

from __future__ import annotations

import argparse
import copy
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.commands.audit_dir import list_files, ordered, summary_line, tally  # noqa: E402
from gongkai.commands.parse import try_read  # noqa: E402
from gongkai.core.report.crosscheck import Entry, audit_reports, children_by_name  # noqa: E402
from gongkai.core.report.model import AnnualReport  # noqa: E402
from gongkai.core.report.readers import read_report  # noqa: E402
from gongkai.core.report.writers import render_docx, render_html, render_text  # noqa: E402

SAMPLES = ROOT.parent / "shared" / "samples"
REAL_PDFS = sorted((SAMPLES / "real").glob("*.pdf"))


def varied(base: AnnualReport, agency: str, year: int, carried_over: int, rng: random.Random) -> AnnualReport:
    """``base`` with new natural-person counts, granted all but a carried-forward few (consistent)."""
    report = copy.deepcopy(base)
    report.agency, report.year = agency, year
    new = rng.randint(5, 300)
    forward = rng.randint(0, 5)
    closed = new + carried_over - forward
    for key in report.table3:
        if report.table3[key][0] is not None:
            report.table3[key] = [0] * 7
    for key, value in (
        ("new", new),
        ("carried_over", carried_over),
        ("granted", closed),
        ("total", closed),
        ("carried_forward", forward),
    ):
        report.table3[key] = [value, 0, 0, 0, 0, 0, value]
    report.table4 = {g: dict.fromkeys(v, 0) for g, v in report.table4.items()}
    report.sections = {
        **report.sections,
        "overview": f"{year}年新收政府信息公开申请数量{new}件，"
        f"上年结转政府信息公开申请数量{carried_over}件，本年政府信息公开申请办结数{closed}件。",
    }
    return report


def build(folder: Path, agencies: int, years: int, pdf_copies: int) -> int:
    base = read_report(SAMPLES / "miyun-guoyuan-2023.txt")
    rng = random.Random(2024)
    writers = (
        ("txt", lambda r: render_text(r).encode()),
        ("html", lambda r: render_html(r).encode()),
        ("docx", render_docx),
    )
    count = 0
    for a in range(agencies):
        carried = 0
        for y in range(years):
            report = varied(base, f"测试市测试区第{a}街道办事处", 2021 + y, carried, rng)
            carried = report.table3["carried_forward"][6] or 0
            ext, write = writers[count % len(writers)]
            (folder / f"a{a:03d}-{2021 + y}.{ext}").write_bytes(write(report))
            count += 1
    for copy_index in range(pdf_copies):
        sub = folder / f"pdf{copy_index}"
        sub.mkdir()
        for pdf in REAL_PDFS:
            shutil.copy(pdf, sub / pdf.name)
            count += 1
    return count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agencies", type=int, default=50)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--pdf-copies", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n = build(folder, args.agencies, args.years, args.pdf_copies)
        files = list_files(folder)
        started = time.perf_counter()
        entries, unreadable = [], 0
        for path in files:
            report, _ = try_read(path)
            if report is None:
                unreadable += 1
            else:
                entries.append(Entry(str(path), report))
        read_s = time.perf_counter() - started
        checked = time.perf_counter()
        results = audit_reports(ordered(entries))
        check_s = time.perf_counter() - checked
        regions = time.perf_counter()
        audit_reports(ordered(entries), children_of=children_by_name)
        regions_s = time.perf_counter() - regions
        total_s = read_s + check_s
        paired = sum(1 for r in results if r.previous is not None)
        print(
            f"{n} 份报告（{args.agencies} 个机关 × {args.years} 年，文本/网页/Word 轮换；真实 PDF {len(REAL_PDFS)} × {args.pdf_copies}）"
        )
        print(f"读取：{read_s:.2f} s，{len(files) / read_s:.1f} 份/秒")
        print(
            f"核对（勾稽 + 跨年 + 正文数字 + 重复）：{check_s:.3f} s，{len(entries) / check_s:.0f} 份/秒；跨年配对 {paired} 份"
        )
        print(f"核对（另加按名称推断的上下级合计）：{regions_s:.3f} s，{len(entries) / regions_s:.0f} 份/秒")
        print(f"合计：{total_s:.2f} s，{len(files) / total_s:.1f} 份/秒")
        print(summary_line(tally(results, unreadable)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
