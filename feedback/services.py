"""Writes of feedback: confirming an anonymous sender's phone, sending, routing,
answering, publishing, moderating, and the reminders and escalation of late ones.

Each service runs in a transaction and appends a `FeedbackEvent`; messages to the
sender and to officers go out after commit.
"""

import datetime
import logging
import re
import secrets
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.adapters.sms import SmsError, mask_phone, send_sms
from accounts.identifiers import normalize_phone, phone_errors
from accounts.models import PhoneCode, PhoneCodePurpose
from accounts.roles import Role
from accounts.services import PhoneCodeError, phone_code_send, phone_code_verify
from accounts.uploads import inspect_upload
from dossiers.calendar import WorkingCalendar
from dossiers.files import file_store, files_removed_on_failure
from dossiers.models import Dossier
from notifications.services import notify, render_message
from procedures.models import Procedure
from units.models import OrgUnit
from units.selectors import receiving_q, valid_on_q

from .models import (
    DUE_WORKING_DAYS,
    MODERATED,
    TRANSITIONS,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    Kind,
    Status,
)

logger = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_CONTENT = 5000
MAX_REASON = 500
# Roles that answer feedback for their unit; conduct goes to the leader only.
ANSWERING_ROLES = (Role.RECEIVING_OFFICER, Role.SPECIALIST, Role.LEADER)


