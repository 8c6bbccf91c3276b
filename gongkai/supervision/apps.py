from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "gongkai.supervision"
    verbose_name = "年报监督"

    def ready(self) -> None:
        from gongkai.supervision.panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
        # Registers the background job that reads an uploaded batch (a Celery worker needs it too).
        import gongkai.supervision.services  # noqa: F401
