"""The command line of API clients and the demo flow (issue 18 Done means); idempotency under
concurrency on PostgreSQL; the other webhook events."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from gongkai.apiclients.models import ApiClient, WebhookDelivery
from gongkai.apiclients.services import set_webhook
from gongkai.cases.models import Case
from gongkai.cli import main
from gongkai.core.letters import LetterType
from gongkai.letters.services import generate_letter
from tests.api.helpers import APPLICATION, bearer, token_for
from tests.concurrency import run_together
from tests.factories import CaseFactory

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_demo_flow_with_a_token_from_the_command_line(client: Client, tree: Any, capsys: Any) -> None:
    code = tree.street_a.code
    assert (
        main(
            [
                "api-client",
                "create",
                "--agency",
                code,
                "--name",
                "test",
                "--scope",
                "cases:read",
                "--scope",
                "cases:submit",
            ]
        )
        == 0
    )
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("gk_") and ApiClient.objects.get(name="test").token_hash != token
    call = {"content_type": "application/json", "HTTP_IDEMPOTENCY_KEY": "demo-1", **bearer(token)}
    first = client.post("/api/v1/cases/applications/", json.dumps(APPLICATION), **call)
    again = client.post("/api/v1/cases/applications/", json.dumps(APPLICATION), **call)
    assert first.status_code == again.status_code == 201
    assert first.json()["number"] == again.json()["number"] and Case.objects.count() == 1
    assert client.get(f"/api/v1/cases/{first.json()['id']}/", **bearer(token)).status_code == 200

    assert main(["api-client", "list"]) == 0
    listing = capsys.readouterr().out
    assert "test" in listing and token not in listing
    assert main(["api-client", "revoke", "test"]) == 0
    assert client.get("/api/v1/cases/", **bearer(token)).status_code == 401


@pytest.mark.django_db
def test_command_line_errors_are_one_line(tree: Any, capsys: Any) -> None:
    assert main(["api-client", "create", "--agency", "NOPE", "--name", "x1", "--scope", "cases:read"]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert main(["api-client", "revoke", "nobody"]) == 2
    with pytest.raises(SystemExit):
        main(["api-client", "create", "--agency", "D1-A", "--name", "x2", "--scope", "cases:write"])


@pytest.mark.django_db
def test_webhooks_deliver_command_reports_counts(tree: Any, capsys: Any) -> None:
    assert main(["webhooks", "deliver"]) == 0
    assert "已送达 0 条" in capsys.readouterr().out


@pytest.mark.django_db
def test_letter_issued_is_an_event(tree: Any, settings: Any) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE, settings.WEBHOOK_BACKGROUND = True, False
    api_client, _ = token_for(tree.street_a, "cases:read")
    set_webhook(actor=None, client=api_client, url="http://127.0.0.1:9/hook")
    case = CaseFactory(actor=tree.officer_a)
    letter = generate_letter(actor=tree.officer_a, case=case, kind=LetterType.RECEIPT, today=dt.date(2026, 3, 4))
    delivery = WebhookDelivery.objects.get(event="letter.issued")
    assert delivery.payload["data"]["letter_number"] == letter.number
    assert delivery.payload["data"]["case_id"] == case.pk


if ON_POSTGRESQL:

    @pytest.mark.postgres_only
    @pytest.mark.django_db(transaction=True)
    def test_two_concurrent_calls_with_one_key_make_one_case(tree: Any) -> None:
        _, token = token_for(tree.street_a, "cases:submit")

        def call() -> tuple[int, int]:
            answer = Client().post(
                "/api/v1/cases/applications/",
                json.dumps(APPLICATION),
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="same-key",
                **bearer(token),
            )
            return answer.status_code, answer.json()["id"]

        results = run_together(call, call, call)
        assert all(isinstance(r, tuple) for r in results), results
        assert {r[0] for r in results} == {201}
        assert len({r[1] for r in results}) == 1
        assert Case.objects.count() == 1
