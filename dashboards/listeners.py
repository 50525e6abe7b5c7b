"""The dashboards app's listener of dossier changes (registered by
DashboardsConfig.ready()): each change's contribution to the counts, kept inside
the change's transaction."""

from dossiers.models import Dossier, Event

from .services import facts_refresh


def on_transition(dossier: Dossier, event: Event) -> None:
    facts_refresh(dossier=dossier, event=event)
