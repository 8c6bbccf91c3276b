"""AppConfig for the Django admin using gongkai's admin site (no model imports here)."""

from django.contrib.admin.apps import AdminConfig


class GongkaiAdminConfig(AdminConfig):
    default_site = "gongkai.admin_site.GongkaiAdminSite"
