"""The admin home's figures about background work: jobs waiting and running here, and the
broker's queue length when a broker is configured."""

from __future__ import annotations

from django.conf import settings

from gongkai.jobs.models import Job, JobStatus


def queue_facts() -> list[tuple[str, str]]:
    waiting = Job.objects.filter(status=JobStatus.QUEUED).count()
    running = Job.objects.filter(status=JobStatus.RUNNING).count()
    facts = [("后台任务：排队中", str(waiting)), ("后台任务：进行中", str(running))]
    url = getattr(settings, "CELERY_BROKER_URL", "")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
        try:
            facts.append(("消息队列长度", str(client.llen(settings.CELERY_TASK_DEFAULT_QUEUE))))
        except redis.RedisError:
            facts.append(("消息队列长度", "无法连接"))
        finally:
            client.close()
    else:
        facts.append(("消息队列", "未配置（任务在网站进程内运行）"))
    return facts
