"""Start-up stays light (issue 19): the command line and the readers import the PDF, Word and web
libraries, and Django, only when a file or command needs them.

Each check runs in a fresh interpreter: this test process has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pdfplumber", "pypdfium2", "docx", "lxml", "django", "openpyxl")
SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"


def _loaded_after(code: str) -> set[str]:
    """The top-level packages in ``sys.modules`` after running ``code`` in a new interpreter."""
    script = f"import json, sys\n{code}\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_the_whole_help_imports_no_heavy_library() -> None:
    loaded = _loaded_after("import gongkai.cli\ngongkai.cli.build_parser().format_help()")
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


def test_reading_a_text_report_imports_no_pdf_word_or_web_library(tmp_path: Path) -> None:
    report = tmp_path / "report.txt"
    report.write_bytes(SAMPLE.read_bytes())
    code = (
        "import contextlib, io\nfrom gongkai.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['parse', {str(report)!r}]) == 0"
    )
    loaded = _loaded_after(code)
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


@pytest.mark.parametrize(
    ("data", "library"),
    [
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "lxml"),
        (b"%PDF-1.4\n%%EOF", "pdfplumber"),
        (b"PK\x03\x04not really a zip", "docx"),
    ],
)
def test_a_reader_imports_its_library_when_a_file_of_its_kind_is_read(data: bytes, library: str) -> None:
    code = (
        "from gongkai.core.report.readers import read_bytes, ReportReadError\n"
        f"assert {library!r} not in sys.modules\n"
        f"try:\n    read_bytes({data!r}, 'x')\nexcept ReportReadError:\n    pass"
    )
    assert library in _loaded_after(code)


def test_the_pdf_page_limit_is_still_exported() -> None:
    from gongkai.core.report import readers
    from gongkai.core.report.readers import pdf

    assert readers.MAX_PAGES == pdf.MAX_PAGES > 0


def test_a_command_is_found_by_its_name_alone(capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.cli import build_parser, main

    only = build_parser("audit-dir")
    assert only.parse_args(["audit-dir", "x"]).command == "audit-dir"
    assert main(["fee", "--pieces", "11"]) == 0
    assert capsys.readouterr().out.startswith("100 元")
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2
    assert "parse" in capsys.readouterr().err  # an unknown word lists every command


def test_a_text_parse_leaves_the_run_together_reader_ocr_check_and_shutil_unloaded(tmp_path: Path) -> None:
    """Modules only some files need stay out of a plain text parse (shutil came with argparse's
    formatter; the run-together reader and the OCR check are for files that need them)."""
    report = tmp_path / "report.txt"
    report.write_bytes(SAMPLE.read_bytes())
    lazy = ("shutil", "gongkai.core.report.readers.joined", "gongkai.core.report.readers.verify")
    code = (
        "import contextlib, io, sys\nfrom gongkai.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()):\n    assert main(['parse', {str(report)!r}]) == 0\n"
        f"print(sorted(m for m in {lazy!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_help_is_wrapped_at_the_width_columns_gives() -> None:
    env_code = (
        "import contextlib, io, os\nos.environ['COLUMNS'] = '{}'\nfrom gongkai.cli import build_parser\n"
        "print(max(len(line) for line in build_parser('parse').format_help().splitlines()))"
    )
    narrow, wide = (
        int(
            subprocess.run(
                [sys.executable, "-c", env_code.format(n)], capture_output=True, text=True, check=True
            ).stdout
        )
        for n in (40, 200)
    )
    assert narrow <= 40 < wide
