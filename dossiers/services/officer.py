"""What officers do to a dossier: receive, supplement requests, forward,
refuse, stop, apologise, assign; the access log. Appraisal, signature and issue
are in appraisal.py and results.py.
"""

import datetime
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from units.models import OrgUnit

from .. import hooks
from ..calendar import (
    APOLOGY_NONE,
    Step,
    WorkingCalendar,
    dossier_apology_window,
)
from ..lifecycle import TRANSITIONS
from ..models import Dossier, Event, Origin, Status
from ..transactions import atomic_retrying
from .core import deadline_for, dossier_rules_day, status_check, transition_apply
from .errors import ActionNotAllowed, DossierError, IllegalTransition

if TYPE_CHECKING:
    from accounts.models import User

# --- Officer actions ----------------------------------------------------------------


@atomic_retrying
def dossier_receive(
    *,
    dossier: Dossier,
    actor: "User",
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: the time limit starts and the appointment is set."""
    now = now or timezone.now()
    deadline = deadline_for(
        procedure=dossier.procedure,
        received_at=now,
        rules_day=dossier_rules_day(dossier),
        unit=dossier.receiving_unit,
    )

    def change(d: Dossier) -> None:
        d.received_at = now
        d.clock_started_at = now
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()
        d.no_appointment_same_day = deadline.no_appointment_same_day

    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="receive",
        note=note,
        change=change,
        details={"due_at": deadline.due_at.isoformat()},
        now=now,
    )
    # Follow-ons: payments asks for an unpaid fee (the dossier waits for it).
    return hooks.follow_ons(dossier=event.dossier, event=event)


@atomic_retrying
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    items: list[str],
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Ask the citizen for the listed papers; the time limit stops meanwhile."""
    items = [item.strip() for item in items if item and item.strip()]
    if not items or not reason.strip():
        raise DossierError(_("Hãy ghi rõ giấy tờ cần bổ sung và lý do."))
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.supplement_count += 1
        d.supplement_requested_at = now

    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="request_supplement",
        note=reason.strip(),
        details={"items": items},
        change=change,
        now=now,
    )
    # Follow-ons: on a part of a linked dossier, chains halts it for the citizen.
    return hooks.follow_ons(dossier=event.dossier, event=event)


@atomic_retrying
def dossier_forward(
    *,
    dossier: Dossier,
    actor: "User",
    to_unit: OrgUnit,
    assignee: Any = None,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Send the dossier to the specialist unit that decides it."""
    if assignee is not None and assignee.org_unit_id != to_unit.pk:
        raise DossierError(_("Cán bộ được giao không thuộc đơn vị xử lý."))

    def change(d: Dossier) -> None:
        d.processing_unit = to_unit
        d.assignee = assignee

    return transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.OFFICER,
        action="forward",
        note=note,
        change=change,
        details={"to_unit": to_unit.agency_code, "to_unit_name": to_unit.name},
        now=now,
    ).dossier


def _ends_processing(now: datetime.datetime) -> Callable[[Dossier], None]:
    def change(d: Dossier) -> None:
        d.completed_at = now

    return change


@atomic_retrying
def dossier_refuse(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Refuse with a reason (NĐ 61/2018 art. 19.8: within the time limit)."""
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do từ chối."))
    now = now or timezone.now()
    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="refuse",
        note=reason.strip(),
        change=_ends_processing(now),
        now=now,
    )
    # Follow-ons: chains halts (a part) or cancels (a linked dossier) its chain.
    return hooks.follow_ons(dossier=event.dossier, event=event)


def stop_request_check(dossier: Dossier) -> None:
    """Refuse, with the reason, a request to stop `dossier` when something has
    been decided already (Circular 03/2025 art. 7: the unit checks the status;
    only when no decision or result exists is the stop notice issued)."""
    if dossier.status in TRANSITIONS["stop_on_request"].sources:
        return
    if dossier.status == Status.SIGNED:
        reason = _(
            "Lãnh đạo đã ký duyệt kết quả (đã có quyết định giải quyết) nên không "
            "thể dừng giải quyết; kết quả sẽ được phát hành và trả theo hẹn."
        )
    elif dossier.status in (Status.RESULT_READY, Status.RETURNED):
        reason = _("Hồ sơ đã có kết quả giải quyết nên không thể dừng giải quyết.")
    else:
        reason = _(
            "Hồ sơ đã kết thúc (“%(status)s”) nên không còn gì để dừng giải quyết."
        ) % {"status": dossier.get_status_display()}
    raise IllegalTransition(reason)


