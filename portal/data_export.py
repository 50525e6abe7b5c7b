"""Everything the portal holds about one citizen, as a ZIP: `data.json` and the
files themselves (issue 11 item 8; docs/security.md "Your data").

Only rows tied to the citizen are read: their account, profile, household,
personal documents, the dossiers they applied for (form data, the events they
can see on their timeline, files, result, fee payments, rating), their drafts,
their notifications and who viewed their data. Files are stored in the ZIP under
names the portal makes (`documents/<id>.<ext>`), never under an uploaded name.
"""

import datetime
import json
import logging
import tempfile
import zipfile
from typing import IO, Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from accounts.selectors import data_accesses_for
from dossiers.models import Dossier, Event
from notifications.models import Notification
from payments.models import Payment

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


def _when(value: datetime.datetime | datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _extension(name: str | None) -> str:
    name = name or ""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix.isalnum() and len(suffix) <= 5 else "bin"


def _account(user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "full_name": user.full_name,
        "date_of_birth": _when(user.date_of_birth),
        "sex": user.sex,
        "phone": user.phone,
        "email": user.email,
        "identity_level": user.identity_level,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
    }


def _profile(user: User) -> dict[str, Any] | None:
    profile = getattr(user, "profile", None)
    if profile is None:
        return None
    return {
        "permanent_address": profile.permanent_address,
        "current_address": profile.current_address,
        "commune": str(profile.commune) if profile.commune_id else None,
        "updated_at": _when(profile.updated_at),
    }


def _dossier(dossier: Dossier, files: list[tuple[str, Any]]) -> dict[str, Any]:
    folder = f"dossiers/{dossier.pk}"
    attachments = []
    for attachment in dossier.attachments.all():
        entry = {
            "document_key": attachment.document_key,
            "original_name": attachment.original_name,
            "content_type": attachment.content_type,
            "size": attachment.size,
            "sha256": attachment.sha256,
            "uploaded_at": _when(attachment.uploaded_at),
            "file": None,
        }
        if attachment.file:
            extension = _extension(attachment.file.name)
            path = f"{folder}/attachments/{attachment.pk}.{extension}"
            entry["file"] = path
            files.append((path, attachment.file))
        attachments.append(entry)
    result = getattr(dossier, "result", None)
    result_entry = None
    if result is not None:
        result_entry = {
            "title": result.title,
            "number": result.number,
            "issued_at": _when(result.issued_at),
            "issued_by": str(result.issued_by_unit),
            "revoked_at": _when(result.revoked_at),
            "file": None,
        }
        if result.file:
            path = f"{folder}/result.{_extension(result.file.name)}"
            result_entry["file"] = path
            files.append((path, result.file))
    rating = getattr(dossier, "rating", None)
    return {
        "code": dossier.code,
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure.name},
        "receiving_unit": str(dossier.receiving_unit),
        "channel": dossier.channel,
        "status": dossier.status,
        "status_display": str(dossier.get_status_display()),
        "form_data": dossier.data,
        "submitted_at": _when(dossier.submitted_at),
        "received_at": _when(dossier.received_at),
        "due_at": _when(dossier.due_at),
        "completed_at": _when(dossier.completed_at),
        "returned_at": _when(dossier.returned_at),
        "fee_vnd": dossier.fee_vnd,
        "events": [
            {
                "at": _when(event.at),
                "action": event.action,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "note": event.note,
            }
            for event in dossier.public_events  # type: ignore[attr-defined]
        ],
        "attachments": attachments,
        "result": result_entry,
        "payments": [
            {
                "order_id": payment.order_id,
                "method": payment.method,
                "amount_vnd": payment.amount_vnd,
                "status": payment.status,
                "receipt_number": payment.receipt_number,
                "created_at": _when(payment.created_at),
                "paid_at": _when(payment.paid_at),
            }
            for payment in dossier.payments.all()
        ],
        "rating": {
            "overall": rating.overall,
            "scores": rating.scores,
            "comment": rating.comment,
            "rated_at": _when(rating.rated_at),
        }
        if rating is not None
        else None,
    }


def citizen_data(user: User) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """The JSON document and the (path in the ZIP, stored file) pairs."""
    files: list[tuple[str, Any]] = []
    documents = []
    for document in user.stored_documents.all():
        path = f"documents/{document.pk}.{_extension(document.file.name)}"
        documents.append(
            {
                "title": document.title,
                "doc_type": document.doc_type,
                "number": document.number,
                "issued_by": document.issued_by,
                "issued_on": _when(document.issued_on),
                "source": document.source,
                "content_type": document.content_type,
                "size": document.size,
                "sha256": document.checksum,
                "stored_at": _when(document.created_at),
                "file": path if document.file else None,
            }
        )
        if document.file:
            files.append((path, document.file))
    dossiers = (
        Dossier.objects.filter(applicant=user)
        .select_related(
            "procedure", "receiving_unit", "result__issued_by_unit", "rating"
        )
        .prefetch_related(
            "attachments",
            Prefetch(
                "events",
                queryset=Event.objects.filter(public=True).order_by("at", "pk"),
                to_attr="public_events",
            ),
            Prefetch("payments", queryset=Payment.objects.order_by("created_at", "pk")),
        )
        .order_by("submitted_at", "pk")
    )
    data = {
        "format_version": FORMAT_VERSION,
        "exported_at": _when(timezone.now()),
        "account": _account(user),
        "profile": _profile(user),
        "household": [
            {
                "full_name": member.full_name,
                "relation": member.relation,
                "date_of_birth": _when(member.date_of_birth),
                "sex": member.sex,
                "personal_id": member.personal_id,
            }
            for member in user.household_members.all()
        ],
        "documents": documents,
        "dossiers": [_dossier(dossier, files) for dossier in dossiers],
        "drafts": [
            {
                "procedure": draft.procedure.code,
                "data": draft.data,
                "updated_at": _when(draft.updated_at),
            }
            for draft in user.dossier_drafts.select_related("procedure")
        ],
        "notifications": [
            {
                "created_at": _when(notification.created_at),
                "title": notification.title,
                "body": notification.body,
                "url": notification.url,
                "read_at": _when(notification.read_at),
            }
            for notification in Notification.objects.filter(recipient=user).order_by(
                "created_at", "pk"
            )
        ],
        "access_log": [
            {
                "at": _when(access.created_at),
                "staff": access.staff.full_name or access.staff.username,
                "unit": str(access.staff_unit) if access.staff_unit_id else None,
                "data": access.obj_label,
                "context": access.context,
            }
            for access in data_accesses_for(citizen=user).order_by("created_at", "pk")
        ],
    }
    return data, files


def citizen_data_zip(*, user: User) -> IO[bytes]:
    """A ZIP of `data.json` and the files, in a temporary file (rewound)."""
    data, files = citizen_data(user)
    archive = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)  # noqa: SIM115
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "data.json", json.dumps(data, ensure_ascii=False, indent=2, default=str)
        )
        for path, stored in files:
            try:
                with stored.open("rb") as handle:
                    zf.writestr(path, handle.read())
            except FileNotFoundError:
                logger.warning("data export: a stored file is missing (%s)", path)
    archive.seek(0)
    logger.info("data export for user %s: %d files", user.pk, len(files))
    return archive
