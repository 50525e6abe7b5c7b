"""Writes to dossiers: one function per user action, all through one transition.

Every action runs in a transaction, locks the dossier row, checks the state table
(`lifecycle.TRANSITIONS`) and who may act, changes the dossier, and appends one
event row. Side effects (notifications, chain steps) are scheduled on commit by
the listeners registered in `hooks`.
"""

import datetime
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.addresses import absolute_url
from procedures.models import Procedure
from procedures.schema import schema_clean, schema_file_fields
from units.models import OrgUnit

from . import hooks
from .calendar import Deadline, Step, WorkingCalendar
from .files import (
    DiskFull,
    check_upload,
    file_store,
    files_removed_on_failure,
    safe_name,
)
from .lifecycle import TRANSITIONS, may_act
from .models import (
    Attachment,
    Channel,
    DailyCounter,
    Dossier,
    Draft,
    Event,
    Rating,
    Result,
    Status,
)
from .transactions import atomic_retrying

# --- Errors -------------------------------------------------------------------------


class DossierError(Exception):
    """A refused action; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class IllegalTransition(DossierError):
    """The action is not allowed from the dossier's status (HTTP 409)."""


class ActionNotAllowed(DossierError):
    """The user may see the dossier but not do this (HTTP 403)."""


class InvalidDossierData(DossierError):
    """Submitted data failed validation; `errors` maps field names to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(_("Hồ sơ chưa hợp lệ, hãy sửa các mục được đánh dấu."))
        self.errors = errors


class IdentityLevelTooLow(ActionNotAllowed):
    """The procedure needs a higher electronic-identity level (HTTP 403)."""


class UnitNotReceiving(DossierError):
    """The chosen place does not receive dossiers of the procedure (HTTP 400)."""


class IdempotencyKeyReused(DossierError):
    """An idempotency key came back with another request (HTTP 422)."""


# --- Who may file what, where -------------------------------------------------------

# A linked procedure (Decree 63/2024) needs an electronic identity of level 2.
LINKED_IDENTITY_LEVEL = 2


def unit_receives(*, unit: OrgUnit, procedure: Procedure) -> bool:
    """Whether `unit` takes dossiers of `procedure` (as selectors'
    `receiving_units_for` lists them), without a query."""
    return unit.is_active and unit.agency_type == procedure.agency_type


def applicant_check(*, applicant: Any) -> None:
    """Only a citizen files for themselves: staff file for a citizen at the
    counter (`dossier_file_for_citizen`), never as the applicant."""
    if not getattr(applicant, "is_citizen", False):
        raise ActionNotAllowed(_("Chỉ tài khoản công dân mới nộp hồ sơ của mình."))


def submission_check(
    *, applicant: Any, procedure: Procedure, receiving_unit: OrgUnit | None = None
) -> None:
    """Refuse, with the reason, when `applicant` may not file `procedure` (at
    `receiving_unit` when given) for themselves. The wizard, the API and
    `dossier_submit` ask this one question."""
    applicant_check(applicant=applicant)
    if not procedure.submittable or not procedure.form_schema:
        raise DossierError(_("Thủ tục này không nộp hồ sơ trực tuyến trên Cổng."))
    if procedure.is_linked and (
        getattr(applicant, "identity_level", 0) < LINKED_IDENTITY_LEVEL
    ):
        raise IdentityLevelTooLow(
            _(
                "Nhóm thủ tục liên thông cần tài khoản định danh điện tử mức độ "
                "%(level)d: đăng nhập bằng định danh điện tử."
            )
            % {"level": LINKED_IDENTITY_LEVEL}
        )
    if receiving_unit is not None and not unit_receives(
        unit=receiving_unit, procedure=procedure
    ):
        raise UnitNotReceiving(
            _(
                "Nơi nộp này không tiếp nhận hồ sơ của thủ tục này; "
                "hãy chọn lại nơi nộp."
            )
        )


# --- Idempotency ----------------------------------------------------------------------


def request_fingerprint(payload: dict[str, Any]) -> str:
    """A digest of what a client asked for, kept beside its idempotency key: the
    same key with another request is refused instead of answered with the first."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def draft_fingerprint(draft: Draft) -> str:
    """The fingerprint of submitting `draft` (the wizard's and the API's key
    `draft-{pk}` files it once, whoever submits it)."""
    return request_fingerprint({"draft": draft.pk})


