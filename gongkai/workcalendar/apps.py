from django.apps import AppConfig


class WorkcalendarConfig(AppConfig):
    name = "gongkai.workcalendar"
    verbose_name = "工作日历"
