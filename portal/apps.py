from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the secrets check
        from .logging import install_record_factory
        from .metrics import connect_task_signals

        install_record_factory()
        connect_task_signals()
