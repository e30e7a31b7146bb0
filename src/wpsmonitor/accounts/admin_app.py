"""django.contrib.admin, whose site asks for the second factor (accounts/admin_site.py). Its own
module: an app's configuration is imported before the models are ready, the site after."""

from django.contrib.admin.apps import AdminConfig


class TwoFactorAdminConfig(AdminConfig):
    default_site = "wpsmonitor.accounts.admin_site.TwoFactorAdminSite"
