from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai.cases"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.cases.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
        # The triggers that keep the tables 三/四 summary rows (gongkai.cases.tally).
        from django.db.models.signals import post_migrate

        from gongkai.cases.tally import on_post_migrate

        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="gongkai.cases.tally")
        # Registers the background calendar load (a Celery worker needs it too).
        import gongkai.cases.calendar_jobs  # noqa: F401
