from django.apps import AppConfig


class ApiClientsConfig(AppConfig):
    name = "gongkai.apiclients"
    verbose_name = "接口客户端"

    def ready(self) -> None:
        from gongkai.apiclients.events import connect
        from gongkai.apiclients.panels import panels
        from gongkai.web.panels import register_panels

        connect()
        register_panels(panels)
