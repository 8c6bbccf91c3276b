"""Peak memory of every reader of uploaded tables on hostile files. Target: under 200 MB each.

Each hostile file is built here, then read in a fresh process (forked from one that set Django up) by one reader (the publications
import's ``read_table``, the ledger's ``read_ledger``, the calendar's ``parse_calendar_file``);
the subprocess's peak resident memory (``ru_maxrss``, the interpreter and Django included) and
the time are printed with the reader's answer. Files:

- dimension: 5 KB, ``<dimension ref="A1:XFD1048576">``, a cell at XFD1 and one at row 1048576;
- million-rows: a header and 1,000,000 one-cell rows (about 1 MB compressed);
- wide-row: one row of 2,000,000 cells (a few hundred KB compressed);
- strings: 1,000,000 distinct shared strings referenced by 20,000 rows;
- blank-csv: 5 MB of blank lines under a header;
- just-over: 5,001 data rows (the publications limit is 5,000).

    .venv/bin/python bench/uploads.py
"""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MB = 200
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
HEADER = ["申请编号", "收到申请日期", "申请方式", "申请人类型", "申请人姓名/名称", "申请内容"]
ITEMS = ["公开目录", "标题", "成文日期"]


def _workbook(sheet: Iterator[bytes], strings: Iterator[bytes] | None = None) -> bytes:
    """A workbook made by openpyxl with its sheet (and, if given, a shared-strings part) replaced."""
    from openpyxl import Workbook

    base = io.BytesIO()
    Workbook().save(base)
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and strings is not None:
                content = content.replace(b"</Types>", _STRINGS_TYPE + b"</Types>")
            if item.filename == "xl/worksheets/sheet1.xml":
                _write_part(target, item.filename, sheet)
            else:
                target.writestr(item, content)
        if strings is not None:
            _write_part(target, "xl/sharedStrings.xml", strings)
    return out.getvalue()


_STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)


def _write_part(target: zipfile.ZipFile, name: str, chunks: Iterator[bytes]) -> None:
    with target.open(name, "w", force_zip64=True) as part:
        for chunk in chunks:
            part.write(chunk)


def _head(dimension: str = "A1") -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>'.encode()


