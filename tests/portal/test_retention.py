"""Retention (issue 11 item 8): each kind of data goes after its configured
period, what the law keeps stays, and every pass is recorded."""

import datetime
import os

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, DataAccessLog, OutboundSms, StoredDocument
from accounts.services import (
    api_token_create,
    data_access_record,
    stored_document_add,
)
from dossiers import services
from dossiers.models import Attachment, Dossier, Event, Result, Status
from portal.celery import app as celery_app
from portal.models import RetentionRun
from portal.retention import retention_purge
from portal.tasks import purge_expired_data
from tests.dossiers.factories import make_dossier, pdf_upload

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def periods(settings):
    settings.DATA_ACCESS_LOG_RETENTION_DAYS = 365
    settings.STORED_DOCUMENT_RETENTION_DAYS = 730
    settings.DOSSIER_ATTACHMENT_RETENTION_DAYS = 1825
    settings.EXPIRED_CREDENTIALS_RETENTION_DAYS = 30
    return settings


def _stored(owner):
    return stored_document_add(
        owner=owner, doc_type="other", title="Giấy tờ", file=pdf_upload()
    )


def test_access_log_rows_go_after_their_period_only(
    periods, citizen, officer, time_machine
):
    time_machine.move_to(timezone.now() - 400 * DAY)
    old = data_access_record(
        staff=officer, citizen=citizen, obj_label="hồ sơ", context="cũ"
    )
    time_machine.move_to(timezone.now() + 300 * DAY)
    recent = data_access_record(
        staff=officer, citizen=citizen, obj_label="hồ sơ", context="mới"
    )
    time_machine.move_to(timezone.now() + 100 * DAY)

    run = retention_purge(trigger="command")

    assert list(DataAccessLog.objects.all()) == [recent]
    assert not DataAccessLog.objects.filter(pk=old.pk).exists()
    assert run.counts["data_access_logs"] == 1


def test_nothing_of_a_kind_goes_when_its_period_is_zero(
    settings, citizen, officer, time_machine
):
    settings.DATA_ACCESS_LOG_RETENTION_DAYS = 0
    settings.STORED_DOCUMENT_RETENTION_DAYS = 0
    settings.DOSSIER_ATTACHMENT_RETENTION_DAYS = 0
    time_machine.move_to(timezone.now() - 5000 * DAY)
    data_access_record(staff=officer, citizen=citizen, obj_label="x", context="y")
    _stored(citizen)
    time_machine.move_to(timezone.now() + 5000 * DAY)

    run = retention_purge(trigger="command")

    assert DataAccessLog.objects.count() == 1
    assert StoredDocument.objects.count() == 1
    assert "data_access_logs" not in run.counts
    assert run.cutoffs["data_access_logs"] is None
    assert run.cutoffs["dossier_attachment_files"] is None


def test_old_stored_documents_go_with_their_files(
    periods, citizen, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now() - 800 * DAY)
    old = _stored(citizen)
    old_path = old.file.path
    time_machine.move_to(timezone.now() + 800 * DAY)
    recent = _stored(citizen)

    # Files are deleted once the removal is committed.
    with django_capture_on_commit_callbacks(execute=True):
        run = retention_purge(trigger="command")

    assert list(StoredDocument.objects.all()) == [recent]
    assert not os.path.exists(old_path)
    assert os.path.exists(recent.file.path)
    assert run.counts["stored_documents"] == 1


def test_closed_dossiers_lose_their_files_not_their_record(
    periods,
    citizen,
    officer,
    specialist,
    leader,
    unit_a,
    time_machine,
    client,
    django_capture_on_commit_callbacks,
):
    time_machine.move_to(timezone.now() - 2000 * DAY)
    returned = make_dossier(
        status=Status.RETURNED,
        applicant=citizen,
        unit=unit_a,
        officer=officer,
        specialist=specialist,
        leader=leader,
    )
    open_one = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )
    old_file = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), document_key="", dossier=returned
    )
    kept_open = services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), document_key="", dossier=open_one
    )
    path = old_file.file.path
    time_machine.move_to(timezone.now() + 2000 * DAY)
    events_before = Event.objects.count()

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_purge(trigger="command")

    old_file.refresh_from_db()
    kept_open.refresh_from_db()
    assert not old_file.file
    assert old_file.sha256
    assert old_file.original_name
    assert not os.path.exists(path)
    assert kept_open.file
    # What the law keeps: the dossier, its events, data, result and its file.
    assert Dossier.objects.count() == 2
    assert Event.objects.count() == events_before
    result = Result.objects.get(dossier=returned)
    assert result.file
    assert run.counts["dossier_attachment_files"] == 1
    client.force_login(citizen)
    gone = client.get(
        reverse("dossiers:attachment-download", args=[returned.code, old_file.pk])
    )
    assert gone.status_code == 404


def test_a_recently_closed_dossier_keeps_its_files(
    periods, citizen, unit_a, time_machine
):
    time_machine.move_to(timezone.now() - 2000 * DAY)
    dossier = make_dossier(applicant=citizen, unit=unit_a)
    services.attachment_add(
        uploaded_by=citizen, upload=pdf_upload(), document_key="", dossier=dossier
    )
    time_machine.move_to(timezone.now() + 1990 * DAY)
    # Withdrawn 10 days ago: its period counts from the closing event.
    services.dossier_withdraw(dossier=dossier, actor=citizen)
    time_machine.move_to(timezone.now() + 10 * DAY)

    retention_purge(trigger="command")

    assert Attachment.objects.get(dossier=dossier).file


def test_expired_credentials_and_sessions_go(periods, citizen, time_machine):
    time_machine.move_to(timezone.now() - 100 * DAY)
    api_token_create(user=citizen)
    OutboundSms.objects.create(message_id="m1", phone="0912345678", text="Mã 123456")
    old_session = SessionStore()
    old_session.set_expiry(60)
    old_session.save()
    time_machine.move_to(timezone.now() + 100 * DAY)
    api_token_create(user=citizen)
    live = SessionStore()
    live.save()

    run = retention_purge(trigger="command")

    assert ApiToken.objects.count() == 1
    assert OutboundSms.objects.count() == 0
    assert list(Session.objects.values_list("session_key", flat=True)) == [
        live.session_key
    ]
    assert run.counts["api_tokens"] == 1
    assert run.counts["sessions"] == 1


def test_a_dry_run_counts_and_removes_nothing(periods, citizen, officer, time_machine):
    time_machine.move_to(timezone.now() - 400 * DAY)
    data_access_record(staff=officer, citizen=citizen, obj_label="x", context="y")
    time_machine.move_to(timezone.now() + 400 * DAY)

    run = retention_purge(trigger="command", dry_run=True)

    assert run.dry_run
    assert run.counts["data_access_logs"] == 1
    assert DataAccessLog.objects.count() == 1


def test_the_command_records_and_prints_what_it_did(periods, capsys):
    call_command("purge_expired_data")

    run = RetentionRun.objects.get()
    assert run.trigger == "command"
    assert run.finished_at is not None
    assert set(run.cutoffs) >= {
        "data_access_logs",
        "stored_documents",
        "dossier_attachment_files",
    }
    out = capsys.readouterr().out
    assert "data_access_logs: removed 0" in out


def test_beat_runs_the_purge_every_night():
    entry = celery_app.conf.beat_schedule["retention-purge"]

    assert entry["task"] == purge_expired_data.name
    assert entry["schedule"].hour == {2}


def test_the_periodic_task_records_a_run(periods):
    purge_expired_data.apply()

    assert RetentionRun.objects.get().trigger == "periodic"
