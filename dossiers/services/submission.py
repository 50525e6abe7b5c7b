"""Filing a dossier: who may file what where, idempotency, the submission and
filing for a citizen who is present.
"""

import datetime
import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure
from procedures.schema import schema_clean, schema_file_fields
from units.models import AdminUnit, OrgUnit

from .. import hooks
from ..files import files_removed_on_failure
from ..models import Attachment, Channel, Dossier, Draft, Event, Origin
from ..selectors import applicant_areas_on
from ..transactions import atomic_retrying
from .attachments import attachment_add
from .core import deadline_for, dossier_code_allocate, fee_for, writing_help_day
from .errors import (
    ActionNotAllowed,
    DossierError,
    IdempotencyKeyReused,
    IdentityLevelTooLow,
    InvalidDossierData,
    UnitNotReceiving,
)
from .officer import dossier_receive
from .routing import dossier_route, filing_place_check

# --- Who may file what, where -------------------------------------------------------

# A linked procedure (Decree 63/2024) needs an electronic identity of level 2.
LINKED_IDENTITY_LEVEL = 2


def unit_receives(
    *, unit: OrgUnit, procedure: Procedure, day: datetime.date | None = None
) -> bool:
    """Whether `unit` takes dossiers of `procedure` on `day`, today by default
    (as selectors' `receiving_units_for` lists them), without a query."""
    return (
        unit.is_active
        and unit.receives_dossiers
        and unit.in_force_on(day or timezone.localdate())
        and unit.agency_type == procedure.agency_type
    )


def applicant_check(*, applicant: Any) -> None:
    """Only a citizen files for themselves: staff file for a citizen at the
    counter (`dossier_file_for_citizen`), never as the applicant."""
    if not getattr(applicant, "is_citizen", False):
        raise ActionNotAllowed(_("Chỉ tài khoản công dân mới nộp hồ sơ của mình."))


def submission_check(
    *,
    applicant: Any,
    procedure: Procedure,
    receiving_unit: OrgUnit | None = None,
    day: datetime.date | None = None,
    areas: list[AdminUnit] | None = None,
) -> bool:
    """Refuse, with the reason, when `applicant` may not file `procedure` (at
    `receiving_unit` when given, on `day`, today by default) for themselves. The
    wizard, the API and `dossier_submit` ask this one question. True when
    `receiving_unit` takes it only through the province's list of procedures
    received regardless of administrative boundary (`routing`)."""
    applicant_check(applicant=applicant)
    if not procedure.submittable or not procedure.form_schema:
        raise DossierError(_("Thủ tục này không nộp hồ sơ trực tuyến trên Cổng."))
    if not procedure.listed_on(day or timezone.localdate()):
        raise DossierError(
            _("Thủ tục này không còn trong danh mục thủ tục của tỉnh vào ngày nộp.")
        )
    if procedure.counter_only:
        # A person signs in front of the official: the counter takes it, with
        # no appointment (issue 22); an officer files it there (`assisted_by`).
        raise DossierError(
            _(
                "Thủ tục này chỉ nhận trực tiếp tại Bộ phận Một cửa, không cần hẹn "
                "trước: %(reason)s"
            )
            % {"reason": procedure.counter_only_reason}
        )
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
    if receiving_unit is None:
        return False
    return filing_place_check(
        unit=receiving_unit,
        procedure=procedure,
        applicant=applicant,
        day=day or timezone.localdate(),
        areas=areas,
    )


def filing_place_ok(
    *,
    unit: OrgUnit | None,
    procedure: Procedure,
    applicant: Any,
    day: datetime.date | None = None,
) -> bool:
    """Whether `applicant` may file `procedure` at `unit` on `day` (today by
    default): `filing_place_check` without the reason."""
    if unit is None:
        return False
    try:
        filing_place_check(
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            day=day or timezone.localdate(),
        )
    except UnitNotReceiving:
        return False
    return True


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


# --- Submission ---------------------------------------------------------------------


