"""The system administrator edits letter wording in the admin; the core checks every text."""

from __future__ import annotations

import pytest
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.core.letters import default_templates
from gongkai.letters.models import LetterTemplateOverride
from tests.conftest import Tree

pytestmark = pytest.mark.django_db

ADD = "/admin/letters/lettertemplateoverride/add/"


def _admin(tree: Tree) -> Client:
    client = Client()
    client.force_login(tree.admin)
    return client


def test_add_form_starts_from_the_shipped_text(tree: Tree) -> None:
    response = _admin(tree).get(ADD, {"key": "fee.title"})
    assert response.status_code == 200
    assert default_templates()["fee.title"] in response.content.decode()


def test_unknown_placeholder_is_refused_with_its_name(tree: Tree) -> None:
    response = _admin(tree).post(ADD, {"key": "receipt.title", "text": "回执{applicant_age}"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "receipt.title" in body and "applicant_age" in body and "未知字段" in body
    assert not LetterTemplateOverride.objects.exists()


def test_valid_override_is_saved_and_audited(tree: Tree) -> None:
    response = _admin(tree).post(ADD, {"key": "receipt.title", "text": "政府信息公开申请受理回执"})
    assert response.status_code == 302
    override = LetterTemplateOverride.objects.get()
    assert override.updated_by == tree.admin
    assert AuditEvent.objects.filter(action="admin.change", object_id=str(override.pk)).exists()


def test_agency_staff_cannot_reach_the_admin(tree: Tree) -> None:
    client = Client()
    client.force_login(tree.officer_a)
    assert client.get(ADD).status_code == 302
