from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "gongkai.cases"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from gongkai.cases.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
        # Registers the background calendar load (a Celery worker needs it too).
        import gongkai.cases.calendar_jobs  # noqa: F401