def files_check(
    procedure: Procedure,
    cleaned: dict[str, Any],
    attachments: Iterable[Attachment],
    by_reference: Iterable[str] = (),
) -> dict[str, list[str]]:
    """The required papers missing: neither attached nor given by reference (a
    dossier pushed by the national portal names its papers in the citizen's store
    there by their document keys)."""
    present = {a.document_key for a in attachments} | set(by_reference)
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
    writing_help: bool = False,
    papers_by_reference: Iterable[str] = (),
    now: datetime.datetime | None = None,
) -> Dossier:
    """File a dossier. Validates the form data against the procedure's schema and
    the attachments of `draft` (and the document keys of `papers_by_reference`,
    papers kept elsewhere) against its required documents. A repeated
    `idempotency_key` returns the first dossier, or is refused when its
    `idempotency_fingerprint` (`request_fingerprint`) differs."""
    first = dossier_for_idempotency_key(
        applicant=applicant, key=idempotency_key, fingerprint=idempotency_fingerprint
    )
    if first is not None:
        return first
    day = timezone.localdate(now or timezone.now())
    # The applicant's communes, read once for the checks and the route.
    areas = applicant_areas_on(applicant=applicant, day=day)
    anywhere = False
    if assisted_by is None:
        anywhere = submission_check(
            applicant=applicant,
            procedure=procedure,
            receiving_unit=receiving_unit,
            day=day,
            areas=areas,
        )
    if not procedure.submittable:
        raise DossierError(_("Thủ tục này không nộp hồ sơ trực tuyến trên Cổng."))
    if not receiving_unit.is_active or not receiving_unit.in_force_on(day):
        raise DossierError(_("Cơ quan tiếp nhận này không còn hoạt động."))
    if assisted_by is not None and areas:
        # At the counter, the citizen's commune decides as online; without a
        # recorded commune the counter takes what it took before.
        anywhere = filing_place_check(
            unit=receiving_unit,
            procedure=procedure,
            applicant=applicant,
            day=day,
            areas=areas,
        )
    route = dossier_route(
        unit=receiving_unit,
        procedure=procedure,
        applicant=applicant,
        day=day,
        anywhere_in_province=anywhere,
        areas=areas,
    )
    cleaned, errors = schema_clean(procedure.form_schema, data)
    attachments = list(draft.attachments.all()) if draft is not None else []
    errors |= files_check(procedure, cleaned, attachments, papers_by_reference)
    if errors:
        raise InvalidDossierData(errors)

    hooks.transition_allowed()
    now = now or timezone.now()
    phone = "".join(ch for ch in (applicant.phone or "") if ch.isdigit())
    provisional = deadline_for(
        procedure=procedure, received_at=now, unit=receiving_unit
    )
    origin = Origin.CITIZEN if assisted_by is None else Origin.OFFICER
    dossier = Dossier(
        procedure=procedure,
        applicant=applicant,
        assisted_by=assisted_by,
        channel=channel,
        receiving_unit=receiving_unit,
        competent_unit=route.competent_unit,
        admin_unit=route.admin_unit,
        anywhere_in_province=route.anywhere_in_province,
        data=cleaned,
        phone_last4=phone[-4:],
        submitted_at=now,
        due_at=provisional.due_at,
        due_steps=provisional.steps_json(),
        fee_vnd=fee_for(procedure, channel),
        result_in_scope=procedure.has_document_result,
        idempotency_key=idempotency_key,
        idempotency_fingerprint=idempotency_fingerprint if idempotency_key else "",
        writing_help=writing_help,
    )
    actor = assisted_by or applicant
    hooks.transition_check(
        hooks.Proposed(dossier=dossier, action="submit", actor=actor, origin=origin)
    )
    dossier.code = dossier_code_allocate(org_unit=receiving_unit, at=now)
    try:
        # A savepoint only where a failure is recovered from: the same key at
        # once (without a key, a failed insert fails the whole submission).
        with transaction.atomic(savepoint=bool(idempotency_key)):
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
        actor=actor,
        actor_unit=getattr(assisted_by, "org_unit", None),
        origin=origin,
        at=now,
        to_status=dossier.status,
        details={
            "channel": channel,
            "assisted": assisted_by is not None and not writing_help,
            **({"writing_help": True} if writing_help else {}),
        },
    )
    hooks.transition_done(dossier=dossier, event=event)
    # Follow-ons: a linked dossier's chain starts (chains).
    return hooks.follow_ons(dossier=dossier, event=event)


# --- Filing for a present citizen (officer pages) -------------------------------


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
    # On the centre's "no writing, no appointment" day the officer writes the
    # declaration for the citizen: writing help, not a filing for them.
    writing_help = one_stop and (
        writing_help_day(procedure=procedure, unit=unit, at=now or timezone.now())
        is not None
    )
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
        writing_help=writing_help,
        now=now,
    )
    if one_stop:
        dossier = dossier_receive(dossier=dossier, actor=helper, now=now)
    return dossier