@atomic_retrying
def dossier_stop(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.OFFICER,
    reason: str,
    on_request: bool = False,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Stop processing: an officer's decision (e.g. a supplement never came),
    or, `on_request`, the applicant's request to stop (Circular 03/2025 art. 7),
    made online by the applicant (`origin` citizen) or at the counter through a
    receiving officer. A request is checked against the status
    (`stop_request_check`): when nothing has been decided the dossier stops and
    its stop notice (form 05, `slips.stop_notice_pdf`) is issued; otherwise it
    is refused with the reason."""
    if on_request:
        stop_request_check(dossier)
        reason = reason.strip() or gettext_noop("Theo đề nghị của người nộp hồ sơ.")
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do dừng xử lý."))
    now = now or timezone.now()
    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="stop_on_request" if on_request else "stop",
        note=reason.strip(),
        details={"on_request": True, "at_counter": origin != Origin.CITIZEN}
        if on_request
        else None,
        change=_ends_processing(now),
        now=now,
    )
    # Follow-ons: chains halts (a part) or cancels (a linked dossier) its chain.
    return hooks.follow_ons(dossier=event.dossier, event=event)


@atomic_retrying
def dossier_apologize(
    *,
    dossier: Dossier,
    actor: "User",
    new_due_date: datetime.date,
    reason: str,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Apologise and set a new date: no later than one day before the due date,
    and only once per dossier (NĐ 61/2018 art. 19.9)."""
    now = now or timezone.now()
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do chậm trả kết quả."))
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    status_check(locked, "apologize")
    if locked.apologized:
        raise IllegalTransition(
            _("Hồ sơ đã được xin lỗi và hẹn lại một lần; chỉ được hẹn lại một lần.")
        )
    if locked.due_at is None:
        raise IllegalTransition(_("Hồ sơ chưa có hạn trả kết quả."))
    due_day = timezone.localtime(locked.due_at).date()
    window = dossier_apology_window(locked, today=timezone.localdate(now))
    if window.state == APOLOGY_NONE:
        raise DossierError(
            _(
                "Hồ sơ hẹn trả ngày %(due)s, không kịp báo trước 01 ngày: không có "
                "xin lỗi và hẹn lại cho hồ sơ này."
            )
            % {"due": f"{due_day:%d/%m/%Y}"}
        )
    if not window.open:
        raise DossierError(
            _("Phải xin lỗi và hẹn lại chậm nhất 01 ngày trước hạn trả (%(due)s).")
            % {"due": f"{due_day:%d/%m/%Y}"}
        )
    calendar = WorkingCalendar.load()
    if new_due_date <= due_day or not calendar.is_working_day(new_due_date):
        raise DossierError(_("Ngày hẹn mới phải là một ngày làm việc sau hạn cũ."))
    new_due_at = timezone.make_aware(
        datetime.datetime.combine(new_due_date, calendar.day_end)
    )
    step = Step(
        "apology",
        {"due": timezone.localtime(new_due_at).isoformat(), "reason": reason.strip()},
    )

    def change(d: Dossier) -> None:
        d.apologized = True
        d.due_at = new_due_at
        d.due_steps = [*d.due_steps, step.as_json()]

    return transition_apply(
        dossier=locked,
        actor=actor,
        origin=Origin.OFFICER,
        action="apologize",
        note=reason.strip(),
        change=change,
        details={
            "old_due_at": locked.due_at.isoformat(),
            "new_due_at": new_due_at.isoformat(),
        },
        now=now,
    ).dossier


def _decides(user: Any) -> bool:
    return any(
        user.has_perm(perm)
        for perm in (
            "dossiers.receive_dossier",
            "dossiers.process_dossier",
            "dossiers.approve_dossier",
        )
    )


@atomic_retrying
def dossier_assign(
    *,
    dossier: Dossier,
    actor: "User",
    assignee: Any,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Claim a dossier (assignee = actor) or hand it to a colleague of the unit."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    unit_ids = {locked.receiving_unit_id, locked.processing_unit_id}
    if not (_decides(actor) and _decides(assignee)):
        # The community digital technology team files but never holds a dossier.
        raise ActionNotAllowed(_("Chỉ cán bộ xử lý hồ sơ mới được nhận, giao hồ sơ."))
    if actor.org_unit_id not in unit_ids or assignee.org_unit_id != actor.org_unit_id:
        raise ActionNotAllowed(
            _("Chỉ giao hồ sơ cho cán bộ cùng đơn vị đang giữ hồ sơ.")
        )
    if locked.is_final:
        raise IllegalTransition(_("Hồ sơ đã kết thúc, không giao được nữa."))
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    Event.objects.create(
        dossier=locked,
        action="assign",
        actor=actor,
        actor_unit=actor.org_unit,
        origin=Origin.OFFICER,
        at=now or timezone.now(),
        from_status=locked.status,
        to_status=locked.status,
        public=False,
        details={"assignee": assignee.pk, "assignee_name": str(assignee)},
    )
    return locked


# --- Access log -------------------------------------------------------------------


def dossier_record_view(*, user: Any, dossier: Dossier, context: str) -> None:
    """Staff opening a citizen's dossier leave a row the citizen can read."""
    if user.pk == dossier.applicant_id or not (user.is_officer or user.is_superuser):
        return
    from accounts.services import data_access_record

    data_access_record(
        staff=user,
        citizen=dossier.applicant,
        # Stored in the source language, shown translated on the account page.
        obj_label=gettext_noop("Hồ sơ thủ tục hành chính"),
        context=f"{dossier.code} ({context})",
    )
