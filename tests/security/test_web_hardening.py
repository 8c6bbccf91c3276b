"""Web hardening (issue 11): lockout behind the proxy, portal search limits, headers, bad values.

Each test performs the attack through the test client and asserts the safe outcome.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"  # the TLS proxy: every request reaches Django from here


@pytest.fixture(autouse=True)
def _clean_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def _login(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {address}",
    )


# --- hole 4: lockout behind the proxy ---------------------------------------------------------


def test_a_stranger_cannot_lock_out_a_user_behind_the_proxy(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    stranger, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 3):
        _login(stranger, "officer_a", "wrong", "203.0.113.66")
    refused = _login(stranger, "officer_a", TEST_PASSWORD, "203.0.113.66")
    assert refused.status_code == 429
    # The real user, through the same proxy from their own desk, logs in.
    response = _login(colleague, "officer_a", TEST_PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert colleague.get(reverse("backoffice:home")).status_code == 200


def test_the_per_user_ceiling_locks_guessing_from_many_addresses(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LOGIN_FAILURE_CEILING = 12
    attacker = Client()
    for n in range(11):  # 3 tries from each address: never the per-address limit of 5
        assert _login(attacker, "officer_a", "wrong", f"203.0.113.{n // 3 + 1}").status_code == 200
    assert _login(attacker, "officer_a", "wrong", "203.0.113.9").status_code == 429  # the 12th
    response = _login(Client(), "officer_a", TEST_PASSWORD, "192.0.2.10")
    assert response.status_code == 429
    body = response.content.decode()
    assert "所有地址" in body and "15 分钟后再试" in body


def test_the_lockout_page_says_how_long_to_wait(tree, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "officer_a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "officer_a", "password": TEST_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "请在 15 分钟后再试" in body and "其他地址的登录不受影响" in body
    assert response["Retry-After"] == "900"


# --- hole 7: portal search rate limit --------------------------------------------------------


def test_search_is_limited_per_client_address(tree, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PORTAL_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.PORTAL_RATE_LIMITS = {"search": (5, 60)}
    flooder, citizen = Client(), Client()

    def search(client: Client, address: str) -> Any:
        return client.get(reverse("portal:search"), {"q": "预算"}, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)

    assert all(search(flooder, "203.0.113.66").status_code == 200 for _ in range(5))
    refused = search(flooder, "203.0.113.66")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert "检索过于频繁" in body and "每分钟最多5次" in body
    assert refused["Retry-After"] == "60"
    assert search(citizen, "192.0.2.10").status_code == 200  # another citizen behind the same proxy
    # Browsing without a query is never limited.
    assert (
        flooder.get(reverse("portal:search"), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 200
    )


# --- hole 12: bad values answer 400/404, never 500 -------------------------------------------


@pytest.mark.parametrize(
    "suffix",
    ["9999/", "99999999999/", "10000/preview.pdf", "2006/", "2101/start/", "0/", "-1/", "0999/preview.html"],
)
def test_report_years_outside_the_sane_range_are_404(tree, suffix: str) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(tree.officer_a)
    response = client.get(f"/office/reports/agency/{tree.street_a.pk}/{suffix}")
    assert response.status_code == 404, suffix


def test_a_sane_report_year_still_opens(tree) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(tree.officer_a)
    assert client.get(reverse("reports:agency_year", args=[tree.street_a.pk, 2025])).status_code == 200


@pytest.mark.parametrize("year", ["9999", "10000", "2006", "99999999999"])
def test_calendar_years_outside_the_sane_range_are_404(tree, year: str) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(tree.officer_a)
    assert client.get(f"/office/calendar/{year}/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/office/audit/?action=%00",
        "/office/audit/?action=x&page=%00",
        "/office/cases/?q=%00",
        "/office/publications/?q=a%00b",
        "/search/?q=%00",
        "/office/audit/?%00=1",
    ],
)
def test_nul_in_a_query_parameter_is_400_in_chinese(tree, url: str) -> None:  # type: ignore[no-untyped-def]
    client = Client(raise_request_exception=False)
    client.force_login(tree.officer_a)
    response = client.get(url)
    assert response.status_code == 400, url
    assert "不允许的控制字符" in response.content.decode()


# --- hole 14: Content-Security-Policy and no-store -------------------------------------------

CSP_SCRIPT = "script-src 'self'"


def _csp(response: Any) -> str:
    return str(response["Content-Security-Policy"])


def test_every_kind_of_page_has_a_strict_csp_and_personal_pages_no_store(tree) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import InProgressCase

    case = InProgressCase(actor=tree.officer_a)
    office = Client()
    office.force_login(tree.officer_a)
    admin = Client()
    admin.force_login(tree.admin)
    public = Client()
    personal = [
        (office, reverse("backoffice:home")),
        (office, reverse("cases:detail", args=[case.pk])),
        (office, reverse("cases:deadline", args=[case.pk])),
        (office, reverse("backoffice:audit_list")),
        (office, f"/api/cases/{case.pk}/"),
        (office, "/api/cases/"),
        (admin, "/admin/"),
        (admin, "/admin/accounts/user/"),
        (public, reverse("portal:track")),
        (public, reverse("login")),
    ]
    for client, url in personal:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        policy = _csp(response)
        assert "default-src 'self'" in policy and CSP_SCRIPT in policy, url
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0], url
    for url in [
        reverse("portal:index"),
        reverse("portal:search") + "?q=预算",
        reverse("portal:agency", args=[tree.street_a.code]),
    ]:
        response = public.get(url)
        assert response.status_code == 200 and "default-src 'self'" in _csp(response), url


def test_the_application_confirmation_is_not_stored(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    session["portal_submitted"] = {"code": "ABCD-EFGH", "number": "x", "agency": "甲", "agency_code": "D1-A"}
    session.save()
    response = client.get(reverse("portal:apply_done"))
    assert response.status_code == 200 and "ABCD-EFGH" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "default-src 'self'" in _csp(response)


def test_no_template_has_inline_script_or_javascript_links() -> None:
    from pathlib import Path

    import gongkai

    root = Path(gongkai.__file__).parent
    offending: list[str] = []
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8").lower()
        where = str(path.relative_to(root))
        needles = ("javascript:", " onclick=", " onload=", " onchange=", " onsubmit=")
        offending += [f"{where}: {needle}" for needle in needles if needle in text]
        tags = [chunk.split(">")[0] for chunk in text.split("<script")[1:]]
        offending += [f"{where}: inline <script>" for tag in tags if " src=" not in tag]
    assert offending == []


def test_the_deadline_page_prints_without_a_javascript_link(tree) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import InProgressCase

    case = InProgressCase(actor=tree.officer_a)
    client = Client()
    client.force_login(tree.officer_a)
    body = client.get(reverse("cases:deadline", args=[case.pk])).content.decode()
    assert "javascript:" not in body
    assert "data-print" in body and "gongkai/print.js" in body and "Ctrl+P" in body


# --- hole 13: the command line answers bad input with one Chinese line, exit 2 ----------------


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    from gongkai.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    return code, capsys.readouterr().err


def _one_chinese_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err and "Error" not in err, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["deadline", "--received", "9999-12-31"], "超出范围"),
        (["deadline", "--received", "2026-03-02", "--corrected", "0001-01-01"], "超出范围"),
        (["deadline", "--received", "2026-03-02", "--pause", "2026-03-09..9999-12-31"], "超出范围"),
        (["report", "--agency", "x", "--year", "10000"], "年度 “10000” 超出范围"),
        (["report", "--agency", "x", "--year", "0"], "超出范围"),
        (["report", "--agency", "x", "--year", "二〇二三"], "无效年度"),
        (["report", "--agency", "x"], "缺少必需的参数"),
        (["calendar", "show", "99999"], "超出范围"),
        (["remind", "--today", "9999-12-31"], "超出范围"),
    ],
)
def test_bad_command_arguments_are_one_line_exit_2(capsys, argv: list[str], fragment: str) -> None:  # type: ignore[no-untyped-def]
    code, err = _cli(capsys, *argv)
    assert code == 2
    assert fragment in _one_chinese_line(err)


@pytest.fixture
def report_folder(tmp_path: Path) -> Path:
    from tests.supervision.conftest import as_text, consistent

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_bytes(as_text(consistent("某机关", 2023)))
    return folder


def test_audit_dir_xlsx_into_a_directory_is_one_line(capsys, report_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, err = _cli(capsys, "audit-dir", str(report_folder), "--xlsx", str(tmp_path))
    assert code == 2
    line = _one_chinese_line(err)
    assert str(tmp_path) in line and "这是一个目录" in line


def test_audit_dir_xlsx_to_an_unwritable_path_is_one_line(capsys, report_folder: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "plain-file"
    blocker.write_text("x")
    target = blocker / "out.xlsx"  # its "folder" is a file: no user, not even root, can write here
    code, err = _cli(capsys, "audit-dir", str(report_folder), "--xlsx", str(target))
    assert code == 2
    line = _one_chinese_line(err)
    assert str(target) in line and "无法写入" in line
    missing = tmp_path / "no-such-folder" / "out.xlsx"
    code, err = _cli(capsys, "audit-dir", str(report_folder), "--xlsx", str(missing))
    assert code == 2 and "文件或目录不存在" in _one_chinese_line(err)
