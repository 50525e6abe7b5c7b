"""The citizen's e-document store on the national portal (issue 19, point 3).

In the wizard, with the citizen's consent, a paper of that store is taken by
reference (`store_take`): fetched once through the adapter and kept in the
citizen's local store (a StoredDocument of source "national" holding its
reference), which the draft then attaches like any stored paper; the same
reference chosen again is the same StoredDocument, never fetched twice.

A returned result goes the other way (`result_push`): after the transition
commits, a task puts the result's file into the citizen's store there, under a
key per dossier the national side applies once, retried with backoff.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.utils.translation import gettext as _

from accounts.models import DocumentSource, DocumentType, StoredDocument, User
from accounts.services.documents import stored_document_add
from dossiers.models import Dossier, Event, Result
from dossiers.services import DossierError
from tasking import publish_on_commit

from .adapters import AgencyRefused, AgencyUnavailable, StorePaper, national_portal
from .services import retry_delay

logger = logging.getLogger("national")

_DOC_TYPES = {choice.value for choice in DocumentType}
_SUFFIXES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class StoreUnavailable(DossierError):
    """The national store did not answer, or refused."""


def store_papers(*, user: User) -> Sequence[StorePaper] | None:
    """The papers of the citizen's national store; None when the portal is not
    connected. Asked only after the citizen's consent (the caller's duty)."""
    portal = national_portal()
    if portal is None:
        return None
    try:
        return portal.store_list(personal_id=user.username)
    except (AgencyUnavailable, AgencyRefused) as exc:
        logger.warning("national store list failed: %s", exc.reason[:200])
        raise StoreUnavailable(
            _(
                "Chưa lấy được danh sách giấy tờ từ Cổng Dịch vụ công quốc gia; "
                "hãy thử lại sau hoặc tải tệp lên."
            )
        ) from exc


def store_take(*, user: User, reference: str) -> StoredDocument:
    """The paper `reference` of the citizen's national store, in their local
    store: the one already taken, or fetched now."""
    existing = _taken(user, reference)
    if existing is not None:
        return existing
    portal = national_portal()
    if portal is None:
        raise StoreUnavailable(_("Cổng chưa kết nối Cổng Dịch vụ công quốc gia."))
    try:
        paper = portal.store_fetch(personal_id=user.username, reference=reference)
    except (AgencyUnavailable, AgencyRefused) as exc:
        logger.warning("national store fetch failed: %s", exc.reason[:200])
        raise StoreUnavailable(
            _(
                "Chưa lấy được giấy tờ này từ Cổng Dịch vụ công quốc gia; hãy thử "
                "lại sau hoặc tải tệp lên."
            )
        ) from exc
    doc_type = paper.paper.doc_type
    suffix = _SUFFIXES.get(paper.content_type, "bin")
    try:
        return stored_document_add(
            owner=user,
            doc_type=doc_type if doc_type in _DOC_TYPES else DocumentType.OTHER,
            title=paper.paper.title[:200],
            file=SimpleUploadedFile(
                f"paper.{suffix}", paper.content, paper.content_type
            ),
            number=paper.paper.number[:60],
            issued_by=paper.paper.issued_by[:200],
            issued_on=paper.paper.issued_on,
            source=DocumentSource.NATIONAL,
            national_reference=reference,
        )
    except (ValidationError, IntegrityError) as exc:
        # The same paper taken at the same moment (another tab): that one.
        taken = _taken(user, reference)
        if taken is not None:
            return taken
        if isinstance(exc, IntegrityError):
            raise
        # Otherwise the file failed the checks of any upload.
        raise StoreUnavailable(
            _("Tệp của giấy tờ này không đọc được; hãy tải tệp lên.")
        ) from exc


def _taken(user: User, reference: str) -> StoredDocument | None:
    try:
        return StoredDocument.objects.get(owner=user, national_reference=reference)
    except StoredDocument.DoesNotExist:
        return None


# --- Results pushed to the citizen's national store --------------------------------


def on_result_returned(dossier: Dossier, event: Event) -> None:
    """Listener: a returned dossier's result goes to the applicant's national
    store after commit (never inside the transition's transaction)."""
    if event.action != "return_result" or national_portal() is None:
        return
    publish_on_commit(
        _push_task(),
        [dossier.pk],
        logger=logger,
        what=f"national store push of dossier {dossier.pk}",
        then="not pushed",
    )


def _push_task() -> Any:
    from .tasks import push_result

    return push_result


def result_push(*, dossier_id: int, attempt: int = 1) -> str:
    """Put the dossier's result into the applicant's national store; its
    reference there ("" when there is nothing to push or it is sent again
    later). Idempotent per dossier: the key is the dossier's code."""
    portal = national_portal()
    if portal is None:
        return ""
    result = (
        Result.objects.select_related("dossier__applicant", "issued_by_unit")
        .filter(dossier_id=dossier_id, revoked_at__isnull=True)
        .first()
    )
    if result is None or not result.file:
        return ""
    dossier = result.dossier
    with result.file.open("rb") as handle:
        content = handle.read()
    number = f"{result.number}/{result.book}" if result.book else result.number
    try:
        return portal.store_push(
            key=f"result:{dossier.code}",
            personal_id=dossier.applicant.username,
            title=result.title,
            doc_type=DocumentType.OTHER,
            content_type="application/pdf",
            content=content,
            number=number,
            issued_by=result.issued_by_unit.name,
            issued_on=result.issued_at.date(),
        )
    except AgencyRefused as exc:
        logger.warning(
            "national store refused the result of %s: %s", dossier.code, exc.reason
        )
        return ""
    except AgencyUnavailable as exc:
        if attempt >= settings.NATIONAL_SYNC_MAX_ATTEMPTS:
            logger.warning(
                "national store push of %s failed after %d attempts: %s",
                dossier.code,
                attempt,
                exc.reason[:200],
            )
            return ""
        publish_on_commit(
            _push_task(),
            [dossier_id, attempt + 1],
            countdown=retry_delay(attempt),
            logger=logger,
            what=f"national store push of dossier {dossier_id}",
            then="not pushed",
        )
        return ""


# --- The wizard's papers step (dossiers.hooks.paper_store) -------------------------


def wizard_papers(user: User) -> list[tuple[str, str]] | None:
    papers = store_papers(user=user)
    if papers is None:
        return None
    return [(p.reference, _label(p)) for p in papers]


def _label(paper: StorePaper) -> str:
    parts = [paper.title]
    if paper.number:
        parts.append(paper.number)
    if paper.issued_on:
        parts.append(f"{paper.issued_on:%d/%m/%Y}")
    return " · ".join(parts)


def wizard_take(user: User, reference: str) -> StoredDocument:
    return store_take(user=user, reference=reference)
