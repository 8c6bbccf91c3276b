"""API clients (issue 18): tokens, scopes, agency scope, revocation, rate limit, intake, audit."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from gongkai.apiclients import tokens
from gongkai.apiclients.errors import ApiClientError
from gongkai.apiclients.models import ApiCall, ApiClient, IdempotentSubmission
from gongkai.apiclients.services import revoke_client
from gongkai.audit.models import AuditEvent
from gongkai.cases.models import Case
from tests.api.helpers import APPLICATION, bearer, token_for
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

INTAKE = "/api/v1/cases/applications/"


def submit(client: Client, token: str, body: dict[str, Any], key: str = "key-0001") -> Any:
    return client.post(
        INTAKE, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key, **bearer(token)
    )


def test_token_is_stored_hashed_and_shown_once(tree: Any) -> None:
    client, token = token_for(tree.street_a, "cases:read")
    assert token.startswith(f"gk_{client.token_prefix}_")
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.token_hash == tokens.digest(token) and token not in str(stored.__dict__)
    row = AuditEvent.objects.get(action="api_client.created")
    assert token not in json.dumps(row.changes, ensure_ascii=False)


def test_read_token_sees_own_agency_only_and_may_not_submit(client: Client, tree: Any) -> None:
    mine = CaseFactory(actor=tree.officer_a)
    theirs = CaseFactory(actor=tree.officer_b)
    _, token = token_for(tree.street_a, "cases:read")
    listing = client.get("/api/v1/cases/", **bearer(token)).json()
    assert [row["id"] for row in listing["results"]] == [mine.pk]
    assert client.get(f"/api/v1/cases/{mine.pk}/", **bearer(token)).status_code == 200
    assert client.get(f"/api/v1/cases/{theirs.pk}/", **bearer(token)).status_code == 404
    refused = submit(client, token, APPLICATION)
    assert refused.status_code == 403 and "cases:submit" in refused.json()["detail"]
    assert Case.objects.count() == 2


def test_personal_data_is_masked_for_a_token(client: Client, tree: Any) -> None:
    case = CaseFactory(actor=tree.officer_a, id_number="110101199001011234")
    _, token = token_for(tree.street_a, "cases:read")
    detail = client.get(f"/api/v1/cases/{case.pk}/", **bearer(token)).json()
    assert detail["id_number"] != "110101199001011234" and detail["id_number"].endswith("1234")


def test_scopes_limit_what_a_token_reads(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "publications:read")
    assert client.get("/api/v1/publications/items/", **bearer(token)).status_code == 200
    assert client.get("/api/v1/cases/", **bearer(token)).status_code == 403
    assert client.get("/api/v1/reports/records/", **bearer(token)).status_code == 403


def test_workflow_writes_are_for_staff_only(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "publications:read", "cases:read", "cases:submit", "reports:read")
    answer = client.post("/api/v1/publications/items/1/publish/", **bearer(token))
    assert answer.status_code == 403


@pytest.mark.parametrize("header", ["Bearer nonsense", "Bearer gk_000000000000_x", "Bearer a b"])
def test_bad_tokens_are_401(client: Client, tree: Any, header: str) -> None:
    answer = client.get("/api/v1/cases/", HTTP_AUTHORIZATION=header)
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["code"] == "authentication_failed"


def test_revoked_token_is_refused_at_once(client: Client, tree: Any) -> None:
    api_client, token = token_for(tree.street_a, "cases:read")
    assert client.get("/api/v1/cases/", **bearer(token)).status_code == 200
    revoke_client(actor=tree.leader_a, client=api_client, now=timezone.now())
    answer = client.get("/api/v1/cases/", **bearer(token))
    assert answer.status_code == 401 and "吊销" in answer.json()["detail"]
    with pytest.raises(ApiClientError):
        revoke_client(actor=None, client=api_client, now=timezone.now())


def test_expired_token_is_refused(client: Client, tree: Any) -> None:
    api_client, token = token_for(tree.street_a, "cases:read")
    ApiClient.objects.filter(pk=api_client.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/api/v1/cases/", **bearer(token)).status_code == 401


def test_only_the_agency_manager_or_admin_may_create_or_revoke(tree: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_for(tree.street_a, "cases:read", name="甲客户端", actor=tree.officer_a)
    with pytest.raises(PermissionDenied):
        token_for(tree.street_b, "cases:read", name="乙客户端", actor=tree.leader_a)
    api_client, _ = token_for(tree.street_a, "cases:read", name="丙客户端", actor=tree.leader_a)
    with pytest.raises(PermissionDenied):
        revoke_client(actor=tree.officer_b, client=api_client, now=timezone.now())
    revoke_client(actor=tree.admin, client=api_client, now=timezone.now())


def test_unknown_scope_and_duplicate_name_are_refused(tree: Any) -> None:
    with pytest.raises(ApiClientError, match="cases:write"):
        token_for(tree.street_a, "cases:write")
    token_for(tree.street_a, "cases:read")
    with pytest.raises(ApiClientError, match="已被使用"):
        token_for(tree.street_a, "cases:read")


def test_calls_are_rate_limited_per_client(client: Client, tree: Any, settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}}
    _, token = token_for(tree.street_a, "cases:read", rate_per_minute=3)
    _, other = token_for(tree.street_a, "cases:read", name="政务服务网", rate_per_minute=3)
    codes = [client.get("/api/v1/cases/", **bearer(token)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/api/v1/cases/", **bearer(other)).status_code == 200


def test_every_call_is_logged_with_the_client(client: Client, tree: Any) -> None:
    api_client, token = token_for(tree.street_a, "cases:read")
    client.get("/api/v1/cases/", **bearer(token))
    client.get("/api/v1/cases/999999/", **bearer(token))
    assert list(ApiCall.objects.filter(client=api_client).order_by("pk").values_list("path", "status")) == [
        ("/api/v1/cases/", 200),
        ("/api/v1/cases/999999/", 404),
    ]
    assert ApiClient.objects.get(pk=api_client.pk).last_used_at is not None


# --- intake ----------------------------------------------------------------------------------


def test_intake_makes_a_case_as_the_portal_does(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "cases:submit")
    answer = submit(client, token, {**APPLICATION, "channel": "fax"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    case = Case.objects.get(pk=body["id"])
    assert (body["number"], body["tracking_code"]) == (case.number, case.tracking_code)
    assert body["status"] == "awaiting_confirmation" and body["due_on"] is None and body["received_on"] is None
    assert case.agency == tree.street_a and case.channel == "fax"
    assert timezone.localtime(case.submitted_at).strftime("%Y-%m-%d %H:%M") == "2026-03-02 09:30"
    event = case.events.get()
    assert event.actor_name == "接口：12345热线" and event.payload["来源编号"] == "12345-2026-000123"
    audit = AuditEvent.objects.get(action="case.submitted_online", object_id=str(case.pk))
    assert audit.actor_name == "接口：12345热线"
    assert body["source_reference"] == "12345-2026-000123"


def test_same_idempotency_key_gives_one_case(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "cases:submit")
    first = submit(client, token, APPLICATION, key="order-42")
    again = submit(client, token, APPLICATION, key="order-42")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    other = submit(client, token, {**APPLICATION, "request_description": "另一件事"}, key="order-42")
    assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
    assert Case.objects.count() == 1
    assert submit(client, token, APPLICATION, key="order-43").status_code == 201
    assert Case.objects.count() == 2


def test_keys_belong_to_one_client(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "cases:submit")
    _, other = token_for(tree.street_a, "cases:submit", name="政务服务网")
    assert (
        submit(client, token, APPLICATION, key="k1").json()["id"]
        != submit(client, other, APPLICATION, key="k1").json()["id"]
    )


def test_refused_input_does_not_use_up_the_key(client: Client, tree: Any) -> None:
    _, token = token_for(tree.street_a, "cases:submit")
    bad = submit(client, token, {**APPLICATION, "channel": "in_person"}, key="k2")
    assert bad.status_code == 400 and "channel" in bad.json()["fields"]
    future = submit(client, token, {**APPLICATION, "submitted_at": "2999-01-01T00:00:00+08:00"}, key="k2")
    assert future.status_code == 400 and "submitted_at" in future.json()["fields"]
    assert not IdempotentSubmission.objects.exists()
    assert submit(client, token, APPLICATION, key="k2").status_code == 201


@pytest.mark.parametrize("key", [None, "", "含中文", "a" * 201, "with space"])
def test_idempotency_key_is_required_and_checked(client: Client, tree: Any, key: str | None) -> None:
    _, token = token_for(tree.street_a, "cases:submit")
    headers = bearer(token) | ({} if key is None else {"HTTP_IDEMPOTENCY_KEY": key})
    answer = client.post(INTAKE, json.dumps(APPLICATION), content_type="application/json", **headers)
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["fields"]


def test_staff_session_cannot_use_the_intake(client: Client, tree: Any) -> None:
    client.force_login(tree.officer_a)
    answer = client.post(INTAKE, json.dumps(APPLICATION), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert answer.status_code == 403


def test_legacy_unversioned_addresses_still_answer(client: Client, tree: Any) -> None:
    CaseFactory(actor=tree.officer_a)
    _, token = token_for(tree.street_a, "cases:read")
    assert client.get("/api/cases/", **bearer(token)).json()["count"] == 1


def test_a_token_reads_published_items_and_reports_only(client: Client, tree: Any) -> None:
    from gongkai.publications import services as publication_services
    from tests.publications.helpers import make_draft, make_published

    catalogue = {c.name: c for c in publication_services.seed_catalogue(actor=tree.officer_a, agency=tree.street_a)}
    public = make_published(tree, catalogue, title="已公开")
    draft = make_draft(tree, catalogue, title="草稿")
    _, token = token_for(tree.street_a, "publications:read", "reports:read")
    listing = client.get("/api/v1/publications/items/", **bearer(token)).json()
    assert [row["id"] for row in listing["results"]] == [public.pk]
    assert client.get(f"/api/v1/publications/items/{draft.pk}/", **bearer(token)).status_code == 404
    client.force_login(tree.officer_a)
    assert client.get(f"/api/v1/publications/items/{draft.pk}/").status_code == 200  # staff still see drafts
