"""Dossiers built through the real services, in any status.

`make_dossier(status=..., applicant=..., unit=..., officer=..., specialist=...,
leader=...)` walks the lifecycle with the given actors (an officer of the unit in
the role it needs when none is given: a person's move needs a person), so every
dossier a test uses is one the services could have produced.
"""

import datetime
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from dossiers import services
from dossiers.models import Dossier, Status
from tests.accounts.factories import UserFactory
from tests.accounts.pdfs import document
from tests.procedures.factories import ProcedureFactory

# A PDF a reader opens (one empty page): uploads are read as a reader reads them.
PDF_BYTES = document()


def tiny_png() -> bytes:
    """A real (decodable) 8×8 PNG: uploads are checked by content."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


PNG_BYTES = tiny_png()


def pdf_upload(
    name: str = "giay-to.pdf", size: int | None = None
) -> SimpleUploadedFile:
    body = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def at(text: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


# The order of the happy path, and the action that leads into each status.
_PATH = [
    (Status.RECEIVED, "receive"),
    (Status.PROCESSING, "forward"),
    (Status.APPRAISED, "appraise"),
    (Status.AWAITING_SIGNATURE, "submit_for_signature"),
    (Status.SIGNED, "sign"),
    (Status.RESULT_READY, "issue_result"),
    (Status.RETURNED, "return_result"),
]


def _staff(role: str, unit: Any) -> Any:
    return UserFactory(roles=[role], org_unit=unit)


def make_dossier(
    *,
    status: str = Status.SUBMITTED,
    applicant: Any,
    unit: Any,
    officer: Any = None,
    specialist: Any = None,
    leader: Any = None,
    procedure: Any = None,
    data: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> Dossier:
    procedure = procedure or ProcedureFactory()
    dossier = services.dossier_submit(
        applicant=applicant,
        procedure=procedure,
        receiving_unit=unit,
        data=data if data is not None else {"full_name": applicant.full_name},
        now=now,
    )
    if status == Status.SUBMITTED:
        return dossier
    if status != Status.WITHDRAWN:
        officer = officer or _staff(Role.RECEIVING_OFFICER, unit)
    if status == Status.WITHDRAWN:
        return services.dossier_withdraw(dossier=dossier, actor=applicant)
    if status == Status.REFUSED:
        return services.dossier_refuse(
            dossier=dossier, actor=officer, reason="Sai thẩm quyền"
        )
    dossier = services.dossier_receive(dossier=dossier, actor=officer)
    if status == Status.SUPPLEMENT_REQUESTED:
        return services.dossier_request_supplement(
            dossier=dossier,
            actor=officer,
            items=["Giấy chứng sinh"],
            reason="Thiếu giấy",
        )
    if status == Status.AWAITING_PAYMENT:
        return services.dossier_request_payment(
            dossier=dossier, actor=officer, amount_vnd=dossier.fee_vnd or 0
        )
    if status == Status.STOPPED:
        dossier = services.dossier_request_supplement(
            dossier=dossier,
            actor=officer,
            items=["Giấy chứng sinh"],
            reason="Thiếu giấy",
        )
        return services.dossier_stop(
            dossier=dossier, actor=officer, reason="Quá hạn bổ sung"
        )
    for target, action in _PATH[1:]:
        if dossier.status == status:
            break
        if action == "forward":
            dossier = services.dossier_forward(
                dossier=dossier, actor=officer, to_unit=unit
            )
        elif action == "appraise":
            specialist = specialist or _staff(Role.SPECIALIST, unit)
            dossier = services.dossier_appraise(
                dossier=dossier,
                actor=specialist,
                title="Giấy khai sinh",
                file=pdf_upload(),
            )
        elif action == "submit_for_signature":
            dossier = services.dossier_submit_for_signature(
                dossier=dossier, actor=specialist
            )
        elif action == "sign":
            dossier = services.dossier_sign(
                dossier=dossier, actor=leader or _staff(Role.LEADER, unit)
            )
        elif action == "issue_result":
            dossier = services.dossier_issue_signed_result(
                dossier=dossier, actor=officer
            )
        elif action == "return_result":
            dossier = services.dossier_return_result(
                dossier=dossier, actor=officer, method="counter"
            )
        assert dossier.status == target
    assert dossier.status == status, (dossier.status, status)
    return dossier


def png_file() -> io.BytesIO:
    return io.BytesIO(PNG_BYTES)
