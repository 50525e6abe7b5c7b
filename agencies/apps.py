from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgenciesConfig(AppConfig):
    """Interfaces to other agencies' systems (population registry, ...), each
    chosen by a setting, with a development implementation. The bottom floor: it
    imports none of the portal's apps."""

    name = "agencies"
    verbose_name = _("Hệ thống của cơ quan khác")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the deployment checks
