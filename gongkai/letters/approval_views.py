"""Thin views of 签批: a draft's page (text, chain, history, the step's buttons), its 签发 with
confirmation, its edit while with the drafter. Drafts are found through ``visible_to(user)``:
another agency's draft is a 404; who may act at a step is the services' check (403 otherwise).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.accounts.scoping import can_write
from gongkai.cases.models import Case, user_may_read_case
from gongkai.cases.selectors import DeskDays
from gongkai.core.approval import DraftEvent, DraftStatus
from gongkai.core.letters import LetterType
from gongkai.letters.approval_policy import may_act, may_sign, policy_of, rule_for, who_acts
from gongkai.letters.approvals import act, draft_text, facts_of, update_draft
from gongkai.letters.forms import DraftActForm, FactsForm, SignForm
from gongkai.letters.models import LetterDraft
from gongkai.letters.panels import late_warning
from gongkai.letters.services import require_writer
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.errors import USER_ERRORS, show_error

#: The events a form on the draft page may post (签发 goes through its confirmation page).
PAGE_EVENTS = frozenset({DraftEvent.SUBMIT, DraftEvent.APPROVE, DraftEvent.RETURN, DraftEvent.CANCEL})


# ---------------------------------------------------------------------------------------------
# Helpers for the case's letters page
# ---------------------------------------------------------------------------------------------


def issues_at_once(user: Any, case: Case, kind: LetterType) -> bool:
    """Whether the letters page issues ``kind`` at once (no step before 签发, ``user`` may sign,
    and an answer's case already closed) rather than drafting it for approval."""
    rule = rule_for(case.agency, kind, clock.today())
    return (
        rule.direct
        and may_sign(user, rule, case, user.department_id)
        and (kind.outcome is None or case.closed_on is not None)
    )


def draft_preview(user: Any, case: Case, kind: LetterType, facts: Any, today: dt.date) -> str:
    require_writer(user, case)
    return draft_text(case, kind, facts, today)


def drafts_of_case(user: Any, case: Case) -> list[LetterDraft]:
    drafts = list(
        LetterDraft.objects.visible_to(user)
        .filter(case=case)
        .select_related("drafted_by", "letter")
        .prefetch_related("actions__actor")
    )
    for draft in drafts:
        draft.user_may_act = may_act(user, draft, case)  # type: ignore[attr-defined]
    return drafts


def policy_rows(agency: Any) -> list[tuple[str, str]]:
    return [(subject.label, rule.describe()) for subject, rule in policy_of(agency, clock.today()).items()]


# ---------------------------------------------------------------------------------------------
# The draft's page
# ---------------------------------------------------------------------------------------------


def _draft(request: HttpRequest, pk: int) -> LetterDraft:
    return get_object_or_404(
        LetterDraft.objects.visible_to(request.user).select_related(
            "case", "case__agency", "case__agency__parent", "agency", "drafted_by", "letter"
        ),
        pk=pk,
    )


def _render_draft(
    request: HttpRequest,
    draft: LetterDraft,
    *,
    act_form: DraftActForm | None = None,
    edit_form: FactsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    case = draft.case
    today = clock.today()
    text, problem = "", ""
    if draft.letter_id:
        text = draft.letter.text if draft.letter else ""
    else:
        try:
            text = draft_text(case, draft.kind_enum, facts_of(draft), today)
        except USER_ERRORS as exc:
            problem = str(exc)
    editable = (
        draft.status_enum is DraftStatus.DRAFT and can_write(user, case.agency) and user_may_read_case(user, case)
    )
    rule = draft.rule if draft.status_enum is not DraftStatus.DRAFT else rule_for(case.agency, draft.kind_enum, today)
    steps = [(s.label.removeprefix("待"), s == draft.status_enum) for s in rule.steps]
    return render(
        request,
        "letters/draft.html",
        {
            "draft": draft,
            "case": case,
            "text": text,
            "problem": problem,
            "rule": rule,
            "steps": steps,
            "who": who_acts(draft),
            "actions": draft.actions.select_related("actor"),
            "may_act": may_act(user, draft, case),
            "editable": editable,
            "late": late_warning(case, DeskDays.of(today)),
            "act_form": act_form or DraftActForm(initial={"version": draft.version}),
            "edit_form": edit_form or FactsForm(initial=draft.facts or {}),
        },
        status=status,
    )


@roles(ALL_ROLES)
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/office/letters/draft/<pk>/: the draft's text (no number, no seal), chain and history."""
    return _render_draft(request, _draft(request, pk))


@roles(AGENCY_STAFF)
@require_POST
def draft_act(request: HttpRequest, pk: int) -> HttpResponse:
    """送审, 审核通过, 退回修改 (with a comment), 作废; a stale page gets 409 and the fresh draft."""
    draft = _draft(request, pk)
    form = DraftActForm(request.POST)
    try:
        event = DraftEvent(request.POST.get("event", ""))
    except ValueError:
        event = None
    if event is None or event not in PAGE_EVENTS:
        messages.error(request, "无效的操作")
        return _render_draft(request, draft, act_form=form, status=400)
    if not form.is_valid():
        return _render_draft(request, draft, act_form=form, status=422)
    try:
        draft = act(
            actor=staff(request),
            draft=draft,
            event=event,
            today=clock.today(),
            comment=form.cleaned_data["comment"],
            version=form.cleaned_data["version"],
        )
    except USER_ERRORS as exc:
        status = show_error(request, exc)
        return _render_draft(request, _draft(request, pk), act_form=form, status=status)
    messages.success(request, f"已{event.label}：当前环节“{draft.status_enum.label}”")
    return redirect("letters:draft", pk=draft.pk)


@roles(AGENCY_STAFF)
@require_POST
def draft_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft with the drafter (拟稿 or returned); "保存并送审" sends it on."""
    draft = _draft(request, pk)
    form = FactsForm(request.POST)
    version_form = DraftActForm(request.POST)
    if not form.is_valid() or not version_form.is_valid():
        return _render_draft(request, draft, edit_form=form, status=422)
    user = staff(request)
    today = clock.today()
    try:
        draft = update_draft(
            actor=user, draft=draft, facts=form.facts(), today=today, version=version_form.cleaned_data["version"]
        )
        if "submit" in request.POST:
            draft = act(
                actor=user,
                draft=draft,
                event=DraftEvent.SUBMIT,
                today=today,
                comment=version_form.cleaned_data["comment"],
                version=draft.version,
            )
    except USER_ERRORS as exc:
        status = show_error(request, exc)
        return _render_draft(request, _draft(request, pk), edit_form=form, status=status)
    messages.success(request, f"拟稿已保存，当前环节“{draft.status_enum.label}”")
    return redirect("letters:draft", pk=draft.pk)


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def draft_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """/office/letters/draft/<pk>/sign/: the letter as it will go out and a box to tick, then 签发."""
    draft = _draft(request, pk)
    user: Any = request.user
    form = SignForm(request.POST or None, initial={"version": draft.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                draft = act(
                    actor=staff(request),
                    draft=draft,
                    event=DraftEvent.SIGN,
                    today=clock.today(),
                    comment=form.cleaned_data["comment"],
                    version=form.cleaned_data["version"],
                )
            except USER_ERRORS as exc:
                status = show_error(request, exc)
                draft = _draft(request, pk)
            else:
                assert draft.letter is not None
                messages.success(request, f"已签发：{draft.letter.number}")
                return redirect(f"{reverse('letters:case', args=[draft.case_id])}#letter-{draft.letter_id}")
        else:
            status = 422
    text, problem = "", ""
    try:
        text = draft_text(draft.case, draft.kind_enum, facts_of(draft), clock.today())
    except USER_ERRORS as exc:
        problem = str(exc)
    return render(
        request,
        "letters/draft_sign.html",
        {
            "draft": draft,
            "case": draft.case,
            "form": form,
            "text": text,
            "problem": problem,
            "may_sign": draft.status_enum is DraftStatus.SIGN_OFF and may_act(user, draft),
            "closes": draft.kind_enum.outcome is not None and draft.case.closed_on is None,
            "late": late_warning(draft.case, DeskDays.of(clock.today())),
        },
        status=status,
    )
