"""Back-office pages of 主动公开 (/office/publications/): thin — parse, call a service, render.

Every read starts from ``visible_to(request.user)``; every write is a service call, whose
``PermissionDenied`` becomes a 403 and whose ``GongkaiError`` becomes a message on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.accounts.models import Role
from gongkai.accounts.scoping import can_write
from gongkai.agencies.models import Agency
from gongkai.core.errors import GongkaiError
from gongkai.core.publication_flow import ItemAction, ItemStatus, SecrecyVerdict, allowed_actions
from gongkai.core.publication_timeliness import timeliness
from gongkai.publications import services
from gongkai.publications.downloads import attachment_response
from gongkai.publications.errors import ImportFileError
from gongkai.publications.forms import (
    AbolishForm,
    Article20Form,
    AttachmentForm,
    CategoryForm,
    GuideForm,
    ImportForm,
    ItemFilter,
    ItemForm,
    RegisterForm,
    ReviewForm,
    WithdrawForm,
)
from gongkai.publications.imports import MAX_IMPORT_BYTES, import_article20
from gongkai.publications.models import (
    Article20Figures,
    Attachment,
    Guide,
    Item,
    RegisterDocument,
    SecrecyReview,
)
from gongkai.publications.selectors import catalogue_tree, register_counts
from gongkai.publications.timeliness import working_calendar
from gongkai.web.access import AGENCY_STAFF, ALL_ROLES, roles
from gongkai.web.auth import staff
from gongkai.web.errors import show_error


def _own_agency(request: HttpRequest) -> Agency:
    """The agency whose records ``request.user`` changes; 403 for users who change none."""
    user: Any = request.user
    agency = user.agency
    if agency is None or not can_write(user, agency):
        raise PermissionDenied("只有本机关工作人员可以进行此操作")
    return agency  # type: ignore[no-any-return]


def _attempt(request: HttpRequest, call: Callable[[], Any], success: str) -> bool:
    """Run a service call; a rule it refuses becomes an error message instead of a 500."""
    try:
        call()
    except GongkaiError as exc:
        show_error(request, exc)
        return False
    if success:
        messages.success(request, success)
    return True


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------


@roles(ALL_ROLES)
def item_list(request: HttpRequest) -> HttpResponse:
    base = Item.objects.visible_to(request.user).select_related("agency", "category")
    filterset = ItemFilter(request.GET or None, queryset=base)
    qs = filterset.qs if filterset.is_valid() else base
    page = Paginator(qs.order_by("-updated_at", "-id"), 30).get_page(request.GET.get("page"))
    counts = dict(base.values_list("status").annotate(n=Count("id")).order_by())
    user: Any = request.user
    return render(
        request,
        "publications/item_list.html",
        {
            "filter": filterset,
            "page": page,
            "counts": [(s, counts.get(s.value, 0)) for s in ItemStatus],
            "can_create": user.agency is not None and can_write(user, user.agency),
        },
    )


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def item_create(request: HttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    tree = catalogue_tree(agency)
    if not tree.roots:
        messages.warning(request, "本机关还没有公开目录，请先建立目录。")
        return redirect("publications:catalogue")
    form = ItemForm(request.POST or None, tree=tree, initial={"formed_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        item = None

        def create() -> None:
            nonlocal item
            item = services.create_draft(actor=staff(request), agency=agency, **form.cleaned_data)

        if _attempt(request, create, "已保存为草稿。") and item is not None:
            return redirect("publications:item_detail", pk=item.pk)
    return render(request, "publications/item_form.html", {"form": form, "item": None})


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("agency"), pk=pk)
    if not can_write(request.user, item.agency):
        raise PermissionDenied("只能修改本机关的信息")
    if ItemAction.EDIT not in allowed_actions(ItemStatus(item.status)):
        messages.error(request, f"该信息处于“{item.status_label}”状态，不能修改。")
        return redirect("publications:item_detail", pk=item.pk)
    tree = catalogue_tree(item.agency)
    initial = {f: getattr(item, f) for f in services.EDITABLE_FIELDS}
    initial["category"] = item.category_id
    form = ItemForm(request.POST or None, tree=tree, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if k in services.EDITABLE_FIELDS}
        note = "已保存。" if item.status == ItemStatus.DRAFT else "已保存，信息已退回草稿，须重新进行保密审查。"
        if _attempt(request, lambda: services.update_item(actor=staff(request), item=item, **changes), note):
            return redirect("publications:item_detail", pk=item.pk)
    return render(request, "publications/item_form.html", {"form": form, "item": item})


@roles(ALL_ROLES)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(
        Item.objects.visible_to(request.user).select_related(
            "agency", "category", "author", "reviewed_by", "published_by"
        ),
        pk=pk,
    )
    user: Any = request.user
    writable = can_write(user, item.agency)
    actions = set(allowed_actions(ItemStatus(item.status))) if writable else set()
    role = user.role
    check = None
    if item.published_on is not None:
        check = timeliness(item.formed_on, item.published_on, working_calendar())
    return render(
        request,
        "publications/item_detail.html",
        {
            "item": item,
            "attachments": item.attachments.all(),
            "reviews": SecrecyReview.objects.filter(item=item).select_related("reviewer"),
            "timeliness": check,
            "can_edit": ItemAction.EDIT in actions and role in services.DRAFTING_ROLES,
            "can_submit": ItemAction.SUBMIT in actions and role in services.DRAFTING_ROLES,
            "can_review": bool(actions & {ItemAction.CLEAR, ItemAction.CLASSIFY})
            and role in services.REVIEWER_ROLES
            and user.pk != item.author_id,
            "review_blocked_for_author": bool(actions & {ItemAction.CLEAR}) and user.pk == item.author_id,
            "can_publish": ItemAction.PUBLISH in actions and role in services.PUBLISHER_ROLES,
            "can_withdraw": ItemAction.WITHDRAW in actions and role in services.PUBLISHER_ROLES,
            "attachment_form": AttachmentForm(),
            "review_form": ReviewForm(initial={"result": SecrecyVerdict.NOT_CLASSIFIED}),
            "withdraw_form": WithdrawForm(),
            "published_view": reverse("portal:item", args=[item.pk]) if item.is_public else None,
        },
    )


def _item_for_write(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(Item.objects.visible_to(request.user).select_related("agency"), pk=pk)
    if not can_write(request.user, item.agency):
        raise PermissionDenied("只能处理本机关的信息")
    return item


@roles(AGENCY_STAFF)
@require_POST
def item_submit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    _attempt(
        request,
        lambda: services.submit_for_review(actor=staff(request), item=item),
        "已提交保密审查。",
    )
    return redirect("publications:item_detail", pk=pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def item_review(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审查结论。")
    else:
        result = SecrecyVerdict(form.cleaned_data["result"])
        _attempt(
            request,
            lambda: services.record_secrecy_review(
                actor=staff(request),
                item=item,
                result=result,
                notes=form.cleaned_data["notes"],
            ),
            "已记录保密审查：涉密，该信息不得公开。"
            if result is SecrecyVerdict.CLASSIFIED
            else "已记录保密审查：不涉密，可以发布。",
        )
    return redirect("publications:item_detail", pk=pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    try:
        outcome = services.publish(actor=staff(request), item=item, today=clock.today())
    except GongkaiError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "已发布。")
        check = outcome.timeliness
        if check.late is not False:
            messages.warning(request, f"公开时限：{check.message}")
    return redirect("publications:item_detail", pk=pk)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def item_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "撤回须说明原因。")
    else:
        _attempt(
            request,
            lambda: services.withdraw(
                actor=staff(request),
                item=item,
                reason=form.cleaned_data["reason"],
                today=clock.today(),
            ),
            "已撤回，门户不再显示该信息。",
        )
    return redirect("publications:item_detail", pk=pk)


@roles(AGENCY_STAFF)
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要上传的文件。")
    else:
        _attempt(
            request,
            lambda: services.add_attachment(
                actor=staff(request),
                item=item,
                upload=form.cleaned_data["file"],
            ),
            "附件已上传。",
        )
    return redirect("publications:item_detail", pk=pk)


@roles(AGENCY_STAFF)
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    item = _item_for_write(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, item=item)
    _attempt(
        request,
        lambda: services.remove_attachment(actor=staff(request), attachment=attachment),
        "附件已删除。",
    )
    return redirect("publications:item_detail", pk=pk)


@roles(ALL_ROLES)
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    item = get_object_or_404(Item.objects.visible_to(request.user), pk=pk)
    return attachment_response(get_object_or_404(Attachment, pk=attachment_pk, item=item))


# ---------------------------------------------------------------------------------------------
# Catalogue, guide
# ---------------------------------------------------------------------------------------------


@roles(AGENCY_STAFF)
@require_http_methods(["GET", "POST"])
def catalogue(request: HttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    tree = catalogue_tree(agency)
    form = CategoryForm(request.POST or None, tree=tree)
    if request.method == "POST":
        if "seed" in request.POST:
            _attempt(
                request,
                lambda: services.seed_catalogue(actor=staff(request), agency=agency),
                "已建立常用公开目录。",
            )
            return redirect("publications:catalogue")
        if form.is_valid() and _attempt(
            request,
            lambda: services.create_category(
                actor=staff(request),
                agency=agency,
                name=form.cleaned_data["name"],
                parent=form.cleaned_data["parent"],
            ),
            "已添加目录。",
        ):
            return redirect("publications:catalogue")
    counts = dict(Item.objects.filter(agency=agency).values_list("category_id").annotate(n=Count("id")).order_by())
    rows = [(depth, node, counts.get(node.id, 0)) for depth, node in tree.flat()]
    return render(request, "publications/catalogue.html", {"rows": rows, "form": form, "agency": agency})


@roles(Role.OFFICER, Role.LEADER)
@require_http_methods(["GET", "POST"])
def guide_edit(request: HttpRequest) -> HttpResponse:
    agency = _own_agency(request)
    guide = Guide.objects.filter(agency=agency).first()
    if guide is None:
        from gongkai.publications.guide import default_guide

        initial = default_guide(agency)
    else:
        initial = guide.body
    form = GuideForm(request.POST or None, initial={"body": initial})
    if (
        request.method == "POST"
        and form.is_valid()
        and _attempt(
            request,
            lambda: services.update_guide(actor=staff(request), agency=agency, body=form.cleaned_data["body"]),
            "指南已更新，门户即时显示。",
        )
    ):
        return redirect("publications:guide")
    return render(request, "publications/guide_form.html", {"form": form, "guide": guide, "agency": agency})


# ---------------------------------------------------------------------------------------------
# Register, article 20 figures, imports
# ---------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return clock.today().year
    return year if 1990 <= year <= 2200 else clock.today().year


@roles(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    docs = RegisterDocument.objects.visible_to(user).select_related("agency")
    year = _year(request)
    writable = user.agency is not None and can_write(user, user.agency)
    form = RegisterForm(request.POST or None)
    if request.method == "POST":
        agency = _own_agency(request)
        if form.is_valid() and _attempt(
            request, lambda: services.register_document(actor=user, agency=agency, **form.cleaned_data), "已登记。"
        ):
            return redirect("publications:register")
    counts = register_counts(user.agency, year) if user.agency else {}
    return render(
        request,
        "publications/register.html",
        {
            "docs": docs,
            "form": form,
            "writable": writable,
            "year": year,
            "counts": counts,
            "abolish_form": AbolishForm(),
        },
    )


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def register_abolish(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_object_or_404(RegisterDocument.objects.visible_to(request.user), pk=pk)
    form = AbolishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写废止日期。")
    else:
        _attempt(
            request,
            lambda: services.abolish_document(
                actor=staff(request),
                document=document,
                **form.cleaned_data,
            ),
            "已登记废止。",
        )
    return redirect("publications:register")


@roles(ALL_ROLES)
@require_http_methods(["GET", "POST"])
def figures(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    rows = Article20Figures.objects.visible_to(user).select_related("agency", "updated_by")
    writable = user.agency is not None and can_write(user, user.agency)
    form = Article20Form(request.POST or None, initial={"year": clock.today().year - 1})
    if request.method == "POST":
        agency = _own_agency(request)
        if form.is_valid():
            data = form.cleaned_data
            values = services.Article20Input(
                data["year"], data["licensing"], data["punishment"], data["coercion"], data["fees_10k_yuan"]
            )
            if _attempt(
                request,
                lambda: services.set_article20_figures(
                    actor=user, agency=agency, values=values, source_note=data["source_note"]
                ),
                f"已保存{data['year']}年的第二十条数据。",
            ):
                return redirect("publications:figures")
    return render(
        request,
        "publications/figures.html",
        {"rows": rows, "form": form, "writable": writable, "import_form": ImportForm()},
    )


def _import(request: HttpRequest, run: Callable[..., list[Any]], success: str, back: str) -> HttpResponse:
    agency = _own_agency(request)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择要导入的文件。")
        return redirect(back)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_IMPORT_BYTES:
        messages.error(request, f"{upload.name}：文件大小超过 {MAX_IMPORT_BYTES // (1024 * 1024)} MB")
        return redirect(back)
    try:
        created = run(actor=staff(request), agency=agency, data=upload.read(), filename=upload.name)
    except ImportFileError as exc:
        return render(
            request, "publications/import_errors.html", {"errors": exc.errors, "back": reverse(back)}, status=400
        )
    except GongkaiError as exc:
        show_error(request, exc)
        return redirect(back)
    messages.success(request, success.format(n=len(created)))
    return redirect(back)


@roles(Role.OFFICER, Role.LEADER)
@require_POST
def figures_import(request: HttpRequest) -> HttpResponse:
    return _import(request, import_article20, "已导入{n}个年度的第二十条数据。", "publications:figures")


@roles(ALL_ROLES)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Items waiting for 保密审查 and reviewed items waiting for publication."""
    qs = Item.objects.visible_to(request.user).select_related("author", "category")
    return render(
        request,
        "publications/review_queue.html",
        {
            "pending": qs.filter(status=ItemStatus.PENDING_REVIEW).order_by("updated_at"),
            "cleared": qs.filter(status=ItemStatus.CLEARED).order_by("updated_at"),
        },
    )