class FeedbackError(Exception):
    """Refused; `message` is for the person who asked."""

    def __init__(self, message: str, *, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


class FeedbackNotAllowed(FeedbackError):
    """The person may not do this to this feedback."""


# --- Phone confirmation of anonymous senders -----------------------------------


def phone_checked(value: str) -> str:
    """The number as 0xxxxxxxxx, or FeedbackError if it is no Vietnamese mobile."""
    phone = normalize_phone(value or "")
    if not phone or phone_errors(phone):
        raise FeedbackError(
            _("Số điện thoại không phải số di động Việt Nam hợp lệ."), field="phone"
        )
    return phone


def feedback_phone_code_send(*, phone: str) -> PhoneCode:
    """Send a 6-digit code to `phone` (at most FEEDBACK_PHONE_CODES_PER_HOUR an
    hour to one number): accounts' one-time codes, for a number without an
    account."""
    number = phone_checked(phone)
    try:
        return phone_code_send(purpose=PhoneCodePurpose.FEEDBACK_SENDER, phone=number)
    except PhoneCodeError as exc:
        raise FeedbackError(exc.message, field="phone") from exc


def feedback_phone_code_use(*, challenge_id: Any, phone: str, code: str) -> str:
    """Use a code once: the confirmed phone, or FeedbackError. A wrong code
    counts as an attempt (committed even though the error is raised)."""
    number = phone_checked(phone)
    try:
        phone_code_verify(
            challenge_id=challenge_id,
            phone=number,
            purpose=PhoneCodePurpose.FEEDBACK_SENDER,
            code=code,
            use=True,
        )
    except PhoneCodeError as exc:
        raise FeedbackError(exc.message, field="phone_code") from exc
    return number


# --- Sending -------------------------------------------------------------------


@dataclass
class Routing:
    org_unit: OrgUnit
    procedure: Procedure | None
    dossier: Dossier | None
    officer_concerned: Any


def _unit_in_force(agency_code: str, *, receiving: bool) -> OrgUnit | None:
    today = timezone.localdate()
    condition = receiving_q(today) if receiving else valid_on_q(today)
    units = OrgUnit.objects.filter(condition, is_active=True)
    return units.filter(agency_code=agency_code).first() if agency_code else None


def feedback_route(
    *,
    kind: str,
    sender: Any,
    phone: str = "",
    procedure_code: str = "",
    dossier_code: str = "",
    unit_code: str = "",
) -> Routing:
    """The competent unit: the dossier's (processing, else receiving) unit; else
    the chosen unit receiving the procedure's dossiers (the only one, unchosen);
    else the chosen unit in force. FeedbackError says what is missing."""
    if kind not in Kind.values:
        raise FeedbackError(_("Chọn loại phản ánh."), field="kind")
    dossier = None
    if dossier_code:
        dossier = (
            Dossier.objects.select_related(
                "procedure", "receiving_unit", "processing_unit"
            )
            .filter(code=dossier_code.strip())
            .first()
        )
        # Only the applicant's account, or a phone ending as the dossier's does.
        owns = dossier is not None and (
            (sender is not None and dossier.applicant_id == sender.pk)
            or (
                sender is None
                and bool(dossier.phone_last4)
                and phone.endswith(dossier.phone_last4)
            )
        )
        if not owns:
            raise FeedbackError(
                _("Không tìm thấy hồ sơ của bạn có mã này."), field="dossier"
            )
    elif kind == Kind.DOSSIER:
        raise FeedbackError(_("Nhập mã hồ sơ được phản ánh."), field="dossier")
    if dossier is not None:
        routed = dossier.processing_unit or dossier.receiving_unit
        concerned = dossier.assignee if kind == Kind.CONDUCT else None
        return Routing(routed, dossier.procedure, dossier, concerned)
    procedure = None
    if procedure_code:
        procedure = Procedure.objects.filter(code=procedure_code.strip()).first()
        if procedure is None:
            raise FeedbackError(_("Không có thủ tục có mã này."), field="procedure")
    elif kind == Kind.PROCEDURE:
        raise FeedbackError(_("Chọn thủ tục được phản ánh."), field="procedure")
    unit: OrgUnit | None = _unit_in_force(
        unit_code.strip(), receiving=procedure is not None
    )
    if procedure is not None:
        candidates = OrgUnit.objects.filter(
            receiving_q(timezone.localdate()), agency_type=procedure.agency_type
        )
        if unit is None and not unit_code and candidates.count() == 1:
            unit = candidates.first()
        elif unit is not None and not candidates.filter(pk=unit.pk).exists():
            unit = None
    if unit is None:
        raise FeedbackError(
            _("Chọn cơ quan giải quyết phản ánh (cơ quan đang hoạt động)."),
            field="unit",
        )
    return Routing(unit, procedure, None, None)


def _new_code() -> str:
    alphabet = string.digits + "ABCDEFGHJKLMNPQRSTUVWXYZ"
    day = timezone.localdate().strftime("%y%m%d")
    while True:
        code = "PA" + day + "".join(secrets.choice(alphabet) for _i in range(6))
        if not Feedback.objects.filter(code=code).exists():
            return code


def _check_text(title: str, content: str) -> tuple[str, str]:
    title, content = (title or "").strip(), (content or "").strip()
    if not title:
        raise FeedbackError(_("Nhập tiêu đề."), field="title")
    if len(title) > MAX_TITLE:
        raise FeedbackError(
            _("Tiêu đề dài quá %(limit)d ký tự.") % {"limit": MAX_TITLE},
            field="title",
        )
    if len(content) < 10:
        raise FeedbackError(_("Nội dung cần ít nhất 10 ký tự."), field="content")
    if len(content) > MAX_CONTENT:
        raise FeedbackError(
            _("Nội dung dài quá %(limit)d ký tự.") % {"limit": MAX_CONTENT},
            field="content",
        )
    if "\x00" in title + content:
        raise FeedbackError(_("Nội dung có ký tự không hợp lệ."), field="content")
    return title, content


def _check_files(files: Sequence[UploadedFile[bytes]]) -> list[Any]:
    """The dossier papers' inspection (accounts/uploads.py) with feedback's caps."""
    if len(files) > settings.FEEDBACK_MAX_FILES:
        raise FeedbackError(
            _("Gửi tối đa %(limit)d tệp.") % {"limit": settings.FEEDBACK_MAX_FILES},
            field="files",
        )
    total = sum(upload.size or 0 for upload in files)
    if total > settings.FEEDBACK_MAX_TOTAL_MB * 1024 * 1024:
        raise FeedbackError(
            _("Tổng dung lượng tệp vượt quá %(limit)d MB.")
            % {"limit": settings.FEEDBACK_MAX_TOTAL_MB},
            field="files",
        )
    checked = []
    for upload in files:
        try:
            checked.append(
                inspect_upload(
                    upload,
                    name=upload.name or "",
                    size=upload.size or 0,
                    max_bytes=settings.FEEDBACK_MAX_FILE_MB * 1024 * 1024,
                )
            )
        except ValidationError as exc:
            raise FeedbackError(" ".join(exc.messages), field="files") from exc
    return checked


def _check_phone_limit(phone: str) -> None:
    since = timezone.now() - datetime.timedelta(days=1)
    sent = Feedback.objects.filter(
        Q(sender_phone=phone) | Q(sender__phone=phone), received_at__gt=since
    ).count()
    if sent >= settings.FEEDBACK_MAX_PER_PHONE_PER_DAY:
        raise FeedbackError(
            _(
                "Số điện thoại này đã gửi %(count)d phản ánh trong 24 giờ; "
                "hãy gửi lại sau."
            )
            % {"count": sent},
            field="phone",
        )


def due_date_for(kind: str, received: Any) -> Any:
    """The due date: the kind's working days after the day of receipt."""
    calendar = WorkingCalendar.load()
    day = timezone.localdate(received)
    return calendar.add_working_days(day, DUE_WORKING_DAYS[Kind(kind)])


@files_removed_on_failure
def feedback_submit(
    *,
    sender: Any,
    kind: str,
    title: str,
    content: str,
    publish_consent: bool,
    procedure_code: str = "",
    dossier_code: str = "",
    unit_code: str = "",
    sender_name: str = "",
    phone: str = "",
    phone_challenge: Any = None,
    phone_code: str = "",
    files: Sequence[UploadedFile[bytes]] = (),
    language: str = "vi",
) -> Feedback:
    """Record a feedback from a citizen's account (`sender`) or an anonymous
    sender whose phone an SMS code confirms; route it, set its due date,
    acknowledge it at once."""
    if sender is not None and not getattr(sender, "is_citizen", False):
        raise FeedbackNotAllowed(_("Tài khoản cán bộ không gửi phản ánh."))
    title, content = _check_text(title, content)
    if len(sender_name or "") > 150:
        raise FeedbackError(_("Họ tên dài quá 150 ký tự."), field="name")
    number = (
        phone_checked(phone) if sender is None else normalize_phone(sender.phone or "")
    )
    if number:
        _check_phone_limit(number)
    routing = feedback_route(
        kind=kind,
        sender=sender,
        phone=number,
        procedure_code=procedure_code,
        dossier_code=dossier_code,
        unit_code=unit_code,
    )
    checked = _check_files(files)
    if sender is None:
        feedback_phone_code_use(
            challenge_id=phone_challenge, phone=number, code=phone_code
        )
    now = timezone.now()
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with transaction.atomic():
        feedback = Feedback.objects.create(
            code=_new_code(),
            kind=kind,
            sender=sender,
            sender_name=(sender_name or "").strip() if sender is None else "",
            sender_phone=number if sender is None else "",
            language=language,
            procedure=routing.procedure,
            dossier=routing.dossier,
            officer_concerned=routing.officer_concerned,
            org_unit=routing.org_unit,
            title=title,
            content=content,
            publish_consent=bool(publish_consent),
            received_at=now,
            due_date=due_date_for(kind, now),
        )
        for upload, check in zip(files, checked, strict=True):
            attachment = FeedbackAttachment(
                feedback=feedback,
                name=check.safe_name,
                content_type=check.content_type,
                size=check.size,
                sha256=check.sha256,
            )
            upload.seek(0)
            file_store(attachment.file, f"paper.{check.extension}", upload)
            attachment.save()
        _event(feedback, actor=sender, action="submit", to_status=Status.RECEIVED)
        _tell_sender(feedback, "feedback_received")
    return feedback


# --- Messages ------------------------------------------------------------------


def _message_context(feedback: Feedback) -> dict[str, Any]:
    return {
        "code": feedback.code,
        "title": feedback.title,
        "unit": feedback.org_unit.name,
        "due_date": feedback.due_date,
        "status": feedback.status,
        "reason": feedback.moderation_reason,
    }


def _sms_after_commit(phone: str, text: str) -> None:
    def send() -> None:
        try:
            send_sms(phone=phone, text=text[:459])
        except SmsError:
            logger.warning("feedback sms failed to=%s", mask_phone(phone))

    transaction.on_commit(send)


def _tell_sender(feedback: Feedback, template: str) -> None:
    """The sender's account gets a notification in their language; an anonymous
    sender an SMS in the language they wrote in."""
    context = _message_context(feedback)
    key = f"{template}:{feedback.pk}:{feedback.events.count()}"
    if feedback.sender is not None:
        notify(
            recipient=feedback.sender,
            event_key=template,
            template=template,
            context=context,
            dedup_key=key,
            url=f"/feedback/mine/#{feedback.code}",
        )
    elif feedback.sender_phone:
        rendered = render_message(template, context | {"link": ""}, feedback.language)
        _sms_after_commit(feedback.sender_phone, rendered.sms_text)


def _tell_officers(feedback: Feedback, template: str, users: Iterable[Any]) -> None:
    for user in users:
        notify(
            recipient=user,
            event_key=template,
            template=template,
            context=_message_context(feedback),
            dedup_key=f"{template}:{feedback.pk}",
            url=feedback.get_absolute_url(),
        )


def _event(
    feedback: Feedback,
    *,
    actor: Any,
    action: str,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        feedback=feedback,
        actor=actor,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
    )


# --- Officers' actions ----------------------------------------------------------


def may_handle(*, user: Any, feedback: Feedback) -> bool:
    """Officers of the unit (conduct: its leaders) and administrators, never the
    officer the feedback is about."""
    if not getattr(user, "is_authenticated", False):
        return False
    if feedback.officer_concerned_id == user.pk:
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    if user.org_unit_id != feedback.org_unit_id:
        return False
    if feedback.kind == Kind.CONDUCT:
        return bool(user.has_role(Role.LEADER))
    return bool(user.has_role(*ANSWERING_ROLES))


def _locked(feedback: Feedback) -> Feedback:
    return Feedback.objects.select_for_update().get(pk=feedback.pk)


def feedback_transition(
    *, feedback: Feedback, actor: Any, to: str, action: str, reason: str = ""
) -> Feedback:
    """Move the (locked) feedback to `to` if the table allows it; one event."""
    source = feedback.status
    if to not in TRANSITIONS.get(source, frozenset()):
        raise FeedbackError(
            _("Phản ánh đang ở trạng thái “%(status)s”, không chuyển được.")
            % {"status": Status(source).label}
        )
    feedback.status = to
    feedback.save()
    _event(
        feedback,
        actor=actor,
        action=action,
        from_status=source,
        to_status=to,
        reason=reason,
    )
    return feedback


@transaction.atomic
def feedback_answer(
    *, feedback: Feedback, officer: Any, answer: str, publish: bool = False
) -> Feedback:
    """Answer an open feedback; the sender is told in their language. With
    `publish` and the sender's consent the answer is shown publicly."""
    if not may_handle(user=officer, feedback=feedback):
        raise FeedbackNotAllowed(_("Bạn không xử lý phản ánh này."))
    answer = (answer or "").strip()
    if len(answer) < 10:
        raise FeedbackError(_("Câu trả lời cần ít nhất 10 ký tự."), field="answer")
    if len(answer) > MAX_CONTENT:
        raise FeedbackError(
            _("Câu trả lời dài quá %(limit)d ký tự.") % {"limit": MAX_CONTENT},
            field="answer",
        )
    feedback = _locked(feedback)
    feedback.answer = answer
    feedback.answered_at = timezone.now()
    feedback.answered_by = officer
    feedback.on_time = feedback.answered_on_time()
    feedback_transition(
        feedback=feedback, actor=officer, to=Status.ANSWERED, action="answer"
    )
    if publish:
        _publish(feedback, actor=officer)
    _tell_sender(feedback, "feedback_answered")
    return feedback


# Personal data removed before publication: phone numbers, identity numbers,
# e-mail addresses, dossier codes.
_PERSONAL = [
    re.compile(r"(?:\+?84|0)(?:[\s.\-]?\d){9,10}"),
    re.compile(r"\b\d{9}(?:\d{3})?\b"),
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
]


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """`text` without the personal data a reader could identify someone by."""
    for name in sorted({n.strip() for n in names if n and n.strip()}, key=len):
        text = re.sub(re.escape(name), "***", text, flags=re.IGNORECASE)
    for pattern in _PERSONAL:
        text = pattern.sub("***", text)
    return text


def _publish(feedback: Feedback, *, actor: Any) -> None:
    if not feedback.publish_consent:
        raise FeedbackError(_("Người gửi không đồng ý công khai phản ánh này."))
    if feedback.answered_at is None or feedback.status != Status.ANSWERED:
        raise FeedbackError(_("Chỉ công khai phản ánh đã được trả lời."))
    names = [feedback.sender_name, feedback.sender_phone]
    if feedback.sender is not None:
        names += [feedback.sender.full_name, feedback.sender.username]
        names.append(feedback.sender.phone)
    if feedback.dossier is not None:
        names += [feedback.dossier.code, feedback.dossier.applicant.full_name]
    if feedback.officer_concerned is not None:
        names.append(feedback.officer_concerned.full_name)
    feedback.public_content = redact(feedback.content, names=names)
    feedback.public_answer = redact(feedback.answer, names=names)
    feedback.published_at = timezone.now()
    feedback.save()
    _event(feedback, actor=actor, action="publish")


@transaction.atomic
def feedback_publish(*, feedback: Feedback, officer: Any) -> Feedback:
    if not may_handle(user=officer, feedback=feedback):
        raise FeedbackNotAllowed(_("Bạn không xử lý phản ánh này."))
    feedback = _locked(feedback)
    _publish(feedback, actor=officer)
    return feedback


@transaction.atomic
def feedback_moderate(
    *, feedback: Feedback, officer: Any, to: str, reason: str
) -> Feedback:
    """Hide, mark duplicate or out of scope (a reason the sender sees), or
    restore to received."""
    if not may_handle(user=officer, feedback=feedback):
        raise FeedbackNotAllowed(_("Bạn không xử lý phản ánh này."))
    reason = (reason or "").strip()
    if to in MODERATED and not reason:
        raise FeedbackError(_("Nêu lý do để người gửi biết."), field="reason")
    if len(reason) > MAX_REASON:
        raise FeedbackError(
            _("Lý do dài quá %(limit)d ký tự.") % {"limit": MAX_REASON},
            field="reason",
        )
    feedback = _locked(feedback)
    if to == Status.RECEIVED and feedback.answered_at is not None:
        to = Status.ANSWERED
    feedback.moderation_reason = reason if to in MODERATED else ""
    if to == Status.HIDDEN:
        feedback.published_at = None
    feedback_transition(
        feedback=feedback, actor=officer, to=to, action="moderate", reason=reason
    )
    if to in MODERATED:
        _tell_sender(feedback, "feedback_moderated")
    return feedback


@transaction.atomic
def feedback_reroute(
    *, feedback: Feedback, admin: Any, org_unit: OrgUnit, reason: str
) -> Feedback:
    """An administrator sends the feedback to another unit (in force); the due
    date stands."""
    if not admin.has_role(Role.ADMINISTRATOR):
        raise FeedbackNotAllowed(_("Chỉ quản trị hệ thống chuyển phản ánh."))
    if not OrgUnit.objects.filter(
        valid_on_q(timezone.localdate()), is_active=True, pk=org_unit.pk
    ).exists():
        raise FeedbackError(_("Cơ quan này không còn hoạt động."), field="unit")
    feedback = _locked(feedback)
    if not feedback.is_open:
        raise FeedbackError(_("Chỉ chuyển phản ánh chưa được trả lời."))
    previous = feedback.org_unit
    feedback.org_unit = org_unit
    feedback.reminded_at = feedback.escalated_at = None
    feedback.save()
    _event(
        feedback,
        actor=admin,
        action="reroute",
        reason=f"{previous.agency_code} → {org_unit.agency_code}: {reason}"[:1000],
    )
    return feedback


# --- Reminders and escalation (periodic) -----------------------------------------


def _unit_people(feedback: Feedback, roles: Sequence[str]) -> list[Any]:
    from accounts.models import User

    users = (
        User.objects.filter(
            org_unit=feedback.org_unit, is_active=True, groups__name__in=roles
        )
        .exclude(pk=feedback.officer_concerned_id or 0)
        .distinct()
    )
    return list(users)


def feedback_reminders_send(*, today: Any = None) -> dict[str, int]:
    """Remind the unit of open feedback due by the next working day, and escalate
    to its leaders what is past due; each once (a conditional UPDATE claims it)."""
    today = today or timezone.localdate()
    calendar = WorkingCalendar.load()
    tomorrow = calendar.next_working_day(today)
    now = timezone.now()
    counts = {"reminded": 0, "escalated": 0}
    due_soon = Feedback.objects.filter(
        status=Status.RECEIVED,
        reminded_at__isnull=True,
        due_date__gte=today,
        due_date__lte=tomorrow,
    ).select_related("org_unit")
    for feedback in due_soon:
        with transaction.atomic():
            if not Feedback.objects.filter(
                pk=feedback.pk, reminded_at__isnull=True
            ).update(reminded_at=now):
                continue
            roles = [Role.LEADER] if feedback.kind == Kind.CONDUCT else ANSWERING_ROLES
            _tell_officers(feedback, "feedback_due", _unit_people(feedback, roles))
            counts["reminded"] += 1
    late = Feedback.objects.filter(
        status=Status.RECEIVED, escalated_at__isnull=True, due_date__lt=today
    ).select_related("org_unit")
    for feedback in late:
        with transaction.atomic():
            if not Feedback.objects.filter(
                pk=feedback.pk, escalated_at__isnull=True
            ).update(escalated_at=now):
                continue
            _event(feedback, actor=None, action="escalate")
            _tell_officers(
                feedback, "feedback_overdue", _unit_people(feedback, [Role.LEADER])
            )
            counts["escalated"] += 1
    return counts


def language_of(request_language: str | None) -> str:
    language = (request_language or translation.get_language() or "vi")[:2]
    return language if language in dict(settings.LANGUAGES) else "vi"
