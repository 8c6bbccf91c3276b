"""Reports to upload: built in code, written with the core writers, read back by the readers."""

from __future__ import annotations

import io
import zipfile

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.writers import render_docx, render_text


def consistent(
    agency: str, year: int, *, new: int = 10, carried_over: int = 0, carried_forward: int = 0, overview: str = ""
) -> AnnualReport:
    report = AnnualReport.zero(agency=agency, year=year)
    closed = new + carried_over - carried_forward
    for key, value in (
        ("new", new),
        ("carried_over", carried_over),
        ("granted", closed),
        ("total", closed),
        ("carried_forward", carried_forward),
    ):
        report.table3[key] = [value, 0, 0, 0, 0, 0, value]
    if overview:
        report.sections = {"overview": overview}
    return report


def broken(agency: str, year: int) -> AnnualReport:
    """Table 四 总计 0 under a 维持 of 3 (like 洪泽区 2023)."""
    report = consistent(agency, year)
    report.table4["reconsideration"].update(upheld=3, total=0)
    return report


def as_text(report: AnnualReport) -> bytes:
    return render_text(report).encode("utf-8")


def as_docx(report: AnnualReport) -> bytes:
    return render_docx(report)


def zipped(files: dict[str, bytes], *, gbk_names: bool = False) -> bytes:
    """A .zip of ``files``; ``gbk_names`` as Windows' built-in zip writes them (GBK, no UTF-8 flag)."""
    out = io.BytesIO()
    swaps: list[tuple[bytes, bytes]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (name, data) in enumerate(files.items()):
            if gbk_names:
                raw = name.encode("gbk")
                placeholder = f"{index:0{len(raw)}d}".encode()  # ASCII of the same length, swapped below
                swaps.append((placeholder, raw))
                name = placeholder.decode()
            archive.writestr(name, data)
    data = out.getvalue()
    for placeholder, raw in swaps:
        data = data.replace(placeholder, raw)
    return data