# ---------------------------------------------------------------------------------------------
# 依申请转主动 (条例 art 44)
# ---------------------------------------------------------------------------------------------


def _case_ids(request: HttpRequest) -> list[int]:
    try:
        return [int(v) for v in request.POST.getlist("case")][:200]
    except ValueError:
        return []


@roles(Role.OFFICER, Role.LEADER)
@require_http_methods(["GET", "POST"])
def suggestions(request: HttpRequest) -> HttpResponse:
    from gongkai.publications.suggestions import suggestions as find

    agency = _own_agency(request)
    tree = catalogue_tree(agency)
    if request.method == "POST":
        ids = _case_ids(request)
        if "dismiss" in request.POST:
            _attempt(
                request,
                lambda: services.dismiss_suggestion(
                    actor=staff(request),
                    agency=agency,
                    case_ids=ids,
                    note=request.POST.get("note", "")[:2000],
                ),
                "已记录：不纳入主动公开。",
            )
            return redirect("publications:suggestions")
        node = (
            tree.by_id.get(int(request.POST.get("category") or 0))
            if (request.POST.get("category") or "").isdigit()
            else None
        )
        title = request.POST.get("title", "").strip()[:300]
        if node is None or not title:
            messages.error(request, "请填写标题并选择公开目录。")
            return redirect("publications:suggestions")
        created: list[Item] = []
        if _attempt(
            request,
            lambda: created.append(
                services.adopt_suggestion(
                    actor=staff(request),
                    agency=agency,
                    case_ids=ids,
                    category=node.category,
                    title=title,
                    formed_on=clock.today(),
                )
            ),
            "已起草主动公开信息，请完善正文后提交保密审查。",
        ):
            return redirect("publications:item_edit", pk=created[0].pk)
        return redirect("publications:suggestions")
    return render(
        request,
        "publications/suggestions.html",
        {
            "suggestions": find(agency, today=clock.today()),
            "categories": [(depth, node) for depth, node in tree.flat()],
        },
    )
