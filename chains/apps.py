from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

_FAILED = "chains.handle_failed_steps"


class ChainsConfig(AppConfig):
    """The linked chains of Decree 63/2024 (docs/linked-chains.md). Hooks into
    dossiers from here, so that dossiers never imports chains."""

    name = "chains"
    verbose_name = _("Liên thông")
    default_auto_field = "django.db.models.BigAutoField"
    # Decree 63/2024 art. 7 measured on the dashboards (dashboards/providers.py).
    stats_providers = ["chains.stats.linked_chain_figures"]
    role_permissions = {
        Role.RECEIVING_OFFICER: [_FAILED],
        Role.SPECIALIST: [_FAILED],
        Role.LEADER: [_FAILED],
        Role.DISTRICT_STAFF: [_FAILED],
        Role.ADMINISTRATOR: [_FAILED],
    }

    def ready(self) -> None:
        from dossiers import hooks

        from . import api, listeners, views

        hooks.guard(listeners.linked_submission_allowed)
        hooks.guard(listeners.decided_by_steps)
        hooks.on_transition(listeners.on_dossier_transition)
        hooks.follow_on("submit")(listeners.after_submit)
        for action in listeners.FOLLOWED:
            hooks.follow_on(action)(listeners.after_part_or_parent)
        hooks.page_section(views.dossier_section)
        hooks.api_extra(api.dossier_steps)
