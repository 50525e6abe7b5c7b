from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

_FAILED = "national.handle_failed_syncs"


class NationalConfig(AppConfig):
    """The link to the National Public Service Portal (docs/national-portal.md):
    every dossier event synced through an outbox, and the development twin of the
    national portal. Hooks into dossiers from here; dossiers never imports it."""

    name = "national"
    verbose_name = _("Cổng Dịch vụ công quốc gia")
    default_auto_field = "django.db.models.BigAutoField"
    role_permissions = {
        Role.RECEIVING_OFFICER: [_FAILED],
        Role.SPECIALIST: [_FAILED],
        Role.LEADER: [_FAILED],
        Role.DISTRICT_STAFF: [_FAILED],
        Role.ADMINISTRATOR: [_FAILED],
    }

    def ready(self) -> None:
        from dossiers import hooks

        from . import api, inbound, listeners, services, store, views

        hooks.on_transition(listeners.on_dossier_transition)
        hooks.on_transition(store.on_result_returned)
        hooks.page_section(views.dossier_section)
        hooks.api_extra(api.dossier_national)
        hooks.papers_provider(inbound.papers_of)
        hooks.paper_store(
            hooks.PaperStore(
                connected=services.connected,
                papers=store.wizard_papers,
                take=store.wizard_take,
            )
        )
