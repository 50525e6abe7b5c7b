"""How chains follows dossiers (registered in ChainsConfig.ready(); dossiers never
imports chains). What a dossier is comes from the dossier: a part of a linked
dossier has `part_of`; a linked dossier is of a linked procedure and has a run.
What the portal itself does (`Origin.SYSTEM`, the chain's own moves) is ignored.

Guards, asked before a transition is written (`dossiers.hooks.guard`):
- a linked dossier is filed online, by an identity of level 2 (Decree 63/2024);
- an officer's decisions on a linked dossier are refused: its parts are decided
  by their agencies, on the parts (refusing, stopping, apologising stay);
- a part is not withdrawn on its own: the citizen withdraws the linked dossier.

The listener, told after a transition (`dossiers.hooks.on_transition`):
- an agency's officer approved a part or issued its result: the step goes on to
  the agency's system (a step's own rows and its task after commit).

Follow-ons, called by the dossier service after its transition
(`dossiers.hooks.follow_on`); they move dossiers, so they are not listeners:
- a linked dossier is submitted: its chain starts (system receipt, processing,
  the first part);
- on a part, the officer's refusal, stop or request for papers halts the chain
  for the citizen, and the citizen's supplement there resumes it;
- on a linked dossier, the citizen's supplement resumes the chain; withdrawing,
  refusing or stopping it cancels the steps not done.
"""

from django.utils.translation import gettext as _

from dossiers.hooks import Proposed
from dossiers.models import Channel, Dossier, Event, Origin
from dossiers.services import ActionNotAllowed

from .models import ChainRun, ChainStep, RunStatus
from .services import (
    LINKED_IDENTITY_LEVEL,
    ChainError,
    chain_cancel,
    chain_resume_after_supplement,
    chain_start,
    step_citizen_supplied,
    step_officer_asks,
    step_officer_decided,
    step_officer_refused,
)

# What an officer may not do on a linked dossier: its parts are decided by their
# agencies (refusing, stopping, apologising and assigning stay possible).
DECIDED_BY_STEPS = frozenset(
    {
        "receive",
        "request_supplement",
        "request_payment",
        "confirm_payment",
        "forward",
        "appraise",
        "submit_for_signature",
        "sign",
        "send_back",
        "issue_result",
        "return_result",
    }
)


# --- Guards ---------------------------------------------------------------------


def linked_submission_allowed(proposed: Proposed) -> None:
    """A linked dossier is filed online, by an identity of level 2 (the wizard
    and the API ask before; this keeps any other way in honest)."""
    dossier = proposed.dossier
    if proposed.action != "submit" or not dossier.procedure.is_linked:
        return
    if dossier.channel != Channel.ONLINE:
        raise ChainError(
            _(
                "Nhóm thủ tục liên thông chỉ nộp trực tuyến (Nghị định 63/2024/NĐ-CP, "
                "Điều 6); cán bộ hướng dẫn công dân nộp trên Cổng."
            )
        )
    if getattr(dossier.applicant, "identity_level", 0) < LINKED_IDENTITY_LEVEL:
        raise ActionNotAllowed(
            _(
                "Nhóm thủ tục liên thông cần tài khoản định danh điện tử mức độ "
                "%(level)d: đăng nhập bằng định danh điện tử."
            )
            % {"level": LINKED_IDENTITY_LEVEL}
        )


def decided_by_steps(proposed: Proposed) -> None:
    """An officer's decision on a linked dossier (one query, for officers'
    decisions only) and a citizen's withdrawal of one part are refused."""
    dossier = proposed.dossier
    if proposed.origin == Origin.SYSTEM:
        return
    if dossier.part_of_id is not None:
        if proposed.action in ("withdraw", "stop_on_request"):
            raise ActionNotAllowed(
                _(
                    "Đây là một bước của hồ sơ liên thông: muốn rút, hãy rút hồ sơ "
                    "liên thông."
                )
            )
        return
    if proposed.action not in DECIDED_BY_STEPS:
        return
    if ChainRun.objects.filter(dossier_id=dossier.pk).exists():
        raise ActionNotAllowed(
            _(
                "Hồ sơ liên thông do các cơ quan giải quyết theo từng bước: hãy thao "
                "tác trên hồ sơ của bước (mã %(code)s-1, -2, ...)."
            )
            % {"code": dossier.code}
        )


# --- The listener ---------------------------------------------------------------


def on_dossier_transition(dossier: Dossier, event: Event) -> None:
    """The agency's officer decided on a part: its step goes on (a conditional
    move of the step and its task after commit; no dossier moves)."""
    if dossier.part_of_id is None or event.origin == Origin.SYSTEM:
        return
    if event.action in ("sign", "issue_result"):
        step = _step_of(dossier)
        if step is not None:
            step_officer_decided(step=step, action=event.action, now=event.at)


def _step_of(part: Dossier) -> ChainStep | None:
    return (
        ChainStep.objects.select_related("procedure", "org_unit")
        .filter(sub_dossier_id=part.pk)
        .first()
    )


# --- Follow-ons -----------------------------------------------------------------


def after_submit(dossier: Dossier, event: Event) -> Dossier | None:
    """A linked dossier was submitted: the agencies' systems receive it and its
    chain starts (in the submission's transaction). The submission returns the
    dossier as the chain left it (received, in processing)."""
    if dossier.part_of_id is not None or not dossier.procedure.is_linked:
        return None
    return chain_start(dossier=dossier, now=event.at).dossier


def after_part_or_parent(dossier: Dossier, event: Event) -> Dossier | None:
    """What follows a person's move on a part, or any move the chain follows on
    a linked dossier. Returns None: the dossier that moved stays as its service
    left it."""
    if dossier.part_of_id is not None:
        if event.origin != Origin.SYSTEM:
            _after_part(dossier, event)
        return None
    if event.action not in PARENT_FOLLOWED or (
        event.action == "supplement" and event.origin == Origin.SYSTEM
    ):
        return None
    run = ChainRun.objects.filter(dossier_id=dossier.pk).first()
    if run is None:
        return None
    if event.action == "withdraw":
        chain_cancel(
            run=run, status=RunStatus.WITHDRAWN, reason=event.note, now=event.at
        )
    elif event.action in ("refuse", "stop", "stop_on_request"):
        chain_cancel(run=run, status=RunStatus.STOPPED, reason=event.note, now=event.at)
    elif event.action == "supplement":
        chain_resume_after_supplement(run=run, now=event.at)
    return None


def _after_part(part: Dossier, event: Event) -> None:
    step = _step_of(part)
    if step is None:
        return
    action = event.action
    if action in ("refuse", "stop", "stop_on_request"):
        step_officer_refused(step=step, reason=event.note, now=event.at)
    elif action == "request_supplement":
        items = [str(item) for item in event.details.get("items", [])]
        step_officer_asks(step=step, items=items, reason=event.note, now=event.at)
    elif action == "supplement":
        step_citizen_supplied(step=step, now=event.at)


# Follow-on points: the actions after which chains may move dossiers.
PARENT_FOLLOWED = frozenset(
    {"withdraw", "refuse", "stop", "stop_on_request", "supplement"}
)
FOLLOWED = (*sorted(PARENT_FOLLOWED), "request_supplement")
