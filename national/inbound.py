"""Dossiers filed on the national portal and pushed here (issue 19, point 2).

The national side pushes a dossier to the competent agency here: its national
code, the procedure, the receiving agency, the applicant, the form data and its
papers by reference. It enters the queue like an online dossier (through
`dossier_submit`, so the same checks and the same events), keeps its national
code beside the local one (`NationalLink`), and its statuses flow back through
the outbox. A push is signed (`push_signature`): HMAC-SHA256 of
"<timestamp>.<body>" with NATIONAL_INBOUND_SECRET (docs/national-portal.md).
"""

import datetime
import hashlib
import hmac
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from accounts.identifiers import normalize_phone, personal_id_errors
from accounts.models import User
from accounts.roles import Role
from accounts.services.users import user_create
from dossiers.models import Channel, Dossier
from dossiers.services import dossier_submit
from procedures.selectors import procedure_by_code
from units.models import OrgUnit

from .models import NationalLink

# A push signed longer ago than this is refused (a replayed request).
SIGNATURE_WINDOW_SECONDS = 300


class PushRefused(Exception):
    """A push that changes nothing: `errors` by field, Vietnamese first."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


class PushUnsigned(Exception):
    """A push whose signature is missing, wrong or stale."""


def push_signature(*, body: bytes, timestamp: str, secret: str) -> str:
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def push_verify(
    *, body: bytes, timestamp: str, signature: str, now: datetime.datetime | None = None
) -> None:
    """Raise PushUnsigned unless the push is signed with the shared secret within
    the window. No secret configured: every push is refused."""
    secret = settings.NATIONAL_INBOUND_SECRET
    if not secret or not timestamp or not signature:
        raise PushUnsigned("unsigned")
    try:
        sent = int(timestamp)
    except ValueError:
        raise PushUnsigned("bad timestamp") from None
    moment = (now or timezone.now()).timestamp()
    if abs(moment - sent) > SIGNATURE_WINDOW_SECONDS:
        raise PushUnsigned("stale")
    expected = push_signature(body=body, timestamp=timestamp, secret=secret)
    if not hmac.compare_digest(expected, signature.strip().lower()):
        raise PushUnsigned("wrong signature")


@dataclass
class Received:
    dossier: Dossier
    created: bool
    errors: dict[str, list[str]] = field(default_factory=dict)


def _text(push: dict[str, Any], name: str, errors: dict[str, list[str]]) -> str:
    value = push.get(name)
    if not isinstance(value, str) or not value.strip():
        errors[name] = [_("Trường này là bắt buộc.")]
        return ""
    return value.strip()


def _applicant(given: Any, errors: dict[str, list[str]]) -> User | None:
    if not isinstance(given, dict):
        errors["applicant"] = [_("Thiếu thông tin người nộp hồ sơ.")]
        return None
    personal_id = str(given.get("personal_id") or "")
    user = User.objects.filter(username=personal_id).first() if personal_id else None
    if user is not None:
        if not user.is_citizen:
            errors["applicant"] = [_("Số định danh này không phải tài khoản công dân.")]
            return None
        return user
    born = parse_date(str(given.get("date_of_birth") or ""))
    sex = str(given.get("sex") or "")
    full_name = str(given.get("full_name") or "").strip()
    problems = personal_id_errors(personal_id, date_of_birth=born, sex=sex or None)
    if born is None:
        problems.append(_("Ngày sinh không hợp lệ (YYYY-MM-DD)."))
    if not full_name:
        problems.append(_("Thiếu họ và tên người nộp."))
    if problems:
        errors["applicant"] = problems
        return None
    # Known to the national portal by their electronic identity: an account
    # without password, as for a citizen registered at the counter.
    return user_create(
        username=personal_id,
        password=None,
        full_name=full_name,
        roles=[Role.CITIZEN],
        phone=normalize_phone(str(given.get("phone") or "")),
        date_of_birth=born,
        sex=sex,
    )


def _papers(given: Any, errors: dict[str, list[str]]) -> list[dict[str, str]]:
    if given is None:
        return []
    papers: list[dict[str, str]] = []
    if isinstance(given, list):
        for paper in given:
            if not isinstance(paper, dict):
                break
            title = str(paper.get("title") or "").strip()[:300]
            reference = str(paper.get("reference") or "").strip()[:300]
            if not title or not reference:
                break
            kept = {"title": title, "reference": reference}
            # Optional: which paper of the procedure it is (its document key), so
            # that a required paper given by reference needs no upload.
            document = str(paper.get("document") or "").strip()[:100]
            if document:
                kept["document"] = document
            papers.append(kept)
        else:
            return papers
    errors["papers"] = [
        _("Mỗi giấy tờ cần có tên (title) và mã tham chiếu (reference).")
    ]
    return []


def papers_of(dossier: Dossier) -> list[str]:
    """The document keys of the papers the national portal pushed with the
    dossier, by reference (the dossiers' papers hook); none for the others."""
    papers = (
        NationalLink.objects.filter(dossier_id=dossier.pk)
        .values_list("papers", flat=True)
        .first()
    )
    if not isinstance(papers, list):
        return []
    return [
        str(paper["document"])
        for paper in papers
        if isinstance(paper, dict) and paper.get("document")
    ]


def inbound_receive(*, push: Any) -> Received:
    """File the pushed dossier here; the dossier already received for the same
    national code, unchanged, when it came before. Raises PushRefused."""
    if not isinstance(push, dict):
        raise PushRefused(
            {"non_field_errors": [_("Dữ liệu gửi phải là một đối tượng JSON.")]}
        )
    errors: dict[str, list[str]] = {}
    national_code = _text(push, "national_code", errors)[:64]
    if national_code:
        existing = (
            NationalLink.objects.filter(national_code=national_code)
            .select_related("dossier")
            .first()
        )
        if existing is not None:
            return Received(existing.dossier, created=False)
    code = _text(push, "procedure", errors)
    procedure = procedure_by_code(code=code) if code else None
    if code and procedure is None:
        errors["procedure"] = [_("Không có thủ tục mang mã này.")]
    agency = _text(push, "agency_code", errors)
    unit = OrgUnit.objects.filter(agency_code=agency).first() if agency else None
    if agency and unit is None:
        errors["agency_code"] = [_("Không có cơ quan mang mã định danh này.")]
    data = push.get("data")
    if not isinstance(data, dict):
        errors["data"] = [_("Tờ khai (data) phải là một đối tượng JSON.")]
    papers = _papers(push.get("papers"), errors)
    if errors:
        raise PushRefused(errors)
    if procedure is None or unit is None or not isinstance(data, dict):
        raise PushRefused(errors)  # cannot happen: each was checked above
    try:
        with transaction.atomic():
            applicant = _applicant(push.get("applicant"), errors)
            if applicant is None:
                raise PushRefused(errors)
            dossier = dossier_submit(
                applicant=applicant,
                procedure=procedure,
                receiving_unit=unit,
                data=data,
                channel=Channel.ONLINE,
                papers_by_reference=[p["document"] for p in papers if "document" in p],
            )
            NationalLink.objects.update_or_create(
                dossier=dossier,
                defaults={"national_code": national_code, "papers": papers},
            )
    except IntegrityError:
        # The same national code pushed twice at once: the first one stands.
        existing = NationalLink.objects.filter(national_code=national_code).first()
        if existing is None:
            raise
        return Received(existing.dossier, created=False)
    return Received(dossier, created=True)
