"""What the applicant does to a filed dossier: supplement, withdraw, rate,
correct the form data.
"""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from procedures.schema import schema_clean

from .. import hooks
from ..calendar import WorkingCalendar
from ..files import files_removed_on_failure
from ..models import Dossier, Event, Origin, Rating, Status
from ..transactions import atomic_retrying
from .attachments import attachment_add
from .core import (
    dossier_rules_day,
    procedure_days,
    status_check,
    stored_deadline,
    transition_apply,
)
from .errors import (
    ActionNotAllowed,
    DossierError,
    IllegalTransition,
    InvalidDossierData,
)
from .submission import files_check

if TYPE_CHECKING:
    from accounts.models import User


@files_removed_on_failure
@atomic_retrying
def dossier_supplement(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.CITIZEN,
    files: Iterable[tuple[str, UploadedFile[bytes]]] = (),
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The citizen hands in what was asked. The time limit restarts from zero
    (NĐ 61/2018 art. 19.4) or, under the pause setting, moves by the working days
    spent waiting; both the restart date and the pause are kept in the events."""
    now = now or timezone.now()
    round_number = dossier.supplement_count
    for document_key, upload in files:
        attachment_add(
            dossier=dossier,
            uploaded_by=actor,
            upload=upload,
            document_key=document_key,
            supplement_round=round_number,
        )
    calendar = WorkingCalendar.load()
    rules_day = dossier_rules_day(dossier)
    mode = calendar.rules_on(rules_day).supplement_mode
    if mode == "pause" and dossier.supplement_requested_at:
        deadline = calendar.extend_by_pause(
            stored_deadline(dossier),
            paused_from=dossier.supplement_requested_at,
            paused_to=now,
        )
        details = {
            "mode": "pause",
            "paused_from": dossier.supplement_requested_at.isoformat(),
            "paused_to": now.isoformat(),
        }
    else:
        deadline = calendar.restart(
            completed_at=now,
            days=procedure_days(dossier.procedure),
            same_day=dossier.procedure.same_day,
            rules_day=rules_day,
        )
        details = {"mode": "restart", "restarted_at": now.isoformat()}

    def change(d: Dossier) -> None:
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()
        d.supplement_requested_at = None
        if details["mode"] == "restart":
            d.clock_started_at = now

    details["due_at"] = deadline.due_at.isoformat()
    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="supplement",
        note=note,
        details=details,
        change=change,
        now=now,
    )
    # Follow-ons: chains resumes the linked dossier or the step it belongs to.
    return hooks.follow_ons(dossier=event.dossier, event=event)


@atomic_retrying
def dossier_withdraw(
    *,
    dossier: Dossier,
    actor: "User | None",
    origin: str = Origin.CITIZEN,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    event = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=origin,
        action="withdraw",
        note=reason.strip(),
        now=now,
    )
    # Follow-ons: chains cancels the steps of a linked dossier not done.
    return hooks.follow_ons(dossier=event.dossier, event=event)


RATING_INDICATORS = 9


@atomic_retrying
def dossier_rate(
    *,
    dossier: Dossier,
    actor: "User",
    scores: dict[str, int],
    overall: str,
    comment: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The citizen rates the service once: 9 indicators 0-2 (TT 01/2018/TT-VPCP
    art. 13) and an overall judgement."""
    keys = {str(i) for i in range(1, RATING_INDICATORS + 1)}
    if set(scores) != keys or any(v not in (0, 1, 2) for v in scores.values()):
        raise DossierError(_("Hãy chấm đủ 9 chỉ số, mỗi chỉ số 0, 1 hoặc 2 điểm."))
    if overall not in Rating.Overall.values:
        raise DossierError(_("Hãy chọn mức hài lòng chung."))
    status_check(dossier, "rate")
    if Rating.objects.filter(dossier=dossier).exists():
        raise IllegalTransition(_("Hồ sơ này đã được đánh giá."))
    dossier = transition_apply(
        dossier=dossier,
        actor=actor,
        origin=Origin.CITIZEN,
        action="rate",
        details={"overall": overall},
        public=False,
        now=now,
    ).dossier
    Rating.objects.create(
        dossier=dossier, scores=scores, overall=overall, comment=comment
    )
    return dossier


@files_removed_on_failure
@atomic_retrying
def dossier_data_correct(
    *,
    dossier: Dossier,
    actor: "User",
    data: dict[str, Any],
    files: Iterable[tuple[str, UploadedFile[bytes]]] = (),
    now: datetime.datetime | None = None,
) -> Dossier:
    """The applicant corrects the form data of a dossier that waits for their
    supplement, with new papers if needed; checked against the procedure's schema
    like a submission. Nothing is saved if anything is wrong."""
    now = now or timezone.now()
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if actor is None or actor.pk != locked.applicant_id:
        raise ActionNotAllowed(_("Chỉ người nộp hồ sơ được sửa tờ khai."))
    if locked.status != Status.SUPPLEMENT_REQUESTED:
        raise IllegalTransition(
            _("Chỉ sửa được tờ khai khi cơ quan yêu cầu bổ sung, hoàn thiện hồ sơ.")
        )
    for document_key, upload in files:
        attachment_add(
            dossier=locked,
            uploaded_by=actor,
            upload=upload,
            document_key=document_key,
            supplement_round=locked.supplement_count,
        )
    procedure = locked.procedure
    cleaned, errors = schema_clean(procedure.form_schema, data)
    errors |= files_check(
        procedure,
        cleaned,
        locked.attachments.all(),
        hooks.papers_elsewhere(dossier=locked),
    )
    if errors:
        raise InvalidDossierData(errors)
    changed = sorted(
        key
        for key in set(cleaned) | set(locked.data)
        if cleaned.get(key) != locked.data.get(key)
    )
    locked.data = cleaned
    locked.save(update_fields=["data", "updated_at"])
    Event.objects.create(
        dossier=locked,
        action="correct_data",
        actor=actor,
        origin=Origin.CITIZEN,
        at=now,
        from_status=locked.status,
        to_status=locked.status,
        details={"fields": changed, "label": gettext_noop("Người nộp sửa tờ khai")},
    )
    return locked
