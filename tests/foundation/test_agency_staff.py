"""本机关管理员: the agency's own users and departments (gongkai.accounts.staff, gongkai.backoffice.staff)."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.accounts import staff
from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Department
from gongkai.audit.models import AuditEvent
from gongkai.cases.models import Case
from tests.conftest import Tree
from tests.factories import CaseFactory, UserFactory


@pytest.fixture
def managers(tree: Tree) -> tuple[User, User]:
    a = UserFactory(username="manager_a", agency=tree.street_a, role=Role.MANAGER)
    b = UserFactory(username="manager_b", agency=tree.street_b, role=Role.MANAGER)
    return a, b


def _audit_text() -> str:
    return json.dumps(list(AuditEvent.objects.values("changes", "note", "object_repr")), ensure_ascii=False)


def test_manager_creates_a_user_without_password_and_hands_over_a_one_time_link(
    tree: Tree, managers: tuple[User, User], client: Client
) -> None:
    manager, _ = managers
    dept = Department.objects.create(agency=tree.street_a, name="党政办公室")
    client.force_login(manager)
    response = client.post(
        reverse("backoffice:staff_user_new"),
        {"username": "new_officer", "full_name": "新同事", "role": "officer", "department": dept.pk},
    )
    assert response.status_code == 302
    created = User.objects.get(username="new_officer")
    assert created.agency == tree.street_a and created.role == Role.OFFICER and created.department == dept
    assert not created.has_usable_password() and not created.is_staff and not created.is_superuser
    page = client.post(reverse("backoffice:staff_password_link", args=[created.pk]))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    link = re.search(r'value="(http://testserver/password/set/[^"]+)"', page.content.decode())
    assert link is not None
    path = link.group(1).removeprefix("http://testserver")
    token = path.rstrip("/").split("/")[-1]
    # The token and any password never reach the audit trail.
    anon = Client()
    form = anon.get(path, follow=True)
    assert form.status_code == 200 and "new_officer" in form.content.decode()
    done = anon.post(
        form.redirect_chain[-1][0], {"new_password1": "Kx9!long-enough-pw", "new_password2": "Kx9!long-enough-pw"}
    )
    assert done.status_code == 302
    created.refresh_from_db()
    assert created.check_password("Kx9!long-enough-pw")
    # Used once: the link is dead now.
    again = Client().get(path, follow=True)
    assert "此链接无效" in again.content.decode()
    text = _audit_text()
    assert token not in text and "Kx9!long-enough-pw" not in text and created.password not in text
    actions = set(AuditEvent.objects.filter(object_id=str(created.pk)).values_list("action", flat=True))
    assert {"user.created", "user.password_link_issued", "user.password_set"} <= actions


def test_issuing_a_link_voids_the_old_password_and_earlier_links(tree: Tree, managers: tuple[User, User]) -> None:
    manager, _ = managers
    first = staff.issue_password_link(actor=manager, user=tree.officer_a)
    tree.officer_a.refresh_from_db()
    assert not tree.officer_a.has_usable_password()
    second = staff.issue_password_link(actor=manager, user=tree.officer_a)
    assert first != second
    tree.officer_a.refresh_from_db()
    assert not default_token_generator.check_token(tree.officer_a, first[1])
    assert default_token_generator.check_token(tree.officer_a, second[1])


@pytest.mark.parametrize("role", [Role.ADMIN, Role.SUPERVISOR, "superuser"])
def test_manager_cannot_create_or_promote_to_admin_or_supervisor(
    tree: Tree, managers: tuple[User, User], role: str
) -> None:
    manager, _ = managers
    with pytest.raises(staff.StaffError, match="角色"):
        staff.create_staff_user(actor=manager, username="x1", full_name="x", role=role)
    with pytest.raises(staff.StaffError, match="角色"):
        staff.change_staff_user(actor=manager, user=tree.officer_a, role=role, department=None)
    tree.officer_a.refresh_from_db()
    assert tree.officer_a.role == Role.OFFICER and not User.objects.filter(username="x1").exists()


def test_escalation_through_the_form_is_refused(tree: Tree, managers: tuple[User, User], client: Client) -> None:
    manager, _ = managers
    client.force_login(manager)
    response = client.post(
        reverse("backoffice:staff_user_edit", args=[tree.officer_a.pk]), {"full_name": "x", "role": "admin"}
    )
    assert response.status_code == 400
    tree.officer_a.refresh_from_db()
    assert tree.officer_a.role == Role.OFFICER


def test_manager_cannot_touch_another_agencys_users_or_departments(
    tree: Tree, managers: tuple[User, User], client: Client
) -> None:
    manager, manager_b = managers
    dept_b = Department.objects.create(agency=tree.street_b, name="乙科室")
    client.force_login(manager)
    b = tree.officer_b
    assert client.get(reverse("backoffice:staff_user_edit", args=[b.pk])).status_code == 404
    assert (
        client.post(
            reverse("backoffice:staff_user_edit", args=[b.pk]), {"full_name": "x", "role": "leader"}
        ).status_code
        == 404
    )
    assert client.post(reverse("backoffice:staff_user_active", args=[b.pk]), {"active": "0"}).status_code == 404
    assert client.post(reverse("backoffice:staff_password_link", args=[b.pk])).status_code == 404
    assert client.get(reverse("backoffice:staff_department_edit", args=[dept_b.pk])).status_code == 404
    assert client.get(reverse("backoffice:staff_roster", args=[tree.street_b.pk])).status_code == 404
    b.refresh_from_db()
    assert b.is_active and b.role == Role.OFFICER and b.has_usable_password()
    # The services refuse as well, whoever calls them.
    for call in (
        lambda: staff.set_user_active(actor=manager, user=b, active=False),
        lambda: staff.issue_password_link(actor=manager, user=b),
        lambda: staff.change_department(actor=manager, department=dept_b, name="改名", active=True),
        lambda: staff.change_staff_user(actor=manager, user=manager_b, role=Role.OFFICER, department=None),
    ):
        with pytest.raises(PermissionDenied):
            call()
    # A manager may not put a user of its agency into another agency's department.
    with pytest.raises(staff.StaffError, match="科室"):
        staff.change_staff_user(actor=manager, user=tree.officer_a, role=Role.OFFICER, department=dept_b)


def test_only_managers_manage(tree: Tree) -> None:
    for actor in (tree.officer_a, tree.leader_a, tree.supervisor, tree.admin):
        with pytest.raises(PermissionDenied):
            staff.create_staff_user(actor=actor, username="x2", full_name="x", role=Role.OFFICER)


def test_users_the_admin_manages_are_out_of_reach(tree: Tree, managers: tuple[User, User]) -> None:
    manager, _ = managers
    local_supervisor = UserFactory(username="local_sup", agency=tree.street_a, role=Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        staff.set_user_active(actor=manager, user=local_supervisor, active=False)


def test_last_manager_cannot_deactivate_or_demote_themselves(tree: Tree, managers: tuple[User, User]) -> None:
    manager, _ = managers
    with pytest.raises(staff.StaffError, match="唯一"):
        staff.set_user_active(actor=manager, user=manager, active=False)
    with pytest.raises(staff.StaffError, match="唯一"):
        staff.change_staff_user(actor=manager, user=manager, role=Role.OFFICER, department=None)
    second = staff.create_staff_user(actor=manager, username="manager_a2", full_name="副管理员", role=Role.MANAGER)
    staff.set_user_active(actor=manager, user=manager, active=False)
    manager.refresh_from_db()
    assert not manager.is_active and second.is_active


def test_deactivated_user_cannot_log_in_and_reactivation_is_audited(tree: Tree, managers: tuple[User, User]) -> None:
    manager, _ = managers
    session = Client()
    session.force_login(tree.clerk_a)
    assert session.get(reverse("backoffice:home")).status_code == 200
    staff.set_user_active(actor=manager, user=tree.clerk_a, active=False, reason="调离")
    assert session.get(reverse("backoffice:home")).status_code == 302  # the open session ends
    login = Client().post(reverse("login"), {"username": "clerk_a", "password": "test-password-123"})
    html = login.content.decode()
    assert (
        login.status_code == 200 and ("已停用" in html or "不正确" in html) and "_auth_user_id" not in Client().session
    )
    staff.set_user_active(actor=manager, user=tree.clerk_a, active=True)
    actions = list(AuditEvent.objects.filter(object_id=str(tree.clerk_a.pk)).values_list("action", "changes"))
    assert ("user.deactivated", {"is_active": [True, False]}) in actions
    assert ("user.reactivated", {"is_active": [False, True]}) in actions


def test_departments(tree: Tree, managers: tuple[User, User]) -> None:
    manager, _ = managers
    dept = staff.create_department(actor=manager, name="民生保障办公室")
    with pytest.raises(staff.StaffError, match="已有"):
        staff.create_department(actor=manager, name="民生保障办公室")
    staff.change_staff_user(actor=manager, user=tree.clerk_a, role=Role.CLERK, department=dept)
    with pytest.raises(staff.StaffError, match="启用中的用户"):
        staff.change_department(actor=manager, department=dept, name="民生保障办公室", active=False)
    staff.change_department(actor=manager, department=dept, name="民生服务办公室", active=True)
    assert AuditEvent.objects.filter(action="department.changed", object_id=str(dept.pk)).exists()


def test_manager_reads_no_cases_and_supervisor_reads_the_roster_only(
    tree: Tree, managers: tuple[User, User], client: Client
) -> None:
    """A 本机关管理员 manages people, not records; a supervisor reads its agencies' roster, read-only."""
    manager, _ = managers
    case = CaseFactory(actor=tree.officer_a)
    assert not Case.objects.visible_to(manager).exists()
    client.force_login(manager)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code in (403, 404)
    client.force_login(tree.supervisor)
    roster = client.get(reverse("backoffice:staff_roster", args=[tree.street_a.pk]))
    html = roster.content.decode()
    assert roster.status_code == 200 and "manager_a" in html and "只读" in html and "生成设置密码链接" not in html
    assert client.get(reverse("backoffice:staff_roster", args=[tree.other_district.pk])).status_code == 404
    assert client.post(reverse("backoffice:staff_user_new"), {"username": "z"}).status_code == 403
    client.force_login(tree.other_supervisor)
    assert client.get(reverse("backoffice:staff_roster", args=[tree.street_a.pk])).status_code == 404


