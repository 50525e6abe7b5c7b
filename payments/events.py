"""The payments app's listener of dossier changes (registered in
PaymentsConfig.ready()); it runs inside the transaction of the change."""

from dossiers.models import Dossier, Event

from .services import fee_record, payment_request_if_unpaid


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    if event.action == "submit":
        fee_record(dossier=dossier, now=event.at)
    elif event.action == "receive":
        payment_request_if_unpaid(dossier=dossier, actor=event.actor, now=event.at)
