"""The read-only API: scoped lists, the computed tables, no writes."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_records_are_scoped(tree: Any, signed: Any, client: Client) -> None:
    client.force_login(tree.supervisor)
    rows = client.get("/api/reports/records/").json()["results"]
    assert [(r["agency_name"], r["version"], r["status"]) for r in rows] == [("测试区甲街道办事处", 1, "signed_off")]
    assert rows[0]["snapshot"]["table3"]["new"][6] == 5 and rows[0]["signed_by_name"]
    client.force_login(tree.officer_b)
    assert client.get("/api/reports/records/").json()["results"] == []
    assert client.get(f"/api/reports/records/{signed.pk}/").status_code == 404


def test_computed_tables(tree: Any, history_a: Any, client: Client) -> None:
    client.force_login(tree.officer_a)
    data = client.get(f"/api/reports/computed/{tree.street_a.pk}/2023/").json()
    assert data["table3"]["total"][6] == 4
    assert client.get(f"/api/reports/computed/{tree.street_b.pk}/2023/").status_code == 404


def test_anonymous_is_refused(client: Client) -> None:
    assert client.get("/api/reports/records/").status_code in (401, 403)
