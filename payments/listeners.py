"""How payments follows dossiers (registered in PaymentsConfig.ready()):

- a listener (`dossiers.hooks.on_transition`, inside the change's transaction):
  at submission the fee is assessed and kept (`fee_record`);
- a follow-on of an officer's receipt (`dossiers.hooks.follow_on("receive")`,
  called by `dossier_receive`): a received dossier whose fee is not paid waits
  for it (`payment_request_if_unpaid`, a transition of its own).
"""

from dossiers.models import Dossier, Event, Origin

from .services import fee_record, payment_request_if_unpaid


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    if event.action == "submit":
        fee_record(dossier=dossier, now=event.at)


def after_receipt(dossier: Dossier, event: Event) -> Dossier | None:
    """A dossier the agencies' systems receive electronically (a linked dossier
    and its parts, Decree 63/2024) is not stopped for payment: the citizen pays
    with the one linked submission (docs/payments.md)."""
    if event.origin != Origin.OFFICER:
        return None
    return payment_request_if_unpaid(dossier=dossier, actor=event.actor, now=event.at)