_TAIL = b"</sheetData></worksheet>"


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row(header: list[str]) -> bytes:
    return ('<row r="1">' + "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(header)) + "</row>").encode()


def dimension(header: list[str]) -> bytes:
    far = "".join(_inline(f"{chr(65 + i)}1048576", "x") for i in range(len(header)))
    rows = _header_row(header)[:-6] + _inline("XFD1", "远").encode() + b"</row>"
    return _workbook(iter([_head("A1:XFD1048576"), rows, f'<row r="1048576">{far}</row>'.encode(), _TAIL]))


def million_rows(header: list[str]) -> bytes:
    def sheet() -> Iterator[bytes]:
        yield _head("A1:A1000001")
        yield _header_row(header)
        block = b"<row><c><v>1</v></c></row>" * 10_000
        for _ in range(100):
            yield block
        yield _TAIL

    return _workbook(sheet())


def wide_row(header: list[str]) -> bytes:
    def sheet() -> Iterator[bytes]:
        yield _head()
        yield _header_row(header)
        yield b'<row r="2">'
        for _ in range(200):
            yield b"<c><v>1</v></c>" * 10_000
        yield b"</row>" + _TAIL

    return _workbook(sheet())


def many_strings(header: list[str]) -> bytes:
    count = 1_000_000

    def strings() -> Iterator[bytes]:
        yield f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{count}" uniqueCount="{count}">'.encode()
        for start in range(0, count, 10_000):
            yield "".join(f"<si><t>s{n}</t></si>" for n in range(start, start + 10_000)).encode()
        yield b"</sst>"

    def sheet() -> Iterator[bytes]:
        yield _head()
        yield _header_row(header)
        for r in range(2, 20_002):
            yield f'<row r="{r}"><c r="A{r}" t="s"><v>{r * 49 % count}</v></c></row>'.encode()
        yield _TAIL

    return _workbook(sheet(), strings())


def just_over(header: list[str], rows: int) -> bytes:
    def sheet() -> Iterator[bytes]:
        yield _head()
        yield _header_row(header)
        for r in range(2, rows + 2):
            yield f'<row r="{r}">{_inline(f"A{r}", f"目录{r}")}{_inline(f"B{r}", "标题")}{_inline(f"C{r}", "2023-01-01")}</row>'.encode()
        yield _TAIL

    return _workbook(sheet())


READERS = {
    "publications": "from gongkai.publications.imports import read_table as r\n"
    "try:\n    t = r(data, name); answer = f'{len(t.rows)} rows'\n"
    "except Exception as e:\n    answer = str(getattr(e, 'errors', [e])[0])",
    "ledger": "from gongkai.core.ledger import read_ledger\n"
    "res = read_ledger(data, name); answer = str(res.errors[0]) if res.errors else f'{len(res.rows)} rows'",
    "calendar": "from gongkai.core.calendar import parse_calendar_file\n"
    "try:\n    parse_calendar_file(data.decode('utf-8', 'replace'), name); answer = 'read'\n"
    "except Exception as e:\n    answer = str(e)",
}

#: One process sets Django up once (what every upload's worker has loaded), then forks a child per
#: file: the child starts from that state, as a fresh process would after ``django.setup()``, and
#: reads one file. A forked child's peak resident memory starts at its parent's (Linux copies the
#: high-water mark on fork; the interpreter and Django are included);
#: forking saves the 1-2 s of start-up each of the 12 files cost. A forked child's resident set
#: counts only the shared pages it touches again, so its peak is not a fresh process's: the peak
#: printed is the set-up process's own (a fresh process's after ``django.setup()``, start-up's
#: transient peak included) plus what the reader added in its child, as a fresh process sees it.
_ZYGOTE = """
import json, os, resource, sys, time, traceback
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
import django
django.setup()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(base, flush=True)
for line in sys.stdin:
    job = json.loads(line)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        try:
            data = open(job["path"], "rb").read()
            scope = {{"data": data, "name": job["name"]}}
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            t0 = time.perf_counter()
            exec(job["reader"], scope)
            seconds = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            answer = scope["answer"]
            print(f"{{(base + peak - before) / 1024:.0f}}\t{{(peak - before) / 1024:.0f}}\t{{seconds:.2f}}\t{{answer[:90]}}", flush=True)
            os._exit(0)
        except BaseException:
            print("CRASH\t" + traceback.format_exc().strip().splitlines()[-1], flush=True)
            os._exit(1)
    os.waitpid(pid, 0)
"""


class Zygote:
    """The process that forks a reader per file (:data:`_ZYGOTE`)."""

    def __init__(self) -> None:
        env = {**os.environ, "DATABASE_URL": "sqlite:///:memory:"}
        command = [sys.executable, "-c", _ZYGOTE.format(root=str(ROOT))]  # our own code, our own files
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
        assert self.proc.stdout is not None
        self.base_mb = int(self.proc.stdout.readline()) / 1024  # peak RSS after django.setup()

    def measure(self, reader: str, name: str, data: bytes, folder: Path) -> tuple[float, float, float, str]:
        import json

        assert self.proc.stdin is not None and self.proc.stdout is not None
        path = folder / f"{reader}-{name}"
        path.write_bytes(data)
        self.proc.stdin.write(json.dumps({"path": str(path), "name": name, "reader": READERS[reader]}) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().rstrip("\n")
        if not line or line.startswith("CRASH"):
            return 0, 0, 0, f"CRASH {line[6:]}"
        peak, grew, seconds, answer = line.split("\t", 3)
        return float(peak), float(grew), float(seconds), answer

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def main() -> int:
    import tempfile

    cases = [
        ("publications", "dimension.xlsx", lambda: dimension(ITEMS)),
        ("publications", "million-rows.xlsx", lambda: million_rows(ITEMS)),
        ("publications", "wide-row.xlsx", lambda: wide_row(ITEMS)),
        ("publications", "strings.xlsx", lambda: many_strings(ITEMS)),
        ("publications", "blank.csv", lambda: ("年度,行政许可\n" + "\n" * (5 * 2**20 - 20)).encode()),
        ("publications", "just-over.xlsx", lambda: just_over(ITEMS, 5001)),
        ("ledger", "dimension.xlsx", lambda: dimension(HEADER)),
        ("ledger", "million-rows.xlsx", lambda: million_rows(HEADER)),
        ("ledger", "wide-row.xlsx", lambda: wide_row(HEADER)),
        ("ledger", "strings.xlsx", lambda: many_strings(HEADER)),
        ("ledger", "blank.csv", lambda: (",".join(HEADER) + "\n" + "\n" * (5 * 2**20 - 100)).encode()),
        ("calendar", "huge.toml", lambda: b"# " + b"x" * (5 * 2**20) + b"\n"),
    ]
    worst = 0.0
    print(f"{'reader':<13}{'file':<19}{'size':>9}{'peak MB':>9}{'+MB':>6}{'s':>7}  answer")
    zygote = Zygote()
    with tempfile.TemporaryDirectory() as tmp:
        for reader, name, build in cases:
            data = build()
            peak, grew, seconds, answer = zygote.measure(reader, name, data, Path(tmp))
            worst = max(worst, peak)
            size = f"{len(data) / 1024:.0f} KB"
            print(f"{reader:<13}{name:<19}{size:>9}{peak:>9.0f}{grew:>6.0f}{seconds:>7.2f}  {answer}")
    zygote.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"a process after django.setup(): {zygote.base_mb:.0f} MB peak (the base of every figure above)")
    print(
        f"worst peak {worst:.0f} MB (target under {TARGET_MB} MB) {'✓' if worst < TARGET_MB else '✗'};"
        f" this builder process: {own:.0f} MB"
    )
    return 0 if worst < TARGET_MB else 1


if __name__ == "__main__":
    start = time.perf_counter()
    code = main()
    print(f"total {time.perf_counter() - start:.0f} s")
    raise SystemExit(code)
