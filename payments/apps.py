from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Phí, lệ phí và thanh toán")

    def ready(self) -> None:
        from dossiers import hooks
        from procedures import fees as catalogue_fees

        from . import checks, fees, listeners, panels, selectors  # noqa: F401 - checks

        # The fee is assessed at submission (a listener); an officer's receipt
        # of an unpaid dossier with a fee is followed by "awaiting payment".
        hooks.on_transition(listeners.on_dossier_transition)
        hooks.follow_on("receive")(listeners.after_receipt)
        hooks.page_section(panels.dossier_panel)
        hooks.api_extra(panels.dossier_api_fee)
        # The fee people read: the dossier's assessment, and the catalogue's
        # mention of the exemptions a dossier may have (procedures.fees).
        hooks.fee_provider(selectors.fee_of_dossier)
        catalogue_fees.exemptions_provider(fees.catalogue_exemptions)
