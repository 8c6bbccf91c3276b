from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "gongkai.dashboards"
    verbose_name = "统计图表"

    def ready(self) -> None:
        from gongkai.dashboards.agency_panels import panels
        from gongkai.web.panels import register_panels

        register_panels(panels)
