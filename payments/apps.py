from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán")

    def ready(self) -> None:
        from dossiers import hooks

        from . import checks, events, panels  # noqa: F401 - checks register

        # The fee is assessed at submission; receipt of an unpaid dossier with a
        # fee moves it to "awaiting payment".
        hooks.on_transition(events.on_dossier_transition)
        hooks.page_section(panels.dossier_panel)