def dossier_for_idempotency_key(
    *, applicant: Any, key: str, fingerprint: str = ""
) -> Dossier | None:
    """The dossier an earlier request with `key` filed, if any; a different
    request under the same key is refused."""
    if not key:
        return None
    first = Dossier.objects.filter(applicant=applicant, idempotency_key=key).first()
    if (
        first is not None
        and fingerprint
        and first.idempotency_fingerprint
        and first.idempotency_fingerprint != fingerprint
    ):
        raise IdempotencyKeyReused(
            _(
                "Khóa chống nộp trùng (Idempotency-Key) này đã được dùng cho một "
                "yêu cầu khác (hồ sơ %(code)s). Hãy dùng một khóa mới cho mỗi hồ "
                "sơ mới."
            )
            % {"code": first.code}
        )
    return first


# --- Codes and deadlines ------------------------------------------------------------


class StorageFull(DossierError):
    """The server's disk had no room for a file: nothing was saved, try later."""


def _next_number(org_unit_id: int, day: datetime.date) -> int:
    """The unit's next sequence number for `day`, in one atomic statement.

    INSERT ... ON CONFLICT DO UPDATE ... RETURNING serialises concurrent callers
    on the counter row (PostgreSQL and SQLite >= 3.35): no two dossiers ever get
    the same number, and nobody computes max()+1 in Python.
    """
    quote = connection.ops.quote_name
    table = quote(DailyCounter._meta.db_table)
    unit, day_, last = quote("org_unit_id"), quote("day"), quote("last")
    # Only quoted names are interpolated; the values go as parameters.
    sql = (
        f"INSERT INTO {table} ({unit}, {day_}, {last}) "  # noqa: S608
        f"VALUES (%s, %s, 1) ON CONFLICT ({unit}, {day_}) "
        f"DO UPDATE SET {last} = {table}.{last} + 1 RETURNING {last}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [org_unit_id, day])
        row = cursor.fetchone()
    return int(row[0])


def dossier_code_allocate(*, org_unit: OrgUnit, at: datetime.datetime) -> str:
    """`{agency identifier}-{yyMMdd}-{NNNN}` (NĐ 61/2018 art. 26; TT 01/2018
    art. 19): the unit's code, the local date, the day's 4-digit sequence."""
    day = timezone.localtime(at).date()
    number = _next_number(org_unit.pk, day)
    return f"{org_unit.agency_code}-{day:%y%m%d}-{number:04d}"


def _procedure_days(procedure: Procedure) -> Decimal | None:
    return procedure.processing_days


def _no_appointment_eligible(procedure: Procedure) -> bool:
    field = procedure.field
    return field is not None and field.code in settings.NO_APPOINTMENT_FIELDS


def deadline_for(
    *,
    procedure: Procedure,
    received_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    """The due time of a dossier of `procedure` received at `received_at`."""
    calendar = calendar or WorkingCalendar.load()
    return calendar.due(
        received_at=received_at,
        days=_procedure_days(procedure),
        same_day=procedure.same_day,
        no_appointment_day=_no_appointment_eligible(procedure),
    )


def _stored_deadline(dossier: Dossier) -> Deadline:
    if dossier.due_at is None:
        raise DossierError(_("Hồ sơ chưa có hạn trả kết quả."))
    steps = tuple(Step(s["rule"], s.get("params", {})) for s in dossier.due_steps)
    return Deadline(due_at=dossier.due_at, steps=steps)


def _fee_for(procedure: Procedure, channel: str) -> int | None:
    if channel == Channel.ONLINE:
        return procedure.fee_online_vnd
    return procedure.fee_counter_vnd


# --- The transition -----------------------------------------------------------------


def _check_status(dossier: Dossier, action: str) -> None:
    move = TRANSITIONS[action]
    if dossier.status not in move.sources:
        raise IllegalTransition(
            _("Không thể “%(action)s” hồ sơ đang ở trạng thái “%(status)s”.")
            % {"action": move.label, "status": dossier.get_status_display()}
        )


def _transition(
    *,
    dossier: Dossier,
    actor: Any,
    action: str,
    note: str = "",
    details: dict[str, Any] | None = None,
    public: bool = True,
    change: Callable[[Dossier], None] | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Check and apply `action`; append its event. Caller holds a transaction."""
    move = TRANSITIONS[action]
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    _check_status(locked, action)
    if actor is not None and not may_act(actor, locked, action):
        raise ActionNotAllowed(
            _("Bạn không có quyền “%(action)s” hồ sơ này.") % {"action": move.label}
        )
    now = now or timezone.now()
    from_status = locked.status
    if change is not None:
        change(locked)
    if move.target is not None:
        locked.status = move.target
    locked.save()
    event = Event.objects.create(
        dossier=locked,
        action=action,
        actor=actor,
        actor_unit=getattr(actor, "org_unit", None),
        at=now,
        from_status=from_status,
        to_status=locked.status,
        note=note,
        public=public,
        details=details or {},
    )
    hooks.transition_done(dossier=locked, event=event)
    return locked


# --- Submission ---------------------------------------------------------------------


def _check_files(
    procedure: Procedure, cleaned: dict[str, Any], attachments: Iterable[Attachment]
) -> dict[str, list[str]]:
    present = {a.document_key for a in attachments}
    errors: dict[str, list[str]] = {}
    for field in schema_file_fields(procedure.form_schema, cleaned):
        if field.get("required") and field.get("document") not in present:
            errors[field["name"]] = [_("Hãy đính kèm giấy tờ này.")]
    return errors


@atomic_retrying
def dossier_submit(
    *,
    applicant: Any,
    procedure: Procedure,
    receiving_unit: OrgUnit,
    data: dict[str, Any],
    channel: str = Channel.ONLINE,
    draft: Draft | None = None,
    assisted_by: Any = None,
    idempotency_key: str = "",
    idempotency_fingerprint: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """File a dossier. Validates the form data against the procedure's schema and
    the attachments of `draft` against its required documents. A repeated
    `idempotency_key` returns the first dossier, or is refused when its
    `idempotency_fingerprint` (`request_fingerprint`) differs."""
    first = dossier_for_idempotency_key(
        applicant=applicant, key=idempotency_key, fingerprint=idempotency_fingerprint
    )
    if first is not None:
        return first
    if assisted_by is None:
        submission_check(
            applicant=applicant, procedure=procedure, receiving_unit=receiving_unit
        )
    if not procedure.submittable:
        raise DossierError(_("Thủ tục này không nộp hồ sơ trực tuyến trên Cổng."))
    if not receiving_unit.is_active:
        raise DossierError(_("Cơ quan tiếp nhận này không còn hoạt động."))
    cleaned, errors = schema_clean(procedure.form_schema, data)
    attachments = list(draft.attachments.all()) if draft is not None else []
    errors |= _check_files(procedure, cleaned, attachments)
    if errors:
        raise InvalidDossierData(errors)

    now = now or timezone.now()
    phone = "".join(ch for ch in (applicant.phone or "") if ch.isdigit())
    provisional = deadline_for(procedure=procedure, received_at=now)
    dossier = Dossier(
        code=dossier_code_allocate(org_unit=receiving_unit, at=now),
        procedure=procedure,
        applicant=applicant,
        assisted_by=assisted_by,
        channel=channel,
        receiving_unit=receiving_unit,
        admin_unit=receiving_unit.admin_unit,
        data=cleaned,
        phone_last4=phone[-4:],
        submitted_at=now,
        due_at=provisional.due_at,
        due_steps=provisional.steps_json(),
        fee_vnd=_fee_for(procedure, channel),
        result_in_scope=procedure.has_document_result,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=idempotency_fingerprint if idempotency_key else "",
    )
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError:
        # The same idempotency key arrived twice at once: return the first one.
        first = dossier_for_idempotency_key(
            applicant=applicant,
            key=idempotency_key,
            fingerprint=idempotency_fingerprint,
        )
        if first is not None:
            return first
        raise
    if attachments:
        Attachment.objects.filter(pk__in=[a.pk for a in attachments]).update(
            dossier=dossier, draft=None
        )
    if draft is not None:
        # Through the queryset: the caller's instance keeps its key, so that a
        # retried transaction (atomic_retrying) finds the draft again.
        Draft.objects.filter(pk=draft.pk).delete()
    event = Event.objects.create(
        dossier=dossier,
        action="submit",
        actor=assisted_by or applicant,
        actor_unit=getattr(assisted_by, "org_unit", None),
        at=now,
        to_status=dossier.status,
        details={"channel": channel, "assisted": assisted_by is not None},
    )
    hooks.transition_done(dossier=dossier, event=event)
    return dossier


# --- Officer actions ----------------------------------------------------------------


@atomic_retrying
def dossier_receive(
    *,
    dossier: Dossier,
    actor: Any,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Receive a complete dossier: the time limit starts and the appointment is set."""
    now = now or timezone.now()
    deadline = deadline_for(procedure=dossier.procedure, received_at=now)

    def change(d: Dossier) -> None:
        d.received_at = now
        d.clock_started_at = now
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()

    return _transition(
        dossier=dossier,
        actor=actor,
        action="receive",
        note=note,
        change=change,
        details={"due_at": deadline.due_at.isoformat()},
        now=now,
    )


@atomic_retrying
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: Any,
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

    return _transition(
        dossier=dossier,
        actor=actor,
        action="request_supplement",
        note=reason.strip(),
        details={"items": items},
        change=change,
        now=now,
    )


@files_removed_on_failure
@atomic_retrying
def dossier_supplement(
    *,
    dossier: Dossier,
    actor: Any,
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
    if settings.DOSSIER_SUPPLEMENT_MODE == "pause" and dossier.supplement_requested_at:
        deadline = calendar.extend_by_pause(
            _stored_deadline(dossier),
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
            days=_procedure_days(dossier.procedure),
            same_day=dossier.procedure.same_day,
        )
        details = {"mode": "restart", "restarted_at": now.isoformat()}

    def change(d: Dossier) -> None:
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()
        d.supplement_requested_at = None
        if details["mode"] == "restart":
            d.clock_started_at = now

    details["due_at"] = deadline.due_at.isoformat()
    return _transition(
        dossier=dossier,
        actor=actor,
        action="supplement",
        note=note,
        details=details,
        change=change,
        now=now,
    )


@atomic_retrying
def dossier_forward(
    *,
    dossier: Dossier,
    actor: Any,
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

    return _transition(
        dossier=dossier,
        actor=actor,
        action="forward",
        note=note,
        change=change,
        details={"to_unit": to_unit.agency_code, "to_unit_name": to_unit.name},
        now=now,
    )


@atomic_retrying
def dossier_approve(
    *,
    dossier: Dossier,
    actor: Any,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    return _transition(
        dossier=dossier, actor=actor, action="approve", note=note, now=now
    )


@files_removed_on_failure
@atomic_retrying
def dossier_issue_result(
    *,
    dossier: Dossier,
    actor: Any,
    title: str,
    number: str = "",
    file: UploadedFile[bytes] | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """Issue the electronic result with its verification token. With a file the
    result counts as digitised."""
    if not title.strip():
        raise DossierError(_("Hãy nhập tên kết quả (ví dụ: Giấy khai sinh)."))
    if file is not None:
        check_upload(file)
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.completed_at = now
        d.result_digitized = file is not None

    dossier = _transition(
        dossier=dossier, actor=actor, action="issue_result", change=change, now=now
    )
    result = Result(
        dossier=dossier,
        token=secrets.token_urlsafe(24),
        title=title.strip(),
        number=number.strip(),
        issued_at=now,
        issued_by_unit=dossier.processing_unit or dossier.receiving_unit,
        issued_by=actor,
    )
    if file is not None:
        try:
            file_store(result.file, secrets.token_hex(16), file)
        except DiskFull as exc:
            raise _storage_full(safe_name(file.name or "")) from exc
    result.save()
    return dossier


@atomic_retrying
def dossier_return_result(
    *,
    dossier: Dossier,
    actor: Any,
    method: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Hand the result over (at the counter, by post or online)."""
    if method not in {"counter", "post", "online"}:
        raise DossierError(_("Hãy chọn hình thức trả kết quả."))
    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.returned_at = now
        d.return_method = method

    return _transition(
        dossier=dossier,
        actor=actor,
        action="return_result",
        note=note,
        change=change,
        details={"method": method},
        now=now,
    )


def _ends_processing(now: datetime.datetime) -> Callable[[Dossier], None]:
    def change(d: Dossier) -> None:
        d.completed_at = now

    return change


@atomic_retrying
def dossier_refuse(
    *, dossier: Dossier, actor: Any, reason: str, now: datetime.datetime | None = None
) -> Dossier:
    """Refuse with a reason (NĐ 61/2018 art. 19.8: within the time limit)."""
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do từ chối."))
    now = now or timezone.now()
    return _transition(
        dossier=dossier,
        actor=actor,
        action="refuse",
        note=reason.strip(),
        change=_ends_processing(now),
        now=now,
    )


@atomic_retrying
def dossier_stop(
    *, dossier: Dossier, actor: Any, reason: str, now: datetime.datetime | None = None
) -> Dossier:
    """Stop processing (e.g. a supplement never came)."""
    if not reason.strip():
        raise DossierError(_("Hãy ghi rõ lý do dừng xử lý."))
    now = now or timezone.now()
    return _transition(
        dossier=dossier,
        actor=actor,
        action="stop",
        note=reason.strip(),
        change=_ends_processing(now),
        now=now,
    )


@atomic_retrying
def dossier_withdraw(
    *,
    dossier: Dossier,
    actor: Any,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    return _transition(
        dossier=dossier, actor=actor, action="withdraw", note=reason.strip(), now=now
    )


@atomic_retrying
def dossier_apologize(
    *,
    dossier: Dossier,
    actor: Any,
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
    _check_status(locked, "apologize")
    if locked.apologized:
        raise IllegalTransition(
            _("Hồ sơ đã được xin lỗi và hẹn lại một lần; chỉ được hẹn lại một lần.")
        )
    if locked.due_at is None:
        raise IllegalTransition(_("Hồ sơ chưa có hạn trả kết quả."))
    due_day = timezone.localtime(locked.due_at).date()
    if timezone.localtime(now).date() > due_day - datetime.timedelta(days=1):
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

    return _transition(
        dossier=locked,
        actor=actor,
        action="apologize",
        note=reason.strip(),
        change=change,
        details={
            "old_due_at": locked.due_at.isoformat(),
            "new_due_at": new_due_at.isoformat(),
        },
        now=now,
    )


RATING_INDICATORS = 9


@atomic_retrying
def dossier_rate(
    *,
    dossier: Dossier,
    actor: Any,
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
    _check_status(dossier, "rate")
    if Rating.objects.filter(dossier=dossier).exists():
        raise IllegalTransition(_("Hồ sơ này đã được đánh giá."))
    dossier = _transition(
        dossier=dossier,
        actor=actor,
        action="rate",
        details={"overall": overall},
        public=False,
        now=now,
    )
    Rating.objects.create(
        dossier=dossier, scores=scores, overall=overall, comment=comment
    )
    return dossier


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
    *, dossier: Dossier, actor: Any, assignee: Any, now: datetime.datetime | None = None
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


# --- Attachments and drafts -------------------------------------------------------


@files_removed_on_failure
@atomic_retrying
def attachment_add(
    *,
    uploaded_by: Any,
    upload: UploadedFile[bytes],
    document_key: str = "",
    dossier: Dossier | None = None,
    draft: Draft | None = None,
    supplement_round: int = 0,
) -> Attachment:
    """Store one checked file on a dossier or a draft."""
    owner = dossier or draft
    if owner is None:
        raise ValueError("an attachment belongs to a dossier or a draft")
    document_key_check(procedure=owner.procedure, document_key=document_key)
    held = Attachment.objects.filter(dossier=dossier, draft=draft).aggregate(
        total=Sum("size"), count=Count("pk")
    )
    try:
        checked = check_upload(
            upload, already_stored=held["total"] or 0, already_count=held["count"]
        )
    except ValidationError as exc:
        raise DossierError(" ".join(exc.messages)) from exc
    attachment = Attachment(
        dossier=dossier,
        draft=draft,
        document_key=document_key,
        original_name=checked.safe_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=uploaded_by,
        supplement_round=supplement_round,
    )
    try:
        file_store(attachment.file, checked.safe_name, upload)
    except DiskFull as exc:
        raise _storage_full(checked.safe_name) from exc
    attachment.save()
    return attachment


def document_key_check(
    *, procedure: Procedure, document_key: str, required: bool = False
) -> None:
    """Refuse a paper the procedure does not ask for. A blank key is a paper
    outside the form's list (a supplement item naming none), unless `required`."""
    keys = sorted({f["document"] for f in schema_file_fields(procedure.form_schema)})
    if document_key in keys or (not document_key and not required):
        return
    listed = ", ".join(keys) or "—"
    if document_key:
        message = _(
            "Thủ tục này không yêu cầu giấy tờ “%(key)s”. "
            "Các giấy tờ của thủ tục: %(keys)s."
        ) % {"key": document_key, "keys": listed}
    else:
        message = _(
            "Hãy cho biết tệp là giấy tờ nào (document_key). "
            "Các giấy tờ của thủ tục: %(keys)s."
        ) % {"keys": listed}
    raise InvalidDossierData({"document_key": [message]})


def _storage_full(name: str) -> StorageFull:
    return StorageFull(
        _(
            "Máy chủ tạm thời hết chỗ lưu tệp nên chưa nhận được tệp “%(name)s”. "
            "Hồ sơ không bị thay đổi; bạn hãy thử lại sau ít phút."
        )
        % {"name": name}
    )


@atomic_retrying
def attachment_add_to_dossier(
    *,
    dossier: Dossier,
    uploaded_by: Any,
    upload: UploadedFile[bytes],
    document_key: str = "",
) -> Attachment:
    """The applicant adds files while the dossier awaits receipt or a supplement;
    the receiving officer adds scans at the counter until it is forwarded."""
    if uploaded_by.pk == dossier.applicant_id:
        allowed = {Status.SUBMITTED, Status.SUPPLEMENT_REQUESTED}
    elif may_act(uploaded_by, dossier, "receive"):
        allowed = {Status.SUBMITTED, Status.RECEIVED}
    else:
        raise ActionNotAllowed(_("Bạn không được thêm tệp vào hồ sơ này."))
    if dossier.status not in allowed:
        raise IllegalTransition(
            _("Không thể thêm tệp khi hồ sơ ở trạng thái “%(status)s”.")
            % {"status": dossier.get_status_display()}
        )
    return attachment_add(
        dossier=dossier,
        uploaded_by=uploaded_by,
        upload=upload,
        document_key=document_key,
        supplement_round=dossier.supplement_count,
    )


@atomic_retrying
def attachment_from_stored_document(
    *,
    owner: Any,
    stored_document_id: int,
    document_key: str,
    draft: Draft | None = None,
    dossier: Dossier | None = None,
) -> Attachment:
    """Attach a paper from the citizen's document store without a new upload.

    The dossier keeps its own copy: what was submitted stays as it was even if the
    citizen later deletes the stored document.
    """
    from accounts.selectors import stored_document_get_for_user

    document = stored_document_get_for_user(user=owner, pk=stored_document_id)
    with document.file.open("rb") as handle:
        upload = File(handle, name=document.title)
        upload.size = document.size
        attachment = attachment_add(
            uploaded_by=owner,
            upload=upload,  # type: ignore[arg-type]
            document_key=document_key,
            dossier=dossier,
            draft=draft,
        )
    attachment.stored_document = document
    attachment.save(update_fields=["stored_document"])
    return attachment


# --- Filing for a present citizen; generated results (officer pages) ------------


@files_removed_on_failure
@atomic_retrying
def dossier_file_for_citizen(
    *,
    helper: Any,
    citizen: Any,
    procedure: Procedure,
    data: dict[str, Any],
    files: Iterable[tuple[str, UploadedFile[bytes]]] = (),
    consent_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    """File a dossier for a citizen who is present, flagged assisted.

    A one-stop officer files at the counter (channel "counter") and receives it at
    once. A member of the community digital technology team files it online for
    the citizen, only after the citizen confirmed with the code sent to their
    phone (`consent_id`, used once), and it waits for the one-stop shop: they
    never decide anything.
    """
    from accounts.models import PhoneCodePurpose
    from accounts.services import PhoneCodeError, phone_code_consume

    unit = getattr(helper, "org_unit", None)
    if unit is None or not helper.has_perm("dossiers.file_for_citizen"):
        raise ActionNotAllowed(_("Bạn không được nộp hồ sơ giúp công dân."))
    if citizen.pk == helper.pk or not citizen.is_citizen or not citizen.is_active:
        raise DossierError(_("Chỉ nộp hồ sơ giúp một công dân khác đang có mặt."))
    one_stop = helper.has_perm("dossiers.receive_dossier")
    if not one_stop:
        try:
            phone_code_consume(
                challenge_id=consent_id,
                user=citizen,
                requested_by=helper,
                purpose=PhoneCodePurpose.FILE_FOR_CITIZEN,
                now=now,
            )
        except PhoneCodeError as exc:
            raise ActionNotAllowed(exc.message) from exc
    draft = Draft.objects.create(
        owner=citizen, procedure=procedure, receiving_unit=unit, data={}
    )
    for document_key, upload in files:
        attachment_add(
            uploaded_by=helper, upload=upload, document_key=document_key, draft=draft
        )
    dossier = dossier_submit(
        applicant=citizen,
        procedure=procedure,
        receiving_unit=unit,
        data=data,
        channel=Channel.COUNTER if one_stop else Channel.ONLINE,
        draft=draft,
        assisted_by=helper,
        now=now,
    )
    if one_stop:
        dossier = dossier_receive(dossier=dossier, actor=helper, now=now)
    return dossier


@atomic_retrying
def dossier_issue_generated_result(
    *,
    dossier: Dossier,
    actor: Any,
    title: str,
    number: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """Issue the result and generate its document (PDF with the verification QR
    code, at the portal's public address) from the dossier's data: the result is
    digitised."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from . import slips
    from .selectors import dossier_data_rows

    dossier = dossier_issue_result(
        dossier=dossier, actor=actor, title=title, number=number, now=now
    )
    result = Result.objects.select_related("issued_by_unit").get(dossier=dossier)
    # An official paper is in Vietnamese whoever issues it.
    with translation.override("vi"):
        content = slips.result_pdf(
            dossier,
            result,
            verify_url=absolute_url(result.get_absolute_url()),
            data_rows=dossier_data_rows(dossier=dossier),
        )
    result.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(content), save=True)
    Dossier.objects.filter(pk=dossier.pk).update(result_digitized=True)
    dossier.result_digitized = True
    return dossier


# --- Drafts: the citizen's submission wizard (views/citizen.py) ----------------------

# Keys of a draft's data that are the wizard's own bookkeeping, never form data:
# form-schema field names start with a letter, so they cannot collide.
DRAFT_CONSENT_KEY = "_registry_consent"


def draft_values(draft: Draft) -> dict[str, Any]:
    """The form values of a draft, without the wizard's bookkeeping."""
    return {k: v for k, v in draft.data.items() if not k.startswith("_")}


@atomic_retrying
def draft_create(
    *,
    owner: Any,
    procedure: Procedure,
    receiving_unit: OrgUnit,
    data: dict[str, Any] | None = None,
    step: str = "",
) -> Draft:
    """Start a submission; `data` holds the prefilled values."""
    if not procedure.submittable:
        raise DossierError(_("Thủ tục này không nộp hồ sơ trực tuyến trên Cổng."))
    return Draft.objects.create(
        owner=owner,
        procedure=procedure,
        receiving_unit=receiving_unit,
        data={k: v for k, v in (data or {}).items() if not k.startswith("_")},
        step=step,
    )


@atomic_retrying
def draft_update(
    *,
    draft: Draft,
    values: dict[str, Any] | None = None,
    clear: Iterable[str] = (),
    receiving_unit: OrgUnit | None = None,
    step: str | None = None,
) -> Draft:
    """Save what the citizen typed on one page (as typed: nothing is lost, even
    when it does not validate yet) and where they are."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    data = dict(locked.data)
    for name in clear:
        data.pop(name, None)
    for name, value in (values or {}).items():
        if name.startswith("_"):
            continue
        data[name] = value
    locked.data = data
    if receiving_unit is not None:
        locked.receiving_unit = receiving_unit
    if step is not None:
        locked.step = step
    locked.save()
    return locked


@atomic_retrying
def draft_set_registry_consent(
    *, draft: Draft, consent: bool, now: datetime.datetime | None = None
) -> Draft:
    """Record (or withdraw) the citizen's consent to look people up in the
    population registry for this draft."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    data = dict(locked.data)
    if consent:
        data.setdefault(DRAFT_CONSENT_KEY, (now or timezone.now()).isoformat())
    else:
        data.pop(DRAFT_CONSENT_KEY, None)
    locked.data = data
    locked.save(update_fields=["data", "updated_at"])
    return locked


def draft_registry_consent(draft: Draft) -> str:
    """When the citizen consented to registry lookups for this draft ("" = not)."""
    return str(draft.data.get(DRAFT_CONSENT_KEY, ""))


@atomic_retrying
def draft_attach_stored_document(
    *, draft: Draft, stored_document_id: int, document_key: str
) -> Attachment:
    """Attach a paper from the owner's document store (no new upload). Choosing
    the same document again for the same paper attaches nothing more."""
    existing = Attachment.objects.filter(
        draft=draft,
        dossier__isnull=True,
        document_key=document_key,
        stored_document_id=stored_document_id,
    ).first()
    if existing is not None:
        return existing
    attachment = attachment_from_stored_document(
        owner=draft.owner,
        stored_document_id=stored_document_id,
        document_key=document_key,
        draft=draft,
    )
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    locked.stored_documents = {
        **locked.stored_documents,
        document_key: stored_document_id,
    }
    locked.save(update_fields=["stored_documents", "updated_at"])
    return attachment


@atomic_retrying
def draft_attachment_remove(*, draft: Draft, attachment_id: int) -> None:
    """Take a file off a draft (a submitted dossier's files are never removed)."""
    attachment = Attachment.objects.filter(
        pk=attachment_id, draft=draft, dossier__isnull=True
    ).first()
    if attachment is None:
        raise DossierError(_("Không tìm thấy tệp này trong hồ sơ đang soạn."))
    key = attachment.document_key
    name = attachment.file.name or ""
    storage = attachment.file.storage
    attachment.delete()
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    if (
        key in locked.stored_documents
        and not locked.attachments.filter(
            document_key=key, stored_document__isnull=False
        ).exists()
    ):
        locked.stored_documents = {
            k: v for k, v in locked.stored_documents.items() if k != key
        }
        locked.save(update_fields=["stored_documents", "updated_at"])
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@atomic_retrying
def draft_delete(*, draft: Draft) -> None:
    """Delete a draft and the files uploaded to it."""
    files = [
        (a.file.storage, a.file.name) for a in draft.attachments.all() if a.file.name
    ]
    Attachment.objects.filter(draft=draft, dossier__isnull=True).delete()
    Draft.objects.filter(pk=draft.pk).delete()  # the instance keeps its key
    for storage, name in files:
        transaction.on_commit(
            lambda storage=storage, name=name: storage.delete(name)  # type: ignore[misc]
        )


# --- Fees: waiting for the citizen's payment (called by the payments app) ----------


@atomic_retrying
def dossier_request_payment(
    *,
    dossier: Dossier,
    actor: Any,
    amount_vnd: int,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """A received dossier waits for its fee. The time limit does not run meanwhile:
    `dossier_confirm_payment` moves the due date by the working days waited.
    `actor` None is the payment service itself."""
    return _transition(
        dossier=dossier,
        actor=actor,
        action="request_payment",
        note=note,
        details={"amount_vnd": amount_vnd},
        now=now,
    )


@atomic_retrying
def dossier_confirm_payment(
    *,
    dossier: Dossier,
    actor: Any,
    reference: str,
    note: str = "",
    now: datetime.datetime | None = None,
) -> Dossier:
    """The fee is paid: the dossier is received again and its due date moves by the
    working days spent waiting since the payment was requested (kept in the
    explanation). `reference` names the payment (order id, receipt number)."""
    now = now or timezone.now()
    requested = (
        Event.objects.filter(dossier=dossier, action="request_payment")
        .order_by("-at", "-pk")
        .first()
    )
    details: dict[str, Any] = {"reference": reference}

    def change(d: Dossier) -> None:
        if requested is None or d.due_at is None:
            return
        deadline = WorkingCalendar.load().extend_by_pause(
            _stored_deadline(d),
            paused_from=requested.at,
            paused_to=now,
            rule="paused_payment",
        )
        d.due_at = deadline.due_at
        d.due_steps = deadline.steps_json()
        details["due_at"] = deadline.due_at.isoformat()

    return _transition(
        dossier=dossier,
        actor=actor,
        action="confirm_payment",
        note=note,
        details=details,
        change=change,
        now=now,
    )


# --- Linked dossiers: what other agencies' systems do (chains) -----------------------
# A linked dossier (Decree 63/2024) is received electronically by the agencies'
# systems, and each of its parts is a normal dossier of one member procedure at one
# agency, coded `{linked dossier's code}-{step}`. The chains app drives them through
# these services (docs/linked-chains.md). Actor None is the portal itself acting for
# another agency's system: no user may do these moves.


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

    dossier = _transition(
        dossier=dossier,
        actor=None,
        action="receive",
        note=note,
        change=change,
        details={"due_at": deadline.due_at.isoformat(), "system": True},
        now=now,
    )
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

    return _transition(
        dossier=dossier,
        actor=None,
        action="forward",
        change=to_processing,
        details={"system": True},
        now=now,
    )


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
    `{parent code}-{suffix}` (one code across agencies), submitted and received at
    once with the part's own time limit. `awaits_officer` False: the agency's
    system handles it, and the unit's officers are not called to it."""
    now = now or timezone.now()
    part = Dossier.objects.create(
        code=f"{parent.code}-{suffix}",
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
        fee_vnd=_fee_for(procedure, parent.channel),
        result_in_scope=procedure.has_document_result,
    )
    event = Event.objects.create(
        dossier=part,
        action="submit",
        at=now,
        to_status=part.status,
        note=note,
        details={
            "channel": parent.channel,
            "linked_from": parent.code,
            "awaits_officer": awaits_officer,
        },
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
    from django.core.files.base import ContentFile
    from django.utils import translation

    from . import slips

    now = now or timezone.now()

    def change(d: Dossier) -> None:
        d.completed_at = now
        d.result_digitized = True

    dossier = _transition(
        dossier=dossier,
        actor=None,
        action="record_result",
        note=note,
        change=change,
        details={"title": title, "number": number},
        now=now,
    )
    result = Result.objects.create(
        dossier=dossier,
        token=secrets.token_urlsafe(24),
        title=title,
        number=number,
        issued_at=now,
        issued_by_unit=dossier.processing_unit or dossier.receiving_unit,
        issued_by=issued_by,
    )
    # PORTAL_URL, else the address of the request that set the chain going
    # (carried by its tasks: accounts/addresses.py).
    verify_url = absolute_url(result.get_absolute_url())
    # An official paper is in Vietnamese whoever reads it.
    with translation.override("vi"):
        content = slips.result_pdf(
            dossier, result, verify_url=verify_url, data_rows=data_rows
        )
    result.file.save(f"{secrets.token_hex(16)}.pdf", ContentFile(content), save=True)
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
        at=now or timezone.now(),
        note=note,
        public=public,
        details=details or {},
    )


@files_removed_on_failure
@atomic_retrying
def dossier_data_correct(
    *,
    dossier: Dossier,
    actor: Any,
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
    errors |= _check_files(procedure, cleaned, locked.attachments.all())
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
        at=now,
        from_status=locked.status,
        to_status=locked.status,
        details={"fields": changed, "label": gettext_noop("Người nộp sửa tờ khai")},
    )
    return locked
