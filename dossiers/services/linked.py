"""Linked dossiers: what other agencies' systems do (driven by the chains app)."""

import datetime
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop

from accounts.addresses import absolute_url
from procedures.models import Procedure
from units.models import OrgUnit

from .. import hooks
from ..calendar import Deadline
from ..files import files_removed_on_failure
from ..models import Attachment, Dossier, Event, Origin, Result
from ..transactions import atomic_retrying
from .core import fee_for, transition_apply

# --- Linked dossiers: what other agencies' systems do (chains) -----------------------
# A linked dossier (Decree 63/2024) is received electronically by the agencies'
# systems, and each of its parts is a normal dossier of one member procedure at one
# agency, coded `{linked dossier's code}-{step}` and with `part_of` set. The chains
# app drives them through these services (docs/linked-chains.md). These moves are
# the portal's own (`Origin.SYSTEM`, no actor), for another agency's system: no
# user may do them.


@atomic_retrying
def dossier_system_receive(
    *,
    dossier: Dossier,
    deadline: Deadline,
    process: bool = False,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Receive a dossier without an officer, with the given time limit (a linked
    dossier, which the agencies' systems receive electronically). With `process`,
    it goes on to processing at its own unit."""
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.received_at = now
        d.clock_started_at = now
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()

    dossier = transition_apply(
        dossier=dossier,
        actor=None,
        origin=Origin.SYSTEM,
        action="receive",
        note=note,
        change=change,
        details={"due_at": deadline.due_at.isoformat(), "system": True},
        now=now,
    ).dossier
    if process:
        dossier = dossier_system_process(dossier=dossier, now=now)
    return dossier


@atomic_retrying
def dossier_system_process(
    *, dossier: Dossier, now: datetime.datetime | None = None
) -> Dossier:
    """A received linked dossier goes to processing at its own unit, without an
    officer (its parts are processed by their agencies)."""

    def to_processing(d: Dossier) -> None:
        d.processing_unit = d.receiving_unit

    return transition_apply(
        dossier=dossier,
        actor=None,
        origin=Origin.SYSTEM,
        action="forward",
        change=to_processing,
        details={"system": True},
        now=now,
    ).dossier


@atomic_retrying
def dossier_part_open(
    *,
    parent: Dossier,
    procedure: Procedure,
    unit: OrgUnit,
    suffix: str,
    data: dict[str, Any],
    deadline: Deadline,
    note: str = "",
    awaits_officer: bool = True,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Open the part of a linked dossier that one agency handles: a normal dossier
    of the member procedure at `unit` (so it is in that unit's queue), coded
    `{parent code}-{suffix}` (one code across agencies; nothing reads the code's
    shape: `part_of` says what it is), submitted and received at once with the
    part's own time limit. `awaits_officer` False: the agency's system handles
    it, and the unit's officers are not called to it."""
    hooks.transition_allowed()
    now = now or timezone.now()
    part = Dossier(
        code=f"{parent.code}-{suffix}",
        part_of=parent,
        awaits_officer=awaits_officer,
        procedure=procedure,
        applicant_id=parent.applicant_id,
        channel=parent.channel,
        receiving_unit=unit,
        admin_unit=unit.admin_unit,
        data=data,
        phone_last4=parent.phone_last4,
        submitted_at=now,
        due_at=deadline.due_at,
        due_steps=deadline.steps_json(),
        fee_vnd=fee_for(procedure, parent.channel),
        result_in_scope=procedure.has_document_result,
    )
    hooks.transition_check(
        hooks.Proposed(dossier=part, action="submit", actor=None, origin=Origin.SYSTEM)
    )
    part.save(force_insert=True)
    event = Event.objects.create(
        dossier=part,
        action="submit",
        origin=Origin.SYSTEM,
        at=now,
        to_status=part.status,
        note=note,
        details={"channel": parent.channel},
    )
    hooks.transition_done(dossier=part, event=event)
    dossier_attachments_share(source=parent, target=part)
    return dossier_system_receive(dossier=part, deadline=deadline, now=now)


def dossier_attachments_share(*, source: Dossier, target: Dossier) -> int:
    """Give `target` the papers of `source` it does not have yet (a linked
    dossier's papers for the agency of one of its parts). The rows point at the
    same stored files: dossier files are never deleted, so sharing is safe."""
    have = set(target.attachments.values_list("file", flat=True))
    shared = [
        Attachment(
            dossier=target,
            document_key=a.document_key,
            file=a.file.name,
            original_name=a.original_name,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            stored_document_id=a.stored_document_id,
            uploaded_by_id=a.uploaded_by_id,
            supplement_round=a.supplement_round,
        )
        for a in source.attachments.all()
        if a.file.name not in have
    ]
    Attachment.objects.bulk_create(shared)
    return len(shared)


@files_removed_on_failure
@atomic_retrying
def dossier_record_agency_result(
    *,
    dossier: Dossier,
    title: str,
    number: str,
    issued_by: Any,
    data_rows: list[tuple[str, str]],
    note: str = "",
    now: datetime.datetime | None = None,
) -> Result:
    """Record the result another agency's system issued: the result is ready, with
    a document generated from `data_rows` and its verification QR code (so it counts
    as digitised). `issued_by` is the account the portal records it under."""
    from django.utils import translation

    from .. import slips
    from .results import result_file_sign

    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.completed_at = now
        d.result_digitized = True

    dossier = transition_apply(
        dossier=dossier,
        actor=None,
        origin=Origin.SYSTEM,
        action="record_result",
        note=note,
        change=change,
        details={"title": title, "number": number},
        now=now,
    ).dossier
    result = Result.objects.create(
        dossier=dossier,
        token=secrets.token_urlsafe(24),
        title=title,
        number=number,
        issued_at=now,
        issued_by_unit=dossier.processing_unit or dossier.receiving_unit,
        issued_by=issued_by,
    )
    # The number of the agency's register, when the app that asked the agency's
    # system took one for this dossier (chains: births, deaths).
    hooks.result_number(result=result, take=False)
    # PORTAL_URL, else the address of the request that set the chain going
    # (carried by its tasks: accounts/addresses.py).
    verify_url = absolute_url(result.get_absolute_url())
    # An official paper is in Vietnamese whoever reads it.
    with translation.override("vi"):
        content = slips.result_pdf(
            dossier, result, verify_url=verify_url, data_rows=data_rows
        )
    # Signed by the agency that issued it, as any result (signing app).
    result_file_sign(result, content)
    return result


@atomic_retrying
def dossier_system_reschedule(
    *,
    dossier: Dossier,
    deadline: Deadline,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Set a linked dossier's due date to `deadline` (its own time limit counted
    again after a supplement, where the procedure's limit does not apply), with a
    public event."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    locked.due_at = deadline.due_at
    locked.due_steps = deadline.steps_json()
    locked.save(update_fields=["due_at", "due_steps", "updated_at"])
    Event.objects.create(
        dossier=locked,
        action="reschedule",
        origin=Origin.SYSTEM,
        at=now or timezone.now(),
        from_status=locked.status,
        to_status=locked.status,
        details={
            "due_at": deadline.due_at.isoformat(),
            "label": gettext_noop("Hẹn trả kết quả được tính lại"),
        },
    )
    return locked


def dossier_event_add(
    *,
    dossier: Dossier,
    action: str,
    note: str = "",
    details: dict[str, Any] | None = None,
    public: bool = True,
    now: datetime.datetime | None = None,
) -> Event:
    """Append an event that changes no status (e.g. the progress of a linked step
    on the linked dossier's timeline). `details["label"]`, a msgid, titles it on
    the timeline."""
    return Event.objects.create(
        dossier=dossier,
        action=action,
        origin=Origin.SYSTEM,
        at=now or timezone.now(),
        note=note,
        public=public,
        details=details or {},
    )
