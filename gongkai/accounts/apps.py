from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "gongkai.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from gongkai.accounts import signals  # noqa: F401  (registers the auth receivers)
