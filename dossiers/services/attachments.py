"""Files on dossiers and drafts: upload, the paper's key, the document store."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from procedures.models import Procedure
from procedures.schema import schema_file_fields

from ..files import DiskFull, check_upload, file_store, files_removed_on_failure
from ..lifecycle import may_act
from ..models import Attachment, Dossier, Draft, Status
from ..transactions import atomic_retrying
from .errors import (
    ActionNotAllowed,
    DossierError,
    IllegalTransition,
    InvalidDossierData,
    storage_full,
)

# --- Attachments ------------------------------------------------------------------


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
        raise storage_full(checked.safe_name) from exc
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
