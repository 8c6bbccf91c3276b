from typing import Any

from django.apps import AppConfig


def _bump_for(sender: Any, instance: Any, **kwargs: Any) -> None:
    """An agency's name or state, or an annual report, changed: the portal's pages show them."""
    if kwargs.get("raw"):
        return
    from gongkai.publications.public_cache import bump

    bump([instance.pk if sender.__name__ == "Agency" else instance.agency_id])


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = "公众门户"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from gongkai.agencies.models import Agency
        from gongkai.reports.models import AnnualReportRecord

        for model in (Agency, AnnualReportRecord):
            for signal in (post_save, post_delete):
                signal.connect(_bump_for, sender=model, dispatch_uid=f"gongkai.portal.bump.{model.__name__}.{signal}")
