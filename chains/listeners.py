"""How chains follows dossiers: one listener on every dossier transition
(`dossiers.hooks.on_transition`), running inside the transaction of the change.

- A linked dossier is submitted: its chain starts.
- On a step's dossier (its code is the linked dossier's plus "-step"), what the
  agency's officer does resumes, halts or refuses the step.
- On a linked dossier, the citizen's supplement resumes the chain; withdrawing,
  refusing or stopping it stops the chain. Officers' other actions on it are
  refused: its parts are decided by their agencies, on the steps' dossiers.

Moves made by the portal itself (actor None) are the chain's own and ignored.
"""

from typing import Any

from django.utils.translation import gettext as _

from dossiers.models import Dossier, Event
from dossiers.services import ActionNotAllowed

from .models import ChainRun, ChainStep, RunStatus
from .services import (
    chain_cancel,
    chain_resume_after_supplement,
    chain_start,
    step_citizen_supplied,
    step_officer_asks,
    step_officer_decided,
    step_officer_refused,
)

# Agency codes (QCVN 102:2016) and dates have no dash: a normal dossier code has
# two, a step's dossier more. Checking the code first costs no query.
_NORMAL_DASHES = 2

# What an officer may not do on a linked dossier: its parts are decided by their
# agencies (refusing, stopping, apologising and assigning stay possible).
_DECIDED_BY_STEPS = {
    "receive",
    "request_supplement",
    "request_payment",
    "confirm_payment",
    "forward",
    "approve",
    "issue_result",
    "return_result",
}
# Actions on a linked dossier the chain follows.
_FOLLOWED = {"withdraw", "refuse", "stop", "supplement"}


def is_part_code(code: str) -> bool:
    return code.count("-") > _NORMAL_DASHES


def on_dossier_event(dossier: Dossier, event: Event) -> None:
    if event.action == "submit":
        if dossier.procedure.is_linked:
            chain_start(dossier=dossier, now=event.at)
            # The caller keeps this object: show it as the chain left it.
            dossier.refresh_from_db()
        return
    if is_part_code(dossier.code):
        if event.actor_id is not None:
            _on_part(dossier, event)
        return
    vetoed = event.actor_id is not None and event.action in _DECIDED_BY_STEPS
    if not vetoed and event.action not in _FOLLOWED:
        return
    run = ChainRun.objects.filter(dossier_id=dossier.pk).first()
    if run is not None:
        _on_parent(run, event)


def _on_part(dossier: Dossier, event: Event) -> None:
    step = (
        ChainStep.objects.select_related("procedure", "org_unit")
        .filter(sub_dossier_id=dossier.pk)
        .first()
    )
    if step is None:
        return
    action = event.action
    if action in ("approve", "issue_result"):
        step_officer_decided(step=step, action=action, now=event.at)
    elif action in ("refuse", "stop"):
        step_officer_refused(step=step, reason=event.note, now=event.at)
    elif action == "request_supplement":
        items = [str(item) for item in event.details.get("items", [])]
        step_officer_asks(step=step, items=items, reason=event.note, now=event.at)
    elif action == "supplement":
        step_citizen_supplied(step=step, now=event.at)
    elif action == "withdraw":
        raise ActionNotAllowed(
            _(
                "Đây là một bước của hồ sơ liên thông: muốn rút, hãy rút hồ sơ liên "
                "thông."
            )
        )


def _on_parent(run: ChainRun, event: Event) -> None:
    action = event.action
    if action == "withdraw":
        chain_cancel(
            run=run, status=RunStatus.WITHDRAWN, reason=event.note, now=event.at
        )
    elif action in ("refuse", "stop"):
        chain_cancel(run=run, status=RunStatus.STOPPED, reason=event.note, now=event.at)
    elif action == "supplement" and event.actor_id is not None:
        chain_resume_after_supplement(run=run, now=event.at)
    elif event.actor_id is not None and action in _DECIDED_BY_STEPS:
        raise ActionNotAllowed(_veto_message(run))


def _veto_message(run: Any) -> str:
    return _(
        "Hồ sơ liên thông do các cơ quan giải quyết theo từng bước: hãy thao tác "
        "trên hồ sơ của bước (mã %(code)s-1, -2, ...)."
    ) % {"code": run.dossier.code}
