from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, Role


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Tài khoản")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        role: ["accounts.access_staff_area"] for role in STAFF_ROLES
    } | {Role.ADMINISTRATOR: ["accounts.access_staff_area", "accounts.manage_users"]}

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks

        post_migrate.connect(_sync_roles, dispatch_uid="accounts.sync_roles")


def _sync_roles(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    # Permissions are created by post_migrate too; roles are synced once, after
    # the last app that gets the signal (Django sends it only to apps with a
    # models module), so every permission exists.
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from .services import roles_sync

    roles_sync(using=using)
