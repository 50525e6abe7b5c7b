from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role

AREA = "dashboards.view_area_stats"
UNIT = "dashboards.view_unit_stats"


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Thống kê, báo cáo")
    # District staff and administrators see their agency's area; a unit leader
    # sees their own unit. Other roles (and citizens) get 403.
    role_permissions = {
        Role.DISTRICT_STAFF: [AREA],
        Role.ADMINISTRATOR: [AREA],
        Role.LEADER: [UNIT],
    }
    # The "no writing, no appointment" day's same-day results: a card of its
    # own (one query on the few dossiers concerned, not the buckets).
    stats_providers = ["dashboards.selectors.no_appointment.no_appointment_figures"]

    def ready(self) -> None:
        from dossiers import hooks

        from . import listeners

        # Keeps the pre-aggregated counts right inside each change's transaction.
        hooks.on_transition(listeners.on_transition)
