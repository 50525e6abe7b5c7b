from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdpConfig(AppConfig):
    """A development OpenID provider standing in for VNeID (docs/identity.md)."""

    name = "idp"
    verbose_name = _("Nhà cung cấp định danh thử nghiệm")
    default_auto_field = "django.db.models.BigAutoField"
