"""Drafts: the citizen's submission wizard (views/wizard/, dossiers.wizard)."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.models import Procedure
from units.models import OrgUnit

from ..models import Attachment, Draft
from ..transactions import atomic_retrying
from .attachments import attachment_from_stored_document
from .errors import DossierError

# --- Drafts: the citizen's submission wizard (views/citizen.py) ----------------------

# Keys of a draft's data that are the wizard's own bookkeeping, never form data:
# form-schema field names start with a letter, so they cannot collide.
DRAFT_CONSENT_KEY = "_registry_consent"
# When the citizen agreed that their papers be read from another store (the
# national portal's, dossiers.hooks.paper_store) for this draft.
DRAFT_STORE_CONSENT_KEY = "_paper_store_consent"


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
    if not procedure.submittable or procedure.counter_only:
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
def draft_set_paper_store_consent(
    *, draft: Draft, now: datetime.datetime | None = None
) -> Draft:
    """Record the citizen's consent that their papers be read from another store
    (the national portal's) for this draft; the first time is kept."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    data = dict(locked.data)
    data.setdefault(DRAFT_STORE_CONSENT_KEY, (now or timezone.now()).isoformat())
    locked.data = data
    locked.save(update_fields=["data", "updated_at"])
    return locked


def draft_paper_store_consent(draft: Draft) -> str:
    """When the citizen consented to reading the other store ("" = not)."""
    return str(draft.data.get(DRAFT_STORE_CONSENT_KEY, ""))


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
