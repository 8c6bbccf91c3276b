"""The public portal (no login): each agency's 指南, 目录, items and annual reports, search, the
online application and its status page. Server-rendered; works without JavaScript.

Only published items are shown: every item query starts from ``Item.objects.published()``
(status 已发布 and not 涉密 — the database refuses any other combination anyway).
"""

from __future__ import annotations

import hmac
import html
import logging
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from gongkai import clock
from gongkai.agencies.models import Agency
from gongkai.core.errors import GongkaiError
from gongkai.portal import applicant, ratelimit, seams
from gongkai.portal.caching import agency_by_code, agency_of_item, cached_page, cached_response, whole_portal
from gongkai.portal.forms import ApplicationForm, TrackForm, phone_digits
from gongkai.publications.downloads import attachment_response
from gongkai.publications.guide import default_guide
from gongkai.publications.models import Attachment, Guide, Item
from gongkai.publications.public_cache import memoized, versions
from gongkai.publications.selectors import MAX_QUERY_LENGTH, catalogue_tree, search_page
from gongkai.web.client import client_ip

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
#: An application form is a few KB; anything much larger is not a person typing.
MAX_APPLICATION_BYTES = 64 * 1024
SUBMITTED_KEY = "portal_submitted"
TRACKED_KEY = applicant.TRACKED_KEY


def _param(request: HttpRequest, name: str, limit: int = 200) -> str:
    """A query-string value without NUL and other control characters (never valid input here)."""
    return "".join(ch for ch in request.GET.get(name, "")[:limit] if ch >= " ")


def _agency(code: str) -> Agency:
    if any(ch < " " for ch in code):
        raise Http404("机关不存在")
    return get_object_or_404(Agency.objects.active(), code=code)


def _page(request: HttpRequest, qs: Any, *related: str, count: int | None = None) -> Any:
    """One page of ``qs``: the ids first (from an index, however deep the page), then their rows.

    ``count``, when the caller knows it, saves counting the rows again."""
    paginator = Paginator(qs.values_list("pk", flat=True), PAGE_SIZE)
    if count is not None:
        paginator.__dict__["count"] = count  # Paginator.count is a cached_property
    page = paginator.get_page(request.GET.get("page"))
    ids = list(page.object_list)
    rows = (Item.objects.select_related(*related) if related else Item.objects.all()).in_bulk(ids)
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


def _public_items() -> Any:
    return Item.objects.published()


@cached_page(whole_portal)
def index(request: HttpRequest) -> HttpResponse:
    agencies = Agency.objects.active().order_by("path")
    latest = _public_items().select_related("agency").order_by("-published_on", "-id")[:10]
    return render(request, "portal/index.html", {"agencies": agencies, "latest": latest, "nav": "home"})


