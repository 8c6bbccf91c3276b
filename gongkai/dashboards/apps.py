from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "gongkai.dashboards"
    verbose_name = "统计图表"

    def ready(self) -> None:
        from gongkai.dashboards.agency_panels import panels as agency_panels
        from gongkai.dashboards.console_panels import panels as console_panels
        from gongkai.web.panels import register_panels

        register_panels(console_panels)
        register_panels(agency_panels)
