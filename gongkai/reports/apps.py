from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gongkai.reports"
    verbose_name = "年度报告"

    def ready(self) -> None:
        from gongkai.reports.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
        # Registers the background sign-off (a Celery worker needs it too).
        import gongkai.reports.jobs  # noqa: F401
