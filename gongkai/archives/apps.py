from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "gongkai.archives"
    verbose_name = "案卷归档"

    def ready(self) -> None:
        from gongkai.archives.locks import refuse_locked_year
        from gongkai.cases.guards import register_write_guard

        register_write_guard(refuse_locked_year)
        # Registers the background year export (a Celery worker needs it too).
        import gongkai.archives.jobs  # noqa: F401
