"""The web foundation: the typed staff user, the one error mapping, the panel registry, the clock seam."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse

from gongkai import clock
from gongkai.cases.errors import StaleCaseError
from gongkai.core.errors import CalendarYearMissing, FeeError, InvalidTransition
from gongkai.web import panels as registry
from gongkai.web.auth import staff
from gongkai.web.errors import error_status, show_error
from gongkai.web.panels import Panel, collect_panels, register_panels


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (PermissionDenied("无权办理"), 403),
        (StaleCaseError("2026-1"), 409),
        (InvalidTransition("不能执行"), 409),
        (CalendarYearMissing(2031), 422),
        (FeeError("两种方式"), 400),
        (ValidationError("日期不能晚于今天"), 400),
    ],
)
def test_each_refusal_has_one_status(exc: Exception, status: int) -> None:
    assert error_status(exc) == status


def test_show_error_puts_every_message_on_the_page() -> None:
    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    status = show_error(request, ValidationError(["第一处错误", "第二处错误"]))
    assert status == 400
    assert [str(m) for m in get_messages(request)] == ["第一处错误", "第二处错误"]


@pytest.mark.django_db
def test_staff_is_the_logged_in_user_and_refuses_anonymous(tree) -> None:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = tree.officer_a
    assert staff(request) is tree.officer_a
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        staff(request)


def test_panels_are_collected_from_registered_providers_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_providers", [])

    def late(request: object) -> list[Panel]:
        return [Panel("后", "b.html", order=50)]

    def early(request: object) -> list[Panel]:
        return [Panel("前", "a.html", order=5)]

    register_panels(late)
    register_panels(early)
    register_panels(late)  # ready() may run twice: registered once
    assert [p.title for p in collect_panels(RequestFactory().get("/"))] == ["前", "后"]


def test_every_domain_app_panel_is_registered() -> None:
    modules = {provider.__module__ for provider in registry._providers}
    assert modules == {
        "gongkai.apiclients.panels",
        "gongkai.cases.panels",
        "gongkai.dashboards.agency_panels",  # 工作统计
        "gongkai.dashboards.console_panels",  # 催报 received
        "gongkai.letters.panels",  # 待我签批的文书, when something waits
        "gongkai.publications.panels",
        "gongkai.reports.panels",
        "gongkai.supervision.panels",
    }


@pytest.mark.django_db
def test_the_clock_seam_sets_the_day_of_the_pages(tree, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("gongkai.clock.today", lambda: dt.date(2031, 6, 1))
    assert clock.today() == dt.date(2031, 6, 1)
    client = Client()
    client.force_login(tree.supervisor)
    html = client.get(reverse("backoffice:home")).content.decode()
    assert "2030年政府信息公开工作年度报告" in html
