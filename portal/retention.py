"""Retention: remove what is past its configured keeping period, and nothing the
law keeps (docs/security.md "Retention", decision 134).

Removed, each after its own setting (0 = kept):
- data-access log rows (who viewed a citizen's data): DATA_ACCESS_LOG_RETENTION_DAYS
  after they were written;
- documents of the citizens' personal stores: STORED_DOCUMENT_RETENTION_DAYS after
  they were stored (a dossier that used one keeps its own copy);
- the files attached to a closed dossier (returned, refused, withdrawn, stopped):
  DOSSIER_ATTACHMENT_RETENTION_DAYS after its last event; the attachment row (name,
  size, SHA-256) stays as the record of what was submitted;
- expired credentials: API tokens and SMS codes expired, and test text messages
  sent, more than EXPIRED_CREDENTIALS_RETENTION_DAYS ago; expired sessions.

Never removed: dossiers, their events, form data, results and result files,
payments, ratings, notifications. The keeping periods of these records under the
archives rules were not read (UNVERIFIED), so the portal keeps them all.
"""

import datetime
import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from accounts.models import (
    ApiToken,
    DataAccessLog,
    OutboundSms,
    PhoneCode,
    StoredDocument,
)
from accounts.services import stored_document_delete
from dossiers.models import FINAL_STATUSES, Attachment, Dossier

from .models import RetentionRun

logger = logging.getLogger(__name__)

BATCH = 500


def _cutoff(now: datetime.datetime, days: int) -> datetime.datetime | None:
    return now - datetime.timedelta(days=days) if days > 0 else None


def _in_batches(queryset: QuerySet[Any], work: Callable[[list[Any]], None]) -> int:
    """Apply `work` to the matching rows, BATCH at a time, each in a transaction;
    the query runs again after each batch, so removed rows drop out of it."""
    done = 0
    while True:
        batch = list(queryset.order_by("pk")[:BATCH])
        if not batch:
            return done
        with transaction.atomic():
            work(batch)
        done += len(batch)
        if len(batch) < BATCH:
            return done


def _delete_rows(rows: Iterable[Any]) -> None:
    rows = list(rows)
    type(rows[0]).objects.filter(pk__in=[row.pk for row in rows]).delete()


def _delete_stored_documents(documents: list[StoredDocument]) -> None:
    for document in documents:
        stored_document_delete(document=document)


def _empty_attachments(attachments: list[Attachment]) -> None:
    for attachment in attachments:
        storage, name = attachment.file.storage, attachment.file.name
        attachment.file.name = ""
        attachment.save(update_fields=["file"])
        if name:
            transaction.on_commit(functools.partial(storage.delete, name))


def closed_dossier_attachments(*, before: datetime.datetime) -> QuerySet[Attachment]:
    """Attachments still holding a file, of dossiers closed before `before` (their
    last event, the closing one, is older)."""
    closed = (
        Dossier.objects.filter(status__in=FINAL_STATUSES)
        .annotate(last_event=Max("events__at"))
        .filter(last_event__lt=before)
    )
    return Attachment.objects.filter(dossier__in=closed.values("pk")).exclude(file="")


def retention_purge(
    *, trigger: str, dry_run: bool = False, now: datetime.datetime | None = None
) -> RetentionRun:
    """Remove what is past its keeping period and record what was done."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now, trigger=trigger, dry_run=dry_run)
    credentials = _cutoff(now, settings.EXPIRED_CREDENTIALS_RETENTION_DAYS)
    cutoffs = {
        "data_access_logs": _cutoff(now, settings.DATA_ACCESS_LOG_RETENTION_DAYS),
        "stored_documents": _cutoff(now, settings.STORED_DOCUMENT_RETENTION_DAYS),
        "dossier_attachment_files": _cutoff(
            now, settings.DOSSIER_ATTACHMENT_RETENTION_DAYS
        ),
        "api_tokens": credentials,
        "phone_codes": credentials,
        "test_text_messages": credentials,
        "sessions": now,
    }
    plans: dict[str, tuple[QuerySet[Any], Callable[[list[Any]], None]]] = {}
    if cut := cutoffs["data_access_logs"]:
        plans["data_access_logs"] = (
            DataAccessLog.objects.filter(created_at__lt=cut),
            _delete_rows,
        )
    if cut := cutoffs["stored_documents"]:
        plans["stored_documents"] = (
            StoredDocument.objects.filter(created_at__lt=cut),
            _delete_stored_documents,
        )
    if cut := cutoffs["dossier_attachment_files"]:
        plans["dossier_attachment_files"] = (
            closed_dossier_attachments(before=cut),
            _empty_attachments,
        )
    if credentials:
        plans["api_tokens"] = (
            ApiToken.objects.filter(expires_at__lt=credentials),
            _delete_rows,
        )
        plans["phone_codes"] = (
            PhoneCode.objects.filter(expires_at__lt=credentials),
            _delete_rows,
        )
        plans["test_text_messages"] = (
            OutboundSms.objects.filter(created_at__lt=credentials),
            _delete_rows,
        )
    plans["sessions"] = (Session.objects.filter(expire_date__lt=now), _delete_rows)

    counts = {}
    for name, (queryset, work) in plans.items():
        counts[name] = queryset.count() if dry_run else _in_batches(queryset, work)
    run.counts = counts
    run.cutoffs = {
        name: cut.isoformat() if cut and name in plans else None
        for name, cut in cutoffs.items()
    }
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "cutoffs", "finished_at"])
    logger.info(
        "retention %s%s: %s",
        trigger,
        " (dry run)" if dry_run else "",
        ", ".join(f"{name}={n}" for name, n in counts.items()),
    )
    return run
