"""Issue 11, holes 1, 11, 15, 17, 19: the audit trail holds no secret and shows each user only
what they may read, in Chinese; every admin write is audited; personal data is masked per
docs/personal-data.md; passwords may not be the user's 姓名 nor the published demo password.

Each test performs the attack (as the admin, a clerk, a supervisor …) and asserts the safe outcome.
"""

from __future__ import annotations

import io
import json

import pytest
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from openpyxl import load_workbook

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Department
from gongkai.audit.models import REDACTED, AuditEvent, AuditRedactionGrant
from gongkai.audit.services import AuditAction, record
from gongkai.backoffice.demo import DEMO_PASSWORD
from gongkai.core.ledger.columns import COLUMN_BY_KEY, LedgerColumn
from tests.conftest import Tree
from tests.factories import CaseFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Zq7-kettle-Orchid-93"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _all_audit_text() -> str:
    return json.dumps([[e.changes, e.note, e.object_repr] for e in AuditEvent.objects.all()], ensure_ascii=False)


# --- hole 1: no password in the trail; the redaction path --------------------------------------


def test_admin_adding_a_user_records_no_password(tree: Tree) -> None:
    response = _client(tree.admin).post(
        "/admin/accounts/user/add/",
        {
            "username": "new_officer",
            "password1": SECRET,
            "password2": SECRET,
            "usable_password": "true",
            "full_name": "王新",
            "agency": tree.street_a.pk,
            "role": Role.OFFICER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_officer")
    row = AuditEvent.objects.for_object(user).get(action=AuditAction.ADMIN_CHANGE)
    assert row.changes["username"] == "new_officer" and row.changes["role"] == Role.OFFICER
    assert "password1" not in row.changes and "password2" not in row.changes
    assert SECRET not in _all_audit_text()
    # Nor does a colleague of that agency read it at /office/audit/.
    page = _client(tree.officer_a).get("/office/audit/").content.decode()
    assert "new_officer" in page and SECRET not in page


def _leaked_row(tree: Tree) -> AuditEvent:
    """A row as the old admin wrote it, password included."""
    with transaction.atomic():
        return record(
            actor=tree.admin,
            action=AuditAction.ADMIN_CHANGE,
            target=tree.officer_a,
            changes={"username": "officer_a", "password1": SECRET, "password2": SECRET},
            note="新增",
        )


def test_redact_audit_command_removes_the_secret_in_place_and_is_audited(tree: Tree) -> None:
    row = _leaked_row(tree)
    out = io.StringIO()
    for field in ("password1", "password2"):
        call_command("redact_audit", row.pk, field, reason="误记密码", by=tree.admin.username, stdout=out)
    row = AuditEvent.objects.get(pk=row.pk)
    assert row.changes == {"username": "officer_a", "password1": REDACTED, "password2": REDACTED}
    assert row.note == "新增" and row.actor_id == tree.admin.pk
    assert SECRET not in _all_audit_text()
    trail = AuditEvent.objects.filter(action=AuditAction.REDACTED).order_by("id")
    assert [t.changes for t in trail] == [
        {"event": row.pk, "field": "password1"},
        {"event": row.pk, "field": "password2"},
    ]
    assert all(t.actor_id == tree.admin.pk and t.note.startswith("误记密码") for t in trail)
    assert not AuditRedactionGrant.objects.exists()
    assert "已抹除审计记录" in out.getvalue()


def test_redact_audit_refuses_unknown_fields_and_non_administrators(tree: Tree) -> None:
    row = _leaked_row(tree)
    with pytest.raises(CommandError, match="没有字段“secret”"):
        call_command("redact_audit", row.pk, "secret", reason="x", by=tree.admin.username)
    with pytest.raises(CommandError, match="不是有效的系统管理员"):
        call_command("redact_audit", row.pk, "password1", reason="x", by=tree.officer_a.username)
    with pytest.raises(CommandError, match="不存在"):
        call_command("redact_audit", 999999, "password1", reason="x", by=tree.admin.username)
    assert AuditEvent.objects.get(pk=row.pk).changes["password1"] == SECRET


def _raw_update(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _set_changes_sql() -> str:
    if connection.vendor == "postgresql":
        return "UPDATE audit_auditevent SET changes = jsonb_set(changes, ARRAY[%s]::text[], to_jsonb(%s::text)) WHERE id = %s"
    return "UPDATE audit_auditevent SET changes = json_set(changes, '$.\"' || %s || '\"', %s) WHERE id = %s"


@pytest.mark.parametrize(
    ("granted", "field", "value", "also_note"),
    [
        (None, "password1", REDACTED, False),  # no grant at all
        ("password1", "password2", REDACTED, False),  # another key than the granted one
        ("password1", "password1", "forged", False),  # another value than the marker
        ("password1", "password1", REDACTED, True),  # another column too
    ],
)
def test_trigger_allows_only_the_granted_redaction(tree: Tree, granted, field, value, also_note) -> None:  # type: ignore[no-untyped-def]
    row = _leaked_row(tree)
    if granted is not None:
        AuditRedactionGrant.objects.create(event=row, field=granted)
    sql = _set_changes_sql()
    if also_note:
        sql = sql.replace(" WHERE", ", note = 'tampered' WHERE")
    with pytest.raises(DatabaseError, match="append-only"):
        _raw_update(sql, [field, value, row.pk])
    assert AuditEvent.objects.get(pk=row.pk).changes["password1"] == SECRET


def test_trigger_allows_the_granted_redaction(tree: Tree) -> None:
    row = _leaked_row(tree)
    with transaction.atomic():
        AuditRedactionGrant.objects.create(event=row, field="password1")
        _raw_update(_set_changes_sql(), ["password1", REDACTED, row.pk])
    assert AuditEvent.objects.get(pk=row.pk).changes["password1"] == REDACTED


# --- hole 15: every admin write is audited -----------------------------------------------------


def test_admin_bulk_delete_leaves_a_row_per_object(tree: Tree) -> None:
    groups = [Group.objects.create(name=f"组{i}") for i in range(2)]
    response = _client(tree.admin).post(
        "/admin/auth/group/",
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Group.objects.exists()
    rows = AuditEvent.objects.filter(object_type="auth.group", note="批量删除")
    assert sorted(r.object_id for r in rows) == sorted(str(g.pk) for g in groups)
    assert all(r.actor_id == tree.admin.pk for r in rows)


def test_admin_password_change_is_audited_without_the_password(tree: Tree) -> None:
    response = _client(tree.admin).post(
        f"/admin/accounts/user/{tree.officer_a.pk}/password/",
        {"password1": SECRET, "password2": SECRET, "usable_password": "true"},
    )
    assert response.status_code == 302
    tree.officer_a.refresh_from_db()
    assert tree.officer_a.check_password(SECRET)
    row = AuditEvent.objects.for_object(tree.officer_a).get(action=AuditAction.ADMIN_PASSWORD_CHANGED)
    assert row.actor_id == tree.admin.pk and row.agency_id == tree.street_a.pk
    assert SECRET not in _all_audit_text()


def test_admin_inline_department_changes_are_audited(tree: Tree) -> None:
    agency = tree.street_b
    client = _client(tree.admin)
    page = client.get(f"/admin/agencies/agency/{agency.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k != "path"}
    data["parent"] = agency.parent_id or ""
    data.update(
        {
            "departments-TOTAL_FORMS": "1",
            "departments-INITIAL_FORMS": "0",
            "departments-MIN_NUM_FORMS": "0",
            "departments-MAX_NUM_FORMS": "1000",
            "departments-0-name": "新设科室",
        }
    )
    response = client.post(f"/admin/agencies/agency/{agency.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    department = Department.objects.get(agency=agency, name="新设科室")
    row = AuditEvent.objects.for_object(department).get()
    assert row.changes["name"] == "新设科室" and row.note == "新增"


# --- hole 11: the audit list through the targets' visible_to, in Chinese ------------------------


@pytest.fixture
def departments(tree: Tree) -> tuple[Department, Department, User]:
    office = Department.objects.create(agency=tree.street_a, name="党政办公室")
    city = Department.objects.create(agency=tree.street_a, name="城市管理办公室")
    clerk = UserFactory(username="clerk_city", agency=tree.street_a, role=Role.CLERK, department=city)
    return office, city, clerk


def test_clerk_reads_audit_rows_of_own_cases_only(tree: Tree, departments) -> None:  # type: ignore[no-untyped-def]
    office, city, clerk = departments
    theirs = CaseFactory(actor=tree.officer_a, department=city, applicant_name="本科室申请人")
    other = CaseFactory(actor=tree.officer_a, department=office, applicant_name="他科室申请人")
    _client(tree.leader_a)  # a colleague's login: a row about another account
    page = _client(clerk).get("/office/audit/").content.decode()
    assert theirs.number in page
    assert other.number not in page
    # The officer of the agency sees both, the other agency's officer neither.
    assert other.number in _client(tree.officer_a).get("/office/audit/").content.decode()
    assert theirs.number not in _client(tree.officer_b).get("/office/audit/").content.decode()
    # Rows about colleagues' accounts are not the clerk's; their own login is.
    assert tree.leader_a.display_name not in page
    assert clerk.display_name in page


def test_audit_list_is_in_chinese(tree: Tree) -> None:
    case = CaseFactory(actor=tree.officer_a)
    page = _client(tree.officer_a).get("/office/audit/").content.decode()
    assert case.number in page
    assert "登记申请" in page and "case.registered" not in page.split("<tbody>")[1]
    assert "案件编号" in page  # the field's label, not its name
    assert "{&#x27;" not in page and "{'" not in page  # no Python dict


def test_audit_list_survives_a_nul_filter(tree: Tree) -> None:
    """A NUL byte is refused with a Chinese 400 before any query (PostgreSQL would raise a 500)."""
    response = _client(tree.officer_a).get("/office/audit/", {"action": "\x00"})
    assert response.status_code == 400 and "查询参数" in response.content.decode()


# --- hole 17: personal data per docs/personal-data.md --------------------------------------------

ID_NUMBER = "110101199001011234"
PHONE = "13812345678"


@pytest.fixture
def case(tree: Tree):  # type: ignore[no-untyped-def]
    return CaseFactory(actor=tree.officer_a, id_number=ID_NUMBER, phone=PHONE)


def test_admin_case_page_shows_no_identity_number_nor_applicant_key(tree: Tree, case) -> None:  # type: ignore[no-untyped-def]
    page = _client(tree.admin).get(f"/admin/cases/case/{case.pk}/change/").content.decode()
    assert case.number in page
    assert ID_NUMBER not in page and case.applicant_key not in page
    assert PHONE not in page
    assert "110***********1234" in page and "138****5678" in page


def test_case_page_masks_phone_and_identity_for_the_supervisor(tree: Tree, case) -> None:  # type: ignore[no-untyped-def]
    officer = _client(tree.officer_a).get(f"/office/cases/{case.pk}/").content.decode()
    assert ID_NUMBER in officer and PHONE in officer
    supervisor = _client(tree.supervisor).get(f"/office/cases/{case.pk}/")
    assert supervisor.status_code == 200
    text = supervisor.content.decode()
    assert ID_NUMBER not in text and PHONE not in text and "138****5678" in text


def test_api_returns_full_identity_number_only_to_the_roles_that_handle_the_case(tree: Tree, case) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/cases/{case.pk}/"
    assert _client(tree.officer_a).get(url).json()["id_number"] == ID_NUMBER
    for user in (tree.supervisor, tree.admin):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert ID_NUMBER not in response.content.decode() and PHONE not in response.content.decode()
    listing = _client(tree.officer_a).get("/api/cases/").content.decode()
    assert ID_NUMBER not in listing and PHONE not in listing


def test_ledger_export_masks_the_phone(tree: Tree, case) -> None:  # type: ignore[no-untyped-def]
    response = _client(tree.officer_a).get("/office/letters/ledger/export/", {"agency": tree.street_a.pk, "year": 2026})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    assert row[header.index(COLUMN_BY_KEY[LedgerColumn.CONTACT].label)] == "138****5678"
    assert row[header.index(COLUMN_BY_KEY[LedgerColumn.ID_NUMBER].label)] == "110***********1234"


# --- hole 19: password rules ------------------------------------------------------------------


def test_admin_refuses_the_users_own_name_as_password(tree: Tree) -> None:
    name = "欧阳建国"
    response = _client(tree.admin).post(
        "/admin/accounts/user/add/",
        {
            "username": "ouyang",
            "password1": name * 4,
            "password2": name * 4,
            "usable_password": "true",
            "full_name": name,
            "agency": tree.street_a.pk,
            "role": Role.OFFICER,
        },
    )
    assert response.status_code == 200
    assert "密码不能包含本人姓名" in response.content.decode()
    assert not User.objects.filter(username="ouyang").exists()


@pytest.mark.parametrize("password", ["张伟张伟张伟张伟张伟", "zw-张伟-2024!", "张 伟张伟张伟x9"])
def test_full_name_in_the_password_is_refused(tree: Tree, password: str) -> None:
    tree.officer_a.full_name = "张伟"
    with pytest.raises(ValidationError, match="本人姓名"):
        validate_password(password, tree.officer_a)


def test_demo_password_refused_with_debug_off_only(tree: Tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(ValidationError, match="演示密码"):
        validate_password(DEMO_PASSWORD, tree.officer_a)
    settings.DEBUG = True
    validate_password(DEMO_PASSWORD, tree.officer_a)  # `make run` logs in with it
