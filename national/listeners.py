"""How national follows dossiers (registered in NationalConfig.ready(); dossiers
never imports national): every transition's event goes to the outbox, in the
transition's transaction."""

from dossiers.models import Dossier, Event

from .services import outbox_write


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    outbox_write(dossier=dossier, event=event)
