from django.apps import AppConfig


class ApiClientsConfig(AppConfig):
    name = "gongkai.apiclients"
    verbose_name = "接口客户端"

    def ready(self) -> None:
        from gongkai.apiclients.events import connect

        connect()
