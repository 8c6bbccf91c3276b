"""The 主动公开 workflow: draft → 保密审查 by someone else → published; withdraw; 涉密 is final."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from gongkai.audit.models import AuditEvent
from gongkai.core.errors import InvalidTransition
from gongkai.core.publication_flow import ItemAction, ItemStatus, SecrecyVerdict, allowed_actions, next_status
from gongkai.publications import services
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Item, SecrecyReview
from tests.publications.helpers import make_classified, make_cleared, make_draft, make_published

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_happy_path_is_audited_at_each_step(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    assert item.status == ItemStatus.DRAFT
    assert item.index_number == "D1-A/2023-00001"
    assert item.issuer == "测试区甲街道办事处"
    services.submit_for_review(actor=tree.clerk_a, item=item)
    review = services.record_secrecy_review(
        actor=tree.officer_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED, notes="不涉及国家秘密"
    )
    outcome = services.publish(actor=tree.leader_a, item=item, today=dt.date(2023, 3, 8))
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED
    assert item.published_on == dt.date(2023, 3, 8)
    assert item.reviewed_by == tree.officer_a and item.published_by == tree.leader_a
    assert review.result == SecrecyVerdict.NOT_CLASSIFIED
    assert outcome.timeliness.late is False
    actions = list(AuditEvent.objects.for_object(item).order_by("id").values_list("action", flat=True))
    assert actions == ["publication.created", "publication.submitted", "publication.reviewed", "publication.published"]


def test_author_cannot_review_own_item(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue, actor=tree.officer_a)
    services.submit_for_review(actor=tree.officer_a, item=item)
    with pytest.raises(PublicationError, match="起草人以外"):
        services.record_secrecy_review(actor=tree.officer_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
    item.refresh_from_db()
    assert item.status == ItemStatus.PENDING_REVIEW and item.reviewed_by is None


@pytest.mark.parametrize("who", ["clerk_a", "supervisor", "officer_b", "admin"])
def test_only_officers_and_leaders_of_the_agency_review(tree, catalogue, who) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue, actor=tree.officer_a)
    services.submit_for_review(actor=tree.officer_a, item=item)
    with pytest.raises(PermissionDenied):
        services.record_secrecy_review(actor=getattr(tree, who), item=item, result=SecrecyVerdict.NOT_CLASSIFIED)


def test_unreviewed_item_cannot_be_published(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    with pytest.raises(InvalidTransition):
        services.publish(actor=tree.officer_a, item=item, today=dt.date(2023, 3, 2))
    services.submit_for_review(actor=tree.clerk_a, item=item)
    with pytest.raises(InvalidTransition):
        services.publish(actor=tree.officer_a, item=item, today=dt.date(2023, 3, 2))
    assert Item.objects.get(pk=item.pk).status == ItemStatus.PENDING_REVIEW


def test_classified_item_can_never_be_published(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_classified(tree, catalogue)
    assert item.status == ItemStatus.CLASSIFIED and item.is_classified
    with pytest.raises(InvalidTransition, match="涉密"):
        services.publish(actor=tree.leader_a, item=item, today=dt.date(2023, 3, 2))
    # No way back: not editable, not reviewable again.
    with pytest.raises(InvalidTransition):
        services.update_item(actor=tree.clerk_a, item=item, title="删去涉密段落后的版本")
    with pytest.raises(InvalidTransition):
        services.record_secrecy_review(actor=tree.leader_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
    with pytest.raises(InvalidTransition):
        services.submit_for_review(actor=tree.clerk_a, item=item)
    item.refresh_from_db()
    assert item.is_classified and item.status == ItemStatus.CLASSIFIED


def test_classified_finding_needs_notes(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    services.submit_for_review(actor=tree.clerk_a, item=item)
    with pytest.raises(PublicationError, match="审查意见"):
        services.record_secrecy_review(actor=tree.officer_a, item=item, result=SecrecyVerdict.CLASSIFIED, notes="  ")


def test_published_item_found_classified_leaves_the_portal(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_published(tree, catalogue)
    assert Item.objects.published().filter(pk=item.pk).exists()
    services.record_secrecy_review(
        actor=tree.leader_a, item=item, result=SecrecyVerdict.CLASSIFIED, notes="发现涉密附件"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.CLASSIFIED and item.is_classified
    assert not Item.objects.published().filter(pk=item.pk).exists()
    assert SecrecyReview.objects.filter(item=item).count() == 2


def test_edit_after_review_requires_a_new_review(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_cleared(tree, catalogue)
    services.update_item(actor=tree.clerk_a, item=item, body="<p>改动后的正文</p>")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.reviewed_by is None
    with pytest.raises(InvalidTransition):
        services.publish(actor=tree.officer_a, item=item, today=dt.date(2023, 3, 2))


def test_attachment_after_review_requires_a_new_review(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_cleared(tree, catalogue)
    services.add_attachment(
        actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("预算表.pdf", PDF, content_type="application/pdf")
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.reviewed_by is None


def test_content_changed_behind_the_review_is_not_published(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    """A row changed without the service (e.g. SQL) no longer matches the reviewed digest."""
    item = make_cleared(tree, catalogue)
    Item.objects.filter(pk=item.pk).update(body="<p>审查后被改动的正文</p>")
    with pytest.raises(InvalidTransition, match="重新审查"):
        services.publish(actor=tree.officer_a, item=item, today=dt.date(2023, 3, 2))


def test_withdraw_needs_a_reason_and_revision_goes_through_review(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_published(tree, catalogue)
    with pytest.raises(PublicationError, match="原因"):
        services.withdraw(actor=tree.officer_a, item=item, reason=" ", today=dt.date(2023, 4, 1))
    services.withdraw(actor=tree.officer_a, item=item, reason="数据有误，更正后重新发布", today=dt.date(2023, 4, 1))
    item.refresh_from_db()
    assert item.status == ItemStatus.WITHDRAWN and item.withdrawal_reason.startswith("数据有误")
    assert not Item.objects.published().filter(pk=item.pk).exists()
    services.update_item(actor=tree.clerk_a, item=item, title="关于2023年部门预算公开的说明（更正）")
    item.refresh_from_db()
    assert item.status == ItemStatus.DRAFT and item.published_on is None and item.reviewed_by is None


def test_clerk_drafts_but_does_not_publish_or_withdraw(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_cleared(tree, catalogue)
    with pytest.raises(PermissionDenied):
        services.publish(actor=tree.clerk_a, item=item, today=dt.date(2023, 3, 2))
    published = make_published(tree, catalogue, title="另一条")
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=tree.clerk_a, item=published, reason="x", today=dt.date(2023, 4, 1))


def test_other_agency_and_supervisor_cannot_draft(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    for actor in (tree.officer_b, tree.supervisor):
        with pytest.raises(PermissionDenied):
            services.create_draft(
                actor=actor, agency=tree.street_a, category=catalogue["预算"], title="x", formed_on=dt.date(2023, 1, 1)
            )


def test_category_of_another_agency_is_refused(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    other = services.seed_catalogue(actor=tree.officer_b, agency=tree.street_b)[0]
    with pytest.raises(PublicationError, match="不属于"):
        services.create_draft(
            actor=tree.clerk_a, agency=tree.street_a, category=other, title="x", formed_on=dt.date(2023, 1, 1)
        )


def test_body_is_sanitised_on_save(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(
        tree,
        catalogue,
        body='<p onclick="x()">正文<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">链接</a><img src="http://x/y.png">'
        '<a href="https://www.gov.cn/">中国政府网</a>',
    )
    assert "script" not in item.body and "onclick" not in item.body and "javascript" not in item.body
    assert "<img" not in item.body
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in item.body
    assert "alert" not in item.search_text and "正文" in item.search_text


def test_transition_table() -> None:
    assert next_status(ItemStatus.CLEARED, ItemAction.PUBLISH) is ItemStatus.PUBLISHED
    assert allowed_actions(ItemStatus.CLASSIFIED) == ()
    for status in ItemStatus:
        if status is not ItemStatus.CLEARED:
            with pytest.raises(InvalidTransition):
                next_status(status, ItemAction.PUBLISH)


# --- the database refuses what the services refuse -------------------------------------------


@pytest.mark.parametrize(
    "changes",
    [
        {"status": ItemStatus.PUBLISHED, "is_classified": True},
        {"status": ItemStatus.PUBLISHED, "reviewed_by": None},
        {"status": ItemStatus.PUBLISHED, "reviewed_by": "author"},
        {"status": ItemStatus.CLASSIFIED, "is_classified": False},
        {"status": ItemStatus.WITHDRAWN, "withdrawal_reason": ""},
    ],
    ids=["classified", "unreviewed", "self-reviewed", "classified-status-flag", "withdrawn-no-reason"],
)
def test_constraints_refuse_raw_writes(tree, catalogue, changes) -> None:  # type: ignore[no-untyped-def]
    item = make_published(tree, catalogue)
    values = dict(changes)
    if values.get("reviewed_by") == "author":
        values["reviewed_by"] = item.author
    if values.get("status") == ItemStatus.WITHDRAWN:
        values["withdrawn_on"] = dt.date(2023, 5, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(**values)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and not item.is_classified


def test_classified_draft_cannot_be_set_published_by_raw_sql(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_classified(tree, catalogue)
    with pytest.raises(IntegrityError), transaction.atomic():
        Item.objects.filter(pk=item.pk).update(status=ItemStatus.PUBLISHED, published_on=dt.date(2023, 3, 2))
    assert not Item.objects.published().exists()
