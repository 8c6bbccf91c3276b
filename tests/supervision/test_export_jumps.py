"""The 年报监督 export lists year-on-year jumps (X-JUMP, gongkai.core.report.jumps) between a
report of the batch and its previous year's, as the trend charts mark them."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.supervision.services import upload_batch
from gongkai.supervision.xlsx import FINDINGS_SHEET, SUMMARY_SHEET
from tests.supervision.conftest import as_text, consistent

pytestmark = pytest.mark.django_db


def test_the_export_lists_the_jump(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    before = consistent(tree.street_a.name, 2022, new=10)
    after = consistent(tree.street_a.name, 2023, new=95)  # +850 %, a change of 85
    before.table2["licensing"]["decisions"] = 550
    after.table2["licensing"]["decisions"] = 560  # +2 %: not a jump
    batch = upload_batch(
        actor=tree.supervisor,
        files=[("a-2022.txt", as_text(before)), ("a-2023.txt", as_text(after))],
        title="跳变",
    )
    client.force_login(tree.supervisor)
    book = load_workbook(io.BytesIO(client.get(reverse("supervision:export", args=[batch.pk])).content))
    problems = list(book[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True))
    jumps = [row for row in problems if row[4] == "X-JUMP"]
    assert {(row[0], row[7], row[9], row[10]) for row in jumps} == {
        ("a-2023.txt", "new", 10, 95),
        ("a-2023.txt", "granted", 10, 95),
        ("a-2023.txt", "total", 10, 95),
    }
    assert all(row[3] == "警告" and "+850%" in row[11] for row in jumps)
    summary = {row[0]: row for row in book[SUMMARY_SHEET].iter_rows(min_row=2, values_only=True)}
    assert summary["a-2023.txt"][4] == "有警告" and summary["a-2023.txt"][6] == 3
    assert summary["a-2022.txt"][4] == "一致"
