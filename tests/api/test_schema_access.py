"""The API's own doors: who reads the schema (issue 11 #16), and bad values (issue 11 #12, API part)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def _is_error(response: Any, status: int, code: str) -> None:
    """The API's one error shape: JSON with a Chinese ``detail`` and a ``code``."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code and body["detail"]


# --- #16: the schema is for logged-in staff only ------------------------------------------------


@pytest.mark.parametrize("query", [{}, {"format": "json"}, {"format": "yaml"}])
def test_anonymous_cannot_read_the_schema(client: Client, query: dict[str, str]) -> None:
    response = client.get("/api/schema/", query)
    assert response.status_code in (401, 403)
    assert b"/api/cases/" not in response.content


def test_staff_read_the_schema(client: Client, tree: Any) -> None:
    for user in (tree.clerk_a, tree.officer_a, tree.supervisor):
        client.force_login(user)
        schema = client.get("/api/schema/", {"format": "json"}).json()
        assert "/api/v1/cases/{id}/" in schema["paths"]
        assert not any(not path.startswith("/api/v1/") for path in schema["paths"])
        assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]


def test_unknown_api_address_is_the_api_404(client: Client, tree: Any) -> None:
    assert client.get("/api/cases/0.5/").status_code == 403  # behind the login like the rest
    client.force_login(tree.officer_a)
    _is_error(client.get("/api/cases/0.5/"), 404, "not_found")
    _is_error(client.post("/api/nothing/here/"), 404, "not_found")


# --- #12: out-of-range and malformed values are a 400 or 404, never a 500 ----------------------


@pytest.mark.parametrize("year", ["10000", "0", "99999999999", "2007", "2101", "1", "-1", "2023.5", "２０２３"])
def test_computed_report_of_an_impossible_year_is_404(client: Client, tree: Any, year: str) -> None:
    client.force_login(tree.officer_a)
    _is_error(client.get(f"/api/reports/computed/{tree.street_a.pk}/{year}/"), 404, "not_found")


@pytest.mark.parametrize("agency", ["0", "99999999999999999999", "9223372036854775808", "x"])
def test_computed_report_of_an_impossible_agency_is_404(client: Client, tree: Any, agency: str) -> None:
    client.force_login(tree.officer_a)
    _is_error(client.get(f"/api/reports/computed/{agency}/2023/"), 404, "not_found")


def test_computed_report_of_a_sane_year_still_answers(client: Client, tree: Any) -> None:
    client.force_login(tree.officer_a)
    for year in (2008, 2023, 2100):
        assert client.get(f"/api/reports/computed/{tree.street_a.pk}/{year}/").json()["year"] == year


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/cases/?year=10000", "year"),
        ("/api/cases/?year=2006", "year"),
        ("/api/cases/?year=1e3", "year"),
        ("/api/cases/?department=99999999999999999999", "department"),
        ("/api/cases/?department=-1", "department"),
        ("/api/cases/?status=", "status"),
        ("/api/cases/?q=%00", "q"),
        ("/api/cases/?q=" + "长" * 101, "q"),
        ("/api/cases/?page=0", "page"),
        ("/api/cases/?page=-1", "page"),
        ("/api/cases/?page=abc", "page"),
        ("/api/cases/?page=99999999999", "page"),
        ("/api/publications/items/?category=1.5", "category"),
        ("/api/publications/items/?is_classified=maybe", "is_classified"),
        ("/api/publications/items/?status=nonsense", "status"),
        ("/api/reports/records/?year=10000", "year"),
        ("/api/reports/records/?agency=abc", "agency"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: Client, tree: Any, url: str, field: str) -> None:
    client.force_login(tree.officer_a)
    response = client.get(url)
    _is_error(response, 400, "invalid")
    assert field in response.json()["fields"]


def test_well_formed_ids_that_name_nothing_give_empty_lists(client: Client, tree: Any) -> None:
    CaseFactory(actor=tree.officer_a)
    client.force_login(tree.officer_a)
    assert client.get("/api/cases/").json()["count"] == 1
    assert client.get("/api/cases/", {"department": 9223372036854775807, "year": 2026}).json()["count"] == 0
    assert client.get("/api/cases/", {"year": 2026, "q": ""}).json()["count"] == 1
    assert client.get("/api/publications/items/", {"category": 123456, "is_classified": "false"}).json()["count"] == 0
    _is_error(client.get("/api/cases/", {"page": 2}), 404, "not_found")  # past the last page
