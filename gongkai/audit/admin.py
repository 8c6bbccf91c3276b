"""Admin of the audit trail (read-only) and the base of every admin that writes.

Every write through the admin leaves an audit row in the same transaction: a save, a delete, a
bulk "delete selected", and the rows of an inline. Values are recorded by allow-list
(:attr:`AuditedModelAdmin.audit_fields`), and a field named like a secret is never recorded,
whatever a list says (:func:`gongkai.audit.services.is_secret_name`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from gongkai.audit.models import AuditEvent
from gongkai.audit.services import NOT_RECORDED, AuditAction, is_secret_name, record


def _actor(request: HttpRequest) -> Any:
    return request.user if request.user.is_authenticated else None


def _value(value: Any) -> Any:
    """A form's cleaned value as stored: querysets (many-to-many) become lists of names."""
    if isinstance(value, models.QuerySet):
        return [str(item) for item in value]
    return value


def default_audit_fields(model: type[models.Model]) -> frozenset[str]:
    """The model's own fields (columns and many-to-many): never a form-only field such as
    ``password1``, never a field named like a secret."""
    return frozenset(
        f.name
        for f in model._meta.get_fields()
        if (f.concrete or f.many_to_many) and not f.auto_created and not is_secret_name(f.name)
    )


def form_changes(form: Any, names: Iterable[str], allowed: frozenset[str], model: type[models.Model]) -> dict[str, Any]:
    """``{field: value}`` for the allow-listed ``names``; other model fields as "changed, not
    recorded"; form-only fields (``password1``, ``password2``) are left out."""
    model_fields = {f.name for f in model._meta.get_fields()}
    changes: dict[str, Any] = {}
    for name in names:
        if name in allowed and not is_secret_name(name):
            changes[name] = _value(form.cleaned_data.get(name))
        elif name in model_fields:
            changes[name] = NOT_RECORDED
    return changes


class AuditedModelAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A ModelAdmin whose every write leaves audit records in the same transaction."""

    #: The fields whose values the audit row records. ``None``: the model's own fields
    #: (:func:`default_audit_fields`). Names like a secret are dropped in any case.
    audit_fields: tuple[str, ...] | None = None

    def allowed_audit_fields(self, model: type[models.Model] | None = None) -> frozenset[str]:
        model = model or self.model
        if model is self.model and self.audit_fields is not None:
            return frozenset(name for name in self.audit_fields if not is_secret_name(name))
        return default_audit_fields(model)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            names = form.changed_data if change else [n for n in form.fields if n in form.cleaned_data]
            record(
                actor=_actor(request),
                action=AuditAction.ADMIN_CHANGE,
                target=obj,
                changes=form_changes(form, names, self.allowed_audit_fields(), self.model),
                note="修改" if change else "新增",
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """The rows of an inline (departments of an agency …): one audit row per added,
        changed or deleted row."""
        model = formset.model
        allowed = self.allowed_audit_fields(model)
        deleted = [f.instance for f in getattr(formset, "deleted_forms", []) if f.instance.pk]
        with transaction.atomic():
            for instance in deleted:
                record(actor=_actor(request), action=AuditAction.ADMIN_CHANGE, target=instance, note="删除")
            super().save_formset(request, form, formset, change)
            by_instance = {id(f.instance): f for f in formset.forms}
            for obj in formset.new_objects:
                sub = by_instance.get(id(obj))
                names = list(sub.cleaned_data) if sub is not None else []
                changes = form_changes(sub, names, allowed, model) if sub is not None else {}
                record(actor=_actor(request), action=AuditAction.ADMIN_CHANGE, target=obj, changes=changes, note="新增")
            for obj, changed in formset.changed_objects:
                sub = by_instance.get(id(obj))
                changes = form_changes(sub, changed, allowed, model) if sub is not None else {}
                record(actor=_actor(request), action=AuditAction.ADMIN_CHANGE, target=obj, changes=changes, note="修改")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            record(actor=_actor(request), action=AuditAction.ADMIN_CHANGE, target=obj, note="删除")
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        """The admin's bulk "delete selected": one audit row per deleted object."""
        with transaction.atomic():
            for obj in queryset:
                record(actor=_actor(request), action=AuditAction.ADMIN_CHANGE, target=obj, note="批量删除")
            super().delete_queryset(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: the audit trail cannot be added to, changed or deleted here."""

    list_display = ("at", "actor_name", "agency", "action", "object_type", "object_repr")
    list_filter = ("action", "agency")
    search_fields = ("actor_name", "object_repr", "action", "note")
    date_hierarchy = "at"
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
