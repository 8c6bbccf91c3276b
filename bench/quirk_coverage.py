"""Coverage per quirk of issue 15: for each damaged or converted form of the corpus reports, the
cells of tables 二, 三 and 四 read right, read wrong, and the share read right.

    .venv/bin/python bench/quirk_coverage.py [--no-ocr]

The forms are those of the tests (``tests/core/report/quirks.py``, ``files/``): Markdown, text
whose cells ran together, a page with site chrome, OFD, .xlsx, a .doc made by LibreOffice and a
scan at 150 dpi read by OCR (a few minutes on a busy machine; ``--no-ocr`` skips it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from gongkai.core.report.model import AnnualReport  # noqa: E402
from gongkai.core.report.readers import read_bytes  # noqa: E402
from gongkai.core.report.taxonomy import COLUMN_COUNT, TABLE3_KEYS  # noqa: E402
from gongkai.core.report.writers import render_xlsx  # noqa: E402
from tests.core.report import quirks  # noqa: E402
from tests.core.report.corpus import build_reports  # noqa: E402

FILES = ROOT / "tests" / "core" / "report" / "files"


def cells(want: AnnualReport, got: AnnualReport) -> tuple[int, int, int]:
    pairs: list[tuple[object, object]] = [
        (want.table3[k][c], got.table3[k][c]) for k in TABLE3_KEYS for c in range(COLUMN_COUNT)
    ]
    pairs += [(want.table4[g][f], got.table4[g][f]) for g in want.table4 for f in want.table4[g]]
    pairs += [(want.table2[r][f], got.table2[r][f]) for r in want.table2 for f in want.table2[r]]
    right = total = wrong = 0
    for expected, value in pairs:
        if expected is None:
            continue
        total += 1
        same = value is not None and Decimal(str(value)) == Decimal(str(expected))
        right += same
        wrong += value is not None and not same
    return right, total, wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="skip the scanned report")
    args = parser.parse_args()
    consistent = [r for r in build_reports() if not r.errors]
    miyun = next(r for r in consistent if r.name == "r02-2021-miyun").report
    forms = {
        "markdown": lambda r: quirks.markdown(r).encode(),
        "run-together": lambda r: quirks.run_together(r).encode(),
        "page chrome": lambda r: quirks.with_chrome(r, others=[("示范市财政局", 2020)]).encode(),
        "ofd": quirks.ofd,
        "xlsx": render_xlsx,
    }
    print(f"{'quirk':<14} {'files':>5} {'right':>6} {'cells':>6} {'wrong':>5} {'coverage':>8}")
    failed = False
    for name, make in forms.items():
        right = total = wrong = 0
        for entry in consistent:
            r, t, w = cells(entry.report, read_bytes(make(entry.report), name=f"{entry.name}.{name}"))
            right, total, wrong = right + r, total + t, wrong + w
        failed = failed or wrong > 0
        print(f"{name:<14} {len(consistent):>5} {right:>6} {total:>6} {wrong:>5} {right / total:>8.1%}")
    singles: list[tuple[str, Path]] = []
    if shutil.which("soffice"):
        singles.append(("doc", FILES / "miyun-2023.doc"))
    if not args.no_ocr:
        singles.append(("scanned 150dpi", FILES / "miyun-2023-scanned-150dpi.pdf"))
    for name, path in singles:
        r, t, w = cells(miyun, read_bytes(path.read_bytes(), name=path.name))
        failed = failed or w > 0
        print(f"{name:<14} {1:>5} {r:>6} {t:>6} {w:>5} {r / t:>8.1%}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
