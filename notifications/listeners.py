"""The notifications app's listener of dossier changes: what a status change
tells whom. Registered with dossiers.hooks.on_transition in
NotificationsConfig.ready(); runs inside the transaction of the change, so the
notifications commit (and are sent) with it.

Citizens hear of every change that concerns them (of a linked dossier's parts,
through the chain: PART_QUIET); officers of a dossier that arrives in their
unit's queue. A person is never told of their own action.
"""

import datetime
from typing import Any

from django.urls import reverse

from dossiers.calendar import WorkingCalendar
from dossiers.models import Dossier, Event

from .reminders import supplement_lapse_day
from .selectors import dossier_context, dossier_holders, unit_officers
from .services import notify

# action -> (event key, template) for the applicant.
CITIZEN_EVENTS = {
    "receive": ("dossier.received", "dossier_received"),
    "request_supplement": ("dossier.supplement_requested", "supplement_requested"),
    "request_payment": ("dossier.awaiting_payment", "payment_requested"),
    "issue_result": ("dossier.result_ready", "result_ready"),
    "return_result": ("dossier.returned", "result_returned"),
    "refuse": ("dossier.refused", "dossier_refused"),
    "stop": ("dossier.stopped", "dossier_stopped"),
    "stop_on_request": ("dossier.stopped", "dossier_stopped"),
    "apologize": ("dossier.apology", "dossier_apology"),
}


# A part of a linked dossier (opened by the chain at one agency): the citizen
# hears of its progress from the chain's own lines (step done, refused, stopped:
# chains.services.common.NOTIFIED), not of each of the part's moves as well; what
# asks something of them (papers, a fee) or apologises still comes.
PART_QUIET = {
    "receive",
    "issue_result",
    "return_result",
    "refuse",
    "stop",
    "stop_on_request",
}


def _citizen(dossier: Dossier, event: Event) -> None:
    event_key, template = CITIZEN_EVENTS[event.action]
    if dossier.applicant_id == event.actor_id:
        return
    if event.action in PART_QUIET and dossier.part_of_id is not None:
        return
    context = dossier_context(dossier)
    context["note"] = event.note
    if event.action == "request_supplement":
        context["items"] = list(event.details.get("items", []))
        lapse = supplement_lapse_day(dossier, WorkingCalendar.load())
        context["lapse_day"] = lapse
    elif event.action == "request_payment":
        context["amount_vnd"] = event.details.get("amount_vnd", dossier.fee_vnd)
    elif event.action == "apologize":
        context["new_due_at"] = datetime.datetime.fromisoformat(
            event.details["new_due_at"]
        )
    notify(
        recipient=dossier.applicant,
        event_key=event_key,
        template=template,
        context=context,
        dedup_key=f"dossier-event:{event.pk}",
        url=dossier.get_absolute_url(),
    )


def _officers(dossier: Dossier, event: Event) -> None:
    recipients: list[Any] = []
    if event.action == "submit":
        helper = dossier.assisted_by
        if helper is not None and helper.has_perm("dossiers.receive_dossier"):
            return  # filed at the counter and received there at once
        if not dossier.awaits_officer:
            return  # a linked dossier's part that the agency's system handles
        recipients = list(
            unit_officers(
                org_unit=dossier.receiving_unit_id,
                permission="dossiers.receive_dossier",
            )
        )
        template = "queue_new"
    elif event.action == "forward":
        recipients = dossier_holders(dossier)
        template = "queue_forwarded"
    elif event.action == "supplement":
        recipients = dossier_holders(dossier)
        template = "queue_supplemented"
    else:
        return
    url = reverse("dossiers:dossier-work", args=[dossier.code])
    context = dossier_context(dossier)
    context["applicant"] = dossier.applicant.full_name
    for officer in recipients:
        if officer.pk == event.actor_id:
            continue
        notify(
            recipient=officer,
            event_key=f"queue.{template.removeprefix('queue_')}",
            template=template,
            context=context,
            dedup_key=f"dossier-event:{event.pk}",
            url=url,
        )


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    if event.action in CITIZEN_EVENTS:
        _citizen(dossier, event)
    _officers(dossier, event)
