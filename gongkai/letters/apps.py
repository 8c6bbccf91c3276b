from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
    verbose_name = "文书与台账"

    def ready(self) -> None:
        from gongkai.cases.selectors import register_case_panels, register_desk_panels
        from gongkai.cases.services import register_close_guard
        from gongkai.letters.approval_policy import close_guard
        from gongkai.letters.panels import approval_panels, case_approval_panels, desk_panels
        from gongkai.web.panels import register_panels

        register_desk_panels(desk_panels)
        register_panels(approval_panels)
        register_close_guard(close_guard)
        register_case_panels(case_approval_panels)
        # Registers the background ledger import (a Celery worker needs it too).
        import gongkai.letters.ledger_jobs  # noqa: F401
