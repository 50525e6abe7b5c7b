"""The citizen's personal document store, the log of staff reading a citizen's
data, and API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from ..models import (
    ApiToken,
    DataAccessLog,
    DocumentSource,
    StoredDocument,
    User,
)
from ..uploads import inspect_upload, printable_text

# --- Personal document store ----------------------------------------------------


@transaction.atomic
def stored_document_add(
    *,
    owner: User,
    doc_type: str,
    title: str,
    file: UploadedFile[bytes],
    number: str = "",
    issued_by: str = "",
    issued_on: datetime.date | None = None,
    source: str = DocumentSource.UPLOAD,
    national_reference: str = "",
) -> StoredDocument:
    """Keep a document in the owner's store, with its checksum, size and type."""
    try:
        checked = inspect_upload(
            file,
            name=file.name or "",
            size=file.size or 0,
            max_bytes=settings.STORED_DOCUMENT_MAX_BYTES,
        )
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    file.name = f"document.{checked.extension}"
    document = StoredDocument(
        owner=owner,
        doc_type=doc_type,
        # The title names the file wherever it is shown or attached.
        title=printable_text(title),
        number=number,
        issued_by=issued_by,
        issued_on=issued_on,
        file=file,
        content_type=checked.content_type,
        size=checked.size,
        checksum=checked.sha256,
        source=source,
        national_reference=national_reference,
    )
    document.full_clean(exclude=["file"])
    document.save()
    return document


@transaction.atomic
def stored_document_delete(*, document: StoredDocument) -> None:
    """Remove the document; its file goes once the deletion is committed."""
    storage, name = document.file.storage, document.file.name
    document.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Data-access log ------------------------------------------------------------


def data_access_record(
    *, staff: User, citizen: User, obj_label: str, context: str
) -> DataAccessLog:
    """Note that a staff user opened a citizen's data (who, unit, what, why).

    One row, one statement: no transaction or savepoint of its own (on the
    officer's dossier page, the busiest staff page, they were three more round
    trips; decision 336)."""
    return DataAccessLog.objects.create(
        staff=staff,
        staff_unit_id=staff.org_unit_id,
        citizen=citizen,
        obj_label=obj_label[:200],
        context=context[:255],
    )


# --- API tokens -----------------------------------------------------------------


def api_token_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User) -> str:
    """A new API token for the user; the clear key is returned once, never kept."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        key_hash=api_token_hash(key),
        expires_at=timezone.now()
        + datetime.timedelta(days=settings.API_TOKEN_TTL_DAYS),
    )
    return key
