from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "gongkai.jobs"
    verbose_name = "后台任务"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from gongkai.admin_site import INDEX_FACTS
        from gongkai.jobs.facts import queue_facts

        if queue_facts not in INDEX_FACTS:
            INDEX_FACTS.append(queue_facts)
