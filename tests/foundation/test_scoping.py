"""One agency never sees another's records; a supervisor reads (never changes) agencies below it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.accounts.scoping import can_write, visible_agencies
from gongkai.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return set(qs.values_list("name", flat=True))


def test_staff_see_only_their_own_agency(tree) -> None:  # type: ignore[no-untyped-def]
    for user in (tree.officer_a, tree.clerk_a, tree.leader_a):
        assert names(visible_agencies(user)) == {"测试区甲街道办事处"}
    assert names(visible_agencies(tree.officer_b)) == {"测试区乙街道办事处"}


def test_supervisor_sees_its_subtree_only(tree) -> None:  # type: ignore[no-untyped-def]
    assert names(visible_agencies(tree.supervisor)) == {"测试区人民政府", "测试区甲街道办事处", "测试区乙街道办事处"}
    assert names(visible_agencies(tree.other_supervisor)) == {"另一区人民政府"}


def test_admin_sees_all_and_anonymous_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    assert visible_agencies(tree.admin).count() == 4
    assert visible_agencies(None).count() == 0


def test_write_rights(tree) -> None:  # type: ignore[no-untyped-def]
    assert can_write(tree.officer_a, tree.street_a)
    assert not can_write(tree.officer_a, tree.street_b)
    assert not can_write(tree.supervisor, tree.street_a)
    assert not can_write(tree.supervisor, tree.district)
    assert not can_write(tree.admin, tree.street_a)


@pytest.mark.parametrize("url_name", ["backoffice:agency_detail", "backoffice:agency_edit"])
def test_other_agency_pages_are_404(tree, client: Client, url_name: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    response = client.get(reverse(url_name, args=[tree.street_b.pk]))
    assert response.status_code == 404


def test_other_agency_cannot_be_changed_by_post(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    response = client.post(reverse("backoffice:agency_edit", args=[tree.street_b.pk]), {"phone": "110"})
    assert response.status_code == 404
    tree.street_b.refresh_from_db()
    assert tree.street_b.phone == ""


def test_own_agency_can_be_changed_and_is_audited(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    response = client.post(
        reverse("backoffice:agency_edit", args=[tree.street_a.pk]),
        {"phone": "010-69000000", "address": "果园路1号", "office_hours": ""},
    )
    assert response.status_code == 302
    tree.street_a.refresh_from_db()
    assert tree.street_a.phone == "010-69000000"
    event = AuditEvent.objects.for_object(tree.street_a).filter(action="agency.contact_changed").get()
    assert event.actor == tree.officer_a
    assert event.changes["phone"] == ["", "010-69000000"]


def test_supervisor_reads_but_cannot_change_subordinate(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.supervisor)
    assert client.get(reverse("backoffice:agency_detail", args=[tree.street_a.pk])).status_code == 200
    assert client.get(reverse("backoffice:agency_edit", args=[tree.street_a.pk])).status_code == 403
    response = client.post(reverse("backoffice:agency_edit", args=[tree.street_a.pk]), {"phone": "999"})
    assert response.status_code == 403
    tree.street_a.refresh_from_db()
    assert tree.street_a.phone == ""
    assert client.get(reverse("backoffice:agency_detail", args=[tree.other_district.pk])).status_code == 404


def test_agency_list_is_scoped(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    body = client.get(reverse("backoffice:agency_list")).content.decode()
    assert "测试区甲街道办事处" in body
    assert "测试区乙街道办事处" not in body


def test_audit_list_is_scoped(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_b)
    body = client.get(reverse("backoffice:audit_list")).content.decode()
    assert "officer_b" in body or "测试区乙街道办事处" in body
    assert "测试区甲街道办事处" not in body


def test_admin_site_is_for_system_administrators_only(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.supervisor)
    assert client.get("/admin/").status_code == 302  # sent to the admin login
    client.force_login(tree.admin)
    assert client.get("/admin/").status_code == 200


def test_anonymous_is_sent_to_login(db, client: Client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("backoffice:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
