"""The payments app's listener of dossier changes (registered in
PaymentsConfig.ready()); it runs inside the transaction of the change."""

from dossiers.models import Dossier, Event

from .services import fee_record, payment_request_if_unpaid


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    if event.action == "submit":
        fee_record(
            dossier=dossier,
            now=event.at,
            linked_from=str(event.details.get("linked_from", "")),
        )
    elif event.action == "receive" and event.actor is not None:
        # A dossier the agencies' systems receive electronically (a linked dossier
        # and its parts, Decree 63/2024) is not stopped for payment: the citizen
        # pays with the one linked submission (docs/payments.md).
        payment_request_if_unpaid(dossier=dossier, actor=event.actor, now=event.at)
