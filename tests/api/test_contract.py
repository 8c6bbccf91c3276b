"""The API contract: schemathesis runs every check it has against ``/api/schema/`` (issue 11).

A logged-in officer of street A calls every operation, in process through the WSGI application,
over a database holding cases, items and reports of streets A and B. Examples draw real ids of
both streets as well as random ones, so answers 200, 400, 403, 404 and 409 are all exercised.
Every example runs in a savepoint that is rolled back: a write (a publication, a withdrawal)
never changes what the next example sees, so a failure replays the same way. The examples are
derandomized and bounded (``CONTRACT_EXAMPLES`` per operation, 30 by default) so CI is stable.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks

from gongkai.apiclients.services import create_client
from gongkai.cases.models import Case
from gongkai.core.api_scopes import Scope
from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.publications import services as publication_services
from gongkai.reports import services as report_services
from gongkai.wsgi import application
from tests.factories import CaseFactory, ClosedCase, ConsultingCase, InProgressCase
from tests.publications.helpers import make_draft, make_published
from tests.reports.conftest import finished_narrative

pytestmark = pytest.mark.django_db

#: Examples per operation (besides schemathesis's boundary cases): enough to walk each
#: parameter's edges, few enough for a quick suite. Raise it locally for a deeper run.
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "30"))

#: An id no row has.
NOTHING = 10**12

#: Checks the contract must include; a schemathesis upgrade that drops or renames one fails here.
REQUIRED_CHECKS = {
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
}


def _all_checks() -> list[Any]:
    """Every check schemathesis registers (``--checks all``)."""
    load_all_checks()
    return list(CHECKS.get_all())


def test_every_check_is_run() -> None:
    missing = REQUIRED_CHECKS - {check.__name__ for check in _all_checks()}
    assert not missing


@pytest.fixture
def api_world(tree: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    """Cases, items and reports of streets A and B: the officer of A sees only A's."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for actor in (tree.officer_a, tree.officer_b):
        CaseFactory(actor=actor)
        InProgressCase(actor=actor)
        ConsultingCase(actor=actor)
        ClosedCase(actor=actor)
    catalogues = {}
    for officer, agency in ((tree.officer_a, tree.street_a), (tree.officer_b, tree.street_b)):
        nodes = publication_services.seed_catalogue(actor=officer, agency=agency)
        catalogues[agency.pk] = {c.name: c for c in nodes}
    cat_a = catalogues[tree.street_a.pk]
    draft = make_draft(tree, cat_a, title="草稿")
    pending = make_draft(tree, cat_a, title="待审查")
    publication_services.submit_for_review(actor=pending.author, item=pending)
    cleared = make_draft(tree, cat_a, title="已审查")
    publication_services.submit_for_review(actor=cleared.author, item=cleared)
    publication_services.record_secrecy_review(actor=tree.officer_a, item=cleared, result=SecrecyVerdict.NOT_CLASSIFIED)
    published = make_published(tree, cat_a, title="已公开")
    other = publication_services.create_draft(
        actor=tree.officer_b,
        agency=tree.street_b,
        category=catalogues[tree.street_b.pk]["预算"],
        title="乙街道的草稿",
        formed_on=dt.date(2023, 3, 1),
        body="<p>乙街道2023年部门预算。</p>",
    )
    record = report_services.start_draft(
        actor=tree.officer_a, agency=tree.street_a, year=2025, today=dt.date(2026, 1, 10)
    )
    report_services.save_narrative(actor=tree.officer_a, record=record, sections=finished_narrative(2025))
    record_b = report_services.start_draft(
        actor=tree.officer_b, agency=tree.street_b, year=2025, today=dt.date(2026, 1, 10)
    )
    cases = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    items = [draft.pk, pending.pk, cleared.pk, published.pk, other.pk]
    agencies = [tree.street_a.pk, tree.street_b.pk, tree.district.pk, tree.other_district.pk]
    return {
        "tree": tree,
        # Real ids (street A's, street B's, and one that names nothing) that examples may draw.
        "ids": {
            "/api/v1/cases/": [*cases, NOTHING],
            "/api/v1/publications/items/": [*items, NOTHING],
            "/api/v1/reports/records/": [record.pk, record_b.pk, NOTHING],
        },
        "agencies": [*agencies, NOTHING],
    }