def test_django_admin_stays_for_system_administrators(tree: Tree, managers: tuple[User, User], client: Client) -> None:
    manager, _ = managers
    client.force_login(manager)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(tree.admin)
    assert client.get("/admin/accounts/user/").status_code == 200


def test_manager_reads_only_people_and_departments_in_the_audit_trail(
    tree: Tree, managers: tuple[User, User], client: Client
) -> None:
    manager, _ = managers
    CaseFactory(actor=tree.officer_a)
    staff.create_department(actor=manager, name="新科室")
    client.force_login(manager)
    html = client.get(reverse("backoffice:audit_list")).content.decode()
    rows = html.split("<tbody", 1)[1]
    assert "新建科室" in rows and "登记申请" not in rows and "案件" not in rows
    home = client.get(reverse("backoffice:home")).content.decode()
    assert "进入依申请公开工作台" not in home


def test_the_set_password_page_states_the_rules_and_refuses_in_chinese(tree: Tree) -> None:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = UserFactory(username="new_clerk", agency=tree.street_a, role=Role.CLERK, full_name="张伟")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    client = Client()
    form = client.get(f"/password/set/{uid}/{default_token_generator.make_token(user)}/", follow=True)
    page = form.content.decode()
    assert "密码至少包含 10 个字符。" in page and "密码不能包含本人姓名。" in page
    short = client.post(form.redirect_chain[-1][0], {"new_password1": "Kx9!short", "new_password2": "Kx9!short"})
    text = short.content.decode()
    assert short.status_code == 200 and "密码太短，至少需要 10 个字符。" in text
    assert not re.search(r"\b(This|Your) password\b", text)