@cached_page(agency_by_code)
def agency_home(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    tree = catalogue_tree(agency, with_counts=True)
    latest = _public_items().filter(agency=agency).order_by("-published_on", "-id")[:10]
    return render(
        request,
        "portal/agency.html",
        {
            "agency": agency,
            "tree": tree,
            "latest": latest,
            "reports": seams.annual_reports(agency)[:5],
        },
    )


def guide(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    stored = Guide.objects.filter(agency=agency).first()
    return render(
        request,
        "portal/guide.html",
        {
            "agency": agency,
            "body": stored.body if stored else default_guide(agency),
            "guide": stored,
        },
    )


@cached_page(agency_by_code)
def catalogue(request: HttpRequest, code: str, category: int | None = None) -> HttpResponse:
    agency = _agency(code)
    tree = catalogue_tree(agency, with_counts=True)
    items = _public_items().filter(agency=agency)
    current = None
    if category is not None:
        current = tree.by_id.get(category)
        if current is None:
            raise Http404("目录不存在")
        # The agency's own categories: filtering on them alone lets the category index answer.
        items = _public_items().filter(category_id__in=tree.descendant_ids(category))
    # The tree's counts are of published items by category, so they count this list too.
    total = current.count if current is not None else sum(node.count for node in tree.roots)
    page = _page(request, items.order_by("-published_on", "-id"), count=total)
    return render(
        request,
        "portal/catalogue.html",
        {
            "agency": agency,
            "tree": tree,
            "current": current,
            "page": page,
            "breadcrumbs": tree.ancestors(category) if category is not None else [],
        },
    )


@cached_page(agency_of_item)
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        _public_items()
        .select_related("agency", "category")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id"))),
        pk=pk,
    )
    tree = catalogue_tree(found.agency)
    return render(
        request,
        "portal/item.html",
        {
            "item": found,
            "agency": found.agency,
            "breadcrumbs": tree.ancestors(found.category_id),
        },
    )


def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponseBase:
    found = get_object_or_404(Item.objects.published(), pk=pk)
    return attachment_response(get_object_or_404(Attachment, pk=attachment_pk, item=found))


def search(request: HttpRequest) -> HttpResponseBase:
    query = _param(request, "q").strip()
    if query:
        rule = ratelimit.limit("search")
        if not ratelimit.hit(rule, client_ip(request) or "unknown"):
            return _too_many(request, rule, "检索", advice="请稍后再试，或按目录浏览。")
    # The page lists every agency and searches every agency's items: it follows the whole portal's
    # version; served from the cache to visitors without a session (gongkai.portal.caching).
    return cached_response(request, None, lambda: _search_page(request, query))


def search_agency_options() -> list[tuple[int, str, str]]:
    """The active agencies in tree order as ``(pk, code, '<option …>')``, escaped with html.escape
    (not the template engine: a province-wide portal lists thousands). Read once per version of
    the whole portal (an agency's change bumps it): 3,000 agencies cost ~10 ms on every search."""

    def read() -> list[tuple[int, str, str]]:
        rows = Agency.objects.active().order_by("path").values_list("pk", "code", "name")
        return [
            (pk, code, f'<option value="{html.escape(code)}">{html.escape(name)}</option>') for pk, code, name in rows
        ]

    return memoized("search-agency-options", read)


def _search_page(request: HttpRequest, query: str) -> HttpResponse:
    code = _param(request, "agency", 32)
    choices = search_agency_options()
    selected = next((pk for pk, c, _ in choices if c == code), None) if code else None
    agency = Agency.objects.filter(pk=selected).first() if selected is not None else None
    options = mark_safe(  # noqa: S308 - every value was escaped when the list was read
        "".join(option.replace('">', '" selected>', 1) if pk == selected else option for pk, _, option in choices)
    )
    page = None
    if query:
        qs = _public_items()
        if agency is not None:
            qs = qs.filter(agency=agency)
        # The count and the page's ids are cached under the searched scope's public version.
        scope = agency.pk if agency is not None else None
        page = search_page(
            qs,
            query,
            page=request.GET.get("page"),
            per_page=PAGE_SIZE,
            related=("agency",),
            cache_as=f"{scope or 'all'}:{versions(scope)}",
        )
    return render(
        request,
        "portal/search.html",
        {
            "query": query,
            "page": page,
            "agency_options": options,
            "agency": agency,
            "truncated": len(query) > MAX_QUERY_LENGTH,
            "max_length": MAX_QUERY_LENGTH,
            "nav": "search",
        },
    )


def reports(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    return render(request, "portal/reports.html", {"agency": agency, "reports": seams.annual_reports(agency)})


def report_document(request: HttpRequest, code: str, pk: int, fmt: str) -> HttpResponse:
    response = seams.annual_report_document(_agency(code), pk, fmt)
    if response is None:
        raise Http404("年度报告不存在")
    return response


# ---------------------------------------------------------------------------------------------
# Online application (条例 arts 29, 31(3)) and status
# ---------------------------------------------------------------------------------------------


def apply_choose(request: HttpRequest) -> HttpResponse:
    return render(
        request, "portal/apply_choose.html", {"agencies": Agency.objects.active().order_by("path"), "nav": "apply"}
    )


def _too_many(
    request: HttpRequest,
    rule: ratelimit.Limit,
    what: str,
    advice: str = "请稍后再试，或按政府信息公开指南以信函、当面等方式提出申请。",
) -> HttpResponse:
    response = render(
        request,
        "portal/limited.html",
        {"message": f"{what}过于频繁：同一网络地址{rule.window_text}最多{rule.count}次。{advice}"},
        status=429,
    )
    response["Retry-After"] = str(rule.seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, code: str) -> HttpResponse:
    agency = _agency(code)
    context: dict[str, Any] = {"agency": agency, "nav": "apply"}
    if request.method != "POST":
        context["form"] = ApplicationForm()
        return render(request, "portal/apply.html", context)

    ip = client_ip(request)
    who = ip or "unknown"  # the rate-limit key
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_APPLICATION_BYTES:
        context["form"] = ApplicationForm()
        context["error"] = "提交的内容过大。请精简“所需政府信息的描述”，或以信函方式提交。"
        return render(request, "portal/apply.html", context, status=413)
    if not ratelimit.hit(ratelimit.limit("apply_post"), who):
        return _too_many(request, ratelimit.limit("apply_post"), "提交")
    form = ApplicationForm(request.POST)
    context["form"] = form
    if form.is_bot:
        logger.info("portal honeypot filled from %s", who)
        context["error"] = "提交未成功，请刷新页面后重新填写。"
        return render(request, "portal/apply.html", context, status=400)
    if not form.is_valid():
        context["error"] = "申请表有需要修改的地方，请按提示修改后再提交。"
        return render(request, "portal/apply.html", context, status=400)
    # Reserve the submission in every window first (one atomic increment each, shared by every
    # process and node on a shared cache), and give it back if it does not become a case: a check
    # followed by a later count would let a burst of concurrent posts through together.
    reserved: list[ratelimit.Limit] = []
    for scope in ("apply_hour", "apply_day"):
        rule = ratelimit.limit(scope)
        reserved.append(rule)
        if not ratelimit.hit(rule, who):
            for taken in reserved:
                ratelimit.release(taken, who)
            return _too_many(request, rule, "提交申请")

    from gongkai.cases.applicants import split_applicant
    from gongkai.cases.services import submit_online_application

    try:
        applicant, fields = split_applicant({k: v for k, v in form.cleaned_data.items() if k != "website"})
        case = submit_online_application(
            agency=agency, applicant=applicant, submitted_at=clock.now(), client_ip=ip, **fields
        )
    except GongkaiError as exc:
        for taken in reserved:
            ratelimit.release(taken, who)
        context["error"] = str(exc)
        return render(request, "portal/apply.html", context, status=400)
    except Exception:  # a citizen's typed text is never lost to an error page
        for taken in reserved:
            ratelimit.release(taken, who)
        logger.exception("online application to %s failed", agency.code)
        context["error"] = "系统暂时无法受理，您填写的内容仍在下方，请稍后再提交。"
        return render(request, "portal/apply.html", context, status=503)
    request.session[SUBMITTED_KEY] = {
        "code": case.tracking_code,
        "number": case.number,
        "agency": agency.name,
        "agency_code": agency.code,
    }
    return redirect("portal:apply_done")


@never_cache
def apply_done(request: HttpRequest) -> HttpResponse:
    submitted = request.session.get(SUBMITTED_KEY)
    if not submitted:
        return redirect("portal:track")
    return render(request, "portal/apply_done.html", {"submitted": submitted, "nav": "apply"})


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The tracking code plus a second factor: the phone's last 4 digits, or a one-time code sent
    to the contact on record (``applicant.track_send_code``). Both are rate-limited per address."""
    if request.method != "POST":
        form = TrackForm(initial={"code": _param(request, "code", 20)})
        return render(request, "portal/track.html", {"form": form, "nav": "track"})
    ip = client_ip(request) or "unknown"
    rule = ratelimit.limit("track")
    if not ratelimit.hit(rule, ip):
        return _too_many(request, rule, "查询")
    form = TrackForm(request.POST)
    if not form.is_valid():
        return render(request, "portal/track.html", {"form": form, "nav": "track"}, status=400)
    case = seams.find_case(form.cleaned_data["code"])
    if form.cleaned_data["otp"]:
        from gongkai.cases.access import verify_access_code

        ok = case is not None and verify_access_code(case, form.cleaned_data["otp"], now=clock.now())
        wrong = "查询码或验证码不正确，或验证码已过期，请核对后重试。"
    else:
        expected = phone_digits(case.phone)[-4:] if case is not None else "----"
        ok = case is not None and hmac.compare_digest(expected, form.cleaned_data["phone_last4"])
        wrong = "查询码或联系电话后四位不正确，请核对后重试。"
    if not ok or case is None:
        form.add_error(None, wrong)
        return render(request, "portal/track.html", {"form": form, "nav": "track"}, status=404)
    request.session.cycle_key()  # a new session id once the case is opened in it
    request.session[TRACKED_KEY] = case.pk
    return applicant.render_case(request, case)


@never_cache
def track_letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A letter of the case looked up in this session (code and phone digits checked there)."""
    from django.http import FileResponse

    case_pk = request.session.get(TRACKED_KEY)
    case = seams.case_by_pk(case_pk) if case_pk else None
    letter = next((x for x in seams.applicant_letters(case) if x.pk == pk), None) if case is not None else None
    if letter is None:
        raise Http404("文书不存在")
    try:
        handle = letter.file.open("rb")
    except OSError:
        raise Http404("文书文件不存在") from None
    return FileResponse(handle, as_attachment=True, filename=letter.download_name)