@pytest.fixture
def officer_client(api_world: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(api_world["tree"].officer_a)
    return client


@pytest.fixture
def api_schema(officer_client: Client, api_world: dict[str, Any]) -> Iterator[Any]:
    """The schema as a logged-in officer reads it, exercised in process through the WSGI application."""
    response = officer_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = application
    session_cookies = {
        settings.SESSION_COOKIE_NAME: officer_client.cookies[settings.SESSION_COOKIE_NAME].value,
        settings.CSRF_COOKIE_NAME: _get_new_csrf_string(),
    }

    @schema.auth()
    class Session:
        """The officer's session: the ``sessionid`` cookie the schema declares, plus CSRF for writes."""

        def get(self, case: Any, ctx: Any) -> dict[str, str]:
            return session_cookies

        def set(self, case: Any, data: dict[str, str], ctx: Any) -> None:
            case.cookies = {**(case.cookies or {}), **data}
            case.headers = {**(case.headers or {}), "X-CSRFToken": data[settings.CSRF_COOKIE_NAME]}

    _draw_real_ids(schema, api_world)

    # Django closes the database connection around each request; the test client switches that
    # off (the test's transaction lives on the connection), and so must a run through the raw
    # WSGI application, or PostgreSQL loses the test's data after the first call. (After the
    # schema is loaded: the test client reconnects the handler when its own request ends.)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _draw_real_ids(schema: Any, api_world: dict[str, Any]) -> None:
    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        """Random ids almost never name a row: let examples also draw the real ones (and keep the drawn one)."""
        if not path_parameters:
            return st.just(path_parameters)
        choices = [path_parameters]
        if "id" in path_parameters and _is_positive_int(path_parameters["id"]):
            collection = context.operation.path.split("{id}")[0]
            choices += [{**path_parameters, "id": pk} for pk in api_world["ids"][collection]]
        if "agency_id" in path_parameters and _is_positive_int(path_parameters["agency_id"]):
            choices += [{**path_parameters, "agency_id": pk} for pk in api_world["agencies"]]
        return st.sampled_from(choices)


@pytest.fixture
def api_schema_token(api_world: dict[str, Any]) -> Iterator[Any]:
    """The schema as another system reads it with a token of street A holding every scope: the
    same operations (the intake among them), with ``Authorization: Bearer``."""
    _, token = create_client(
        actor=None,
        agency=api_world["tree"].street_a,
        name="契约测试",
        scopes=[scope.value for scope in Scope],
        rate_per_minute=10000,
        now=timezone.now(),
    )
    response = Client().get("/api/v1/schema/", {"format": "json"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = application

    @schema.auth()
    class Bearer:
        def get(self, case: Any, ctx: Any) -> str:
            return token

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    _draw_real_ids(schema, api_world)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _submission_time_in_range(case: Any) -> None:
    """A submission time the schema cannot bound (not in the future, not before 2007): a drawn
    time outside that range is moved inside it, so the example tests the rest of the body.
    (Every example, the boundary values of the coverage phase included; a value that is not a
    date-time, the negative examples of this field, is left as drawn.)"""
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("submitted_at"), str):
        try:
            moment = dt.datetime.fromisoformat(body["submitted_at"].replace("Z", "+00:00"))
        except ValueError:
            return
        if moment.tzinfo is None or not (dt.datetime(2008, 1, 1, tzinfo=dt.UTC) <= moment <= timezone.now()):
            case.body = {**body, "submitted_at": "2026-01-05T09:00:00+08:00"}


def _is_positive_int(value: Any) -> bool:
    """A well-formed id, as drawn (an int) or as already written into the path (digits)."""
    if isinstance(value, bool):
        return False
    return (isinstance(value, int) and value >= 1) or (isinstance(value, str) and value.isascii() and value.isdigit())


schema = schemathesis.pytest.from_fixture("api_schema")
token_schema = schemathesis.pytest.from_fixture("api_schema_token")


@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    # The schema and the data are function-scoped fixtures on purpose: one fresh world per run.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_keeps_its_contract(case: Any) -> None:
    """Every operation answers as the schema says: documented statuses and bodies, bad input
    refused with a 400/404, good input accepted, authentication enforced, never a 500."""
    with transaction.atomic():
        case.call_and_validate(checks=_all_checks())
        transaction.set_rollback(True)


@token_schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_keeps_its_contract_with_a_token(case: Any) -> None:
    """The same contract for another system calling with a token: its scopes, its agency only,
    the intake with an ``Idempotency-Key``; the workflow writes answer 403, never a 500."""
    _submission_time_in_range(case)
    with transaction.atomic():
        case.call_and_validate(checks=_all_checks())
        transaction.set_rollback(True)
