from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
    verbose_name = "文书与台账"

    def ready(self) -> None:
        from gongkai.cases.selectors import register_desk_panels
        from gongkai.letters.panels import desk_panels

        register_desk_panels(desk_panels)
        # Registers the background ledger import (a Celery worker needs it too).
        import gongkai.letters.ledger_jobs  # noqa: F401
