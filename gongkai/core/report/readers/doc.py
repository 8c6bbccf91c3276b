"""Old Word (.doc) and WPS (.wps) files: converted to .docx by LibreOffice in headless mode, then
read like any .docx (:mod:`.word`).

LibreOffice is a system program, not a Python package: on Debian, ``apt-get install
libreoffice-writer-nogui`` (the command ``soffice``). Without it the file is refused with a
message that says so. The conversion runs in a temporary directory with its own LibreOffice
profile (so it never touches a user's), without network, under a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from gongkai.core.errors import ReportReadError
from gongkai.core.report.readers.document import Document

#: The Debian package that provides ``soffice`` without a desktop.
DEBIAN_PACKAGE = "libreoffice-writer-nogui"
TIMEOUT_SECONDS = 90
_PROGRAMS = ("soffice", "libreoffice", "lowriter")
#: The name of the main stream of a Word or WPS text document in the OLE2 directory (UTF-16).
_WORD_STREAM = "WordDocument".encode("utf-16-le")


def soffice() -> str | None:
    """The path of LibreOffice's command, or None when it is not installed."""
    for name in _PROGRAMS:
        found = shutil.which(name)
        if found:
            return found
    return None


def doc_document(data: bytes, source: str) -> Document:
    """The .docx reading of a .doc/.wps file, converted by LibreOffice."""
    from gongkai.core.report.readers.word import docx_document

    if _WORD_STREAM not in data:
        raise ReportReadError(
            "这是旧版 Office 文件（.doc/.xls/.ppt），但其中没有 Word 文档（可能是表格、演示文稿或已损坏），无法读取",
            source=source,
        )
    program = soffice()
    if program is None:
        raise ReportReadError(
            "这是旧版 Word（.doc）或 WPS 文件；读取它需要安装 LibreOffice"
            f"（Debian/Ubuntu：apt-get install {DEBIAN_PACKAGE}），或请另存为 .docx 或 PDF 后再读取",
            source=source,
        )
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as tmp:
        folder = Path(tmp)
        original = folder / "report.doc"
        original.write_bytes(data)
        profile = (folder / "profile").as_uri()
        command = [
            program,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(original),
        ]
        env = {**os.environ, "HOME": tmp}
        try:
            subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
                command, cwd=tmp, env=env, capture_output=True, timeout=TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise ReportReadError(f"LibreOffice 转换超过 {TIMEOUT_SECONDS} 秒未完成，无法读取", source=source) from None
        except OSError as exc:
            raise ReportReadError(
                f"无法运行 LibreOffice（{exc.strerror or type(exc).__name__}）", source=source
            ) from None
        converted = folder / "out" / "report.docx"
        if not converted.is_file():
            raise ReportReadError(
                "LibreOffice 无法转换这个文件（文件可能已损坏，或不是 Word/WPS 文字文件）", source=source
            )
        document = docx_document(converted.read_bytes(), source)
    document.notes.append("旧版 Word/WPS 文件，已用 LibreOffice 转换为 .docx 后读取")
    return document
