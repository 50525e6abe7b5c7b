"""The outbox to the national portal (issue 19, point 1): every event of a dossier
written with it, delivered in order per dossier, applied once, retried with
backoff, given up into the failed-sync queue, reconciled."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agencies.models import AgencyFault
from dossiers.models import Event, Status
from national.models import OutboxEntry, SyncState, TwinReceipt
from national.services import outbox_deliver, outbox_reconcile
from national.status import SYNC_CODES
from tests.dossiers.factories import make_dossier

pytestmark = pytest.mark.django_db


def fault(mode, remaining=None, reason=""):
    return AgencyFault.objects.create(
        system="national", mode=mode, remaining=remaining, reason=reason
    )


def twin_statuses(dossier):
    return list(
        TwinReceipt.objects.filter(dossier_code=dossier.code)
        .order_by("sequence")
        .values_list("status", flat=True)
    )


def test_every_status_has_its_national_code():
    assert set(SYNC_CODES) == set(Status.values)


def test_each_transition_writes_its_entry_with_the_event(connected, people):
    dossier = make_dossier(status=Status.RECEIVED, **people)

    entries = list(OutboxEntry.objects.filter(dossier=dossier).order_by("event_id"))
    events = list(Event.objects.filter(dossier=dossier).order_by("pk"))
    assert [e.event_id for e in entries] == [e.pk for e in events]
    assert [e.payload["status"] for e in entries][:2] == ["receiving", "new"]
    assert entries[0].key == f"{dossier.code}:{events[0].pk}"
    # Not delivered yet: delivery follows the commit.
    assert {e.state for e in entries} == {SyncState.PENDING}


def test_a_portal_not_connected_keeps_no_outbox(settings, people):
    settings.NATIONAL_PORTAL_BACKEND = ""
    make_dossier(status=Status.RECEIVED, **people)
    assert not OutboxEntry.objects.exists()


def test_after_commit_the_events_reach_the_twin_once_and_in_order(
    connected, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.PROCESSING, **people)

    assert twin_statuses(dossier)[:2] == ["receiving", "new"]
    assert twin_statuses(dossier)[-1] == "processing"
    assert not TwinReceipt.objects.filter(out_of_order=True).exists()
    assert set(
        OutboxEntry.objects.filter(dossier=dossier).values_list("state", flat=True)
    ) == {SyncState.DELIVERED}
    # What the national side is told: the agency, the officer, the times.
    receipt = TwinReceipt.objects.filter(dossier_code=dossier.code, status="new").get()
    assert receipt.request["agency"]["code"] == people["unit"].agency_code
    assert receipt.request["officer"] == people["officer"].full_name
    assert receipt.request["received_at"]
    assert receipt.request["procedure"]["name"] == dossier.procedure.name

    # A second delivery finds nothing to send.
    assert outbox_deliver(dossier_id=dossier.pk) == 0
    assert TwinReceipt.objects.filter(dossier_code=dossier.code).count() == len(
        twin_statuses(dossier)
    )


def test_an_answer_lost_after_the_twin_applied_it_is_applied_once(
    connected, people, django_capture_on_commit_callbacks
):
    fault(AgencyFault.Mode.TIMEOUT_AFTER, remaining=1)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(**people)

    first = OutboxEntry.objects.get(dossier=dossier)
    assert first.state == SyncState.DELIVERED
    assert first.attempts == 2
    receipt = TwinReceipt.objects.get(dossier_code=dossier.code)
    assert receipt.repeats == 1  # asked twice, applied once


def test_a_failing_call_is_retried_and_later_events_wait_behind_it(
    connected, people, django_capture_on_commit_callbacks
):
    fault(AgencyFault.Mode.ERROR, remaining=2)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.RECEIVED, **people)

    first = OutboxEntry.objects.filter(dossier=dossier).order_by("event_id").first()
    assert first.attempts == 3
    assert twin_statuses(dossier)[:2] == ["receiving", "new"]
    assert not TwinReceipt.objects.filter(out_of_order=True).exists()


def test_the_wait_between_attempts_doubles_with_a_worker(connected, people):
    """With a broker, a failed attempt waits (backoff) before the next."""
    from portal.celery import app

    app.conf.task_always_eager = False  # reset by the autouse fixture
    connected.NATIONAL_SYNC_BACKOFF_SECONDS = 30
    fault(AgencyFault.Mode.ERROR)
    dossier = make_dossier(**people)
    now = timezone.now()
    outbox_deliver(dossier_id=dossier.pk, now=now)
    entry = OutboxEntry.objects.get(dossier=dossier)
    assert entry.state == SyncState.PENDING
    assert entry.attempts == 1
    wait = (entry.next_attempt_at - now).total_seconds()
    assert 15 <= wait <= 30
    # Not yet due: nothing is sent.
    assert outbox_deliver(dossier_id=dossier.pk, now=now) == 0
    assert OutboxEntry.objects.get(dossier=dossier).attempts == 1
    later = entry.next_attempt_at + datetime.timedelta(seconds=1)
    outbox_deliver(dossier_id=dossier.pk, now=later)
    entry.refresh_from_db()
    assert entry.attempts == 2
    assert 30 <= (entry.next_attempt_at - later).total_seconds() <= 60


def test_an_event_given_up_waits_for_an_officer_and_holds_the_later_ones(
    connected,
    people,
    client,
    login_staff,
    officer_other_commune,
    django_capture_on_commit_callbacks,
):
    connected.NATIONAL_SYNC_MAX_ATTEMPTS = 2
    always = fault(AgencyFault.Mode.ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.RECEIVED, **people)

    entries = list(OutboxEntry.objects.filter(dossier=dossier).order_by("event_id"))
    assert entries[0].state == SyncState.FAILED
    assert entries[0].attempts == 2
    assert {e.state for e in entries[1:]} == {SyncState.PENDING}
    assert twin_statuses(dossier) == []

    # Officers of another commune neither see it nor retry it.
    login_staff(client, officer_other_commune)
    queue = client.get(reverse("national:sync-failed"))
    assert dossier.code not in queue.content.decode()
    retry = reverse("national:sync-retry", args=[entries[0].pk])
    assert client.post(retry).status_code == 404

    # The dossier's officer sees it with its error, and sends it again once the
    # national side works.
    client = Client()
    login_staff(client, people["officer"])
    queue = client.get(reverse("national:sync-failed"))
    assert dossier.code in queue.content.decode()
    always.delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    assert twin_statuses(dossier)[:2] == ["receiving", "new"]
    assert set(
        OutboxEntry.objects.filter(dossier=dossier).values_list("state", flat=True)
    ) == {SyncState.DELIVERED}


def test_a_refused_event_fails_at_once(
    connected, people, django_capture_on_commit_callbacks
):
    fault(AgencyFault.Mode.REFUSE, reason="mã thủ tục không có trong CSDL")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(**people)
    entry = OutboxEntry.objects.get(dossier=dossier)
    assert entry.state == SyncState.FAILED
    assert entry.attempts == 1
    assert "mã thủ tục" in entry.last_error


def test_the_reconciler_sends_what_the_broker_lost(
    connected, people, django_capture_on_commit_callbacks
):
    dossier = make_dossier(status=Status.RECEIVED, **people)  # callbacks lost
    assert twin_statuses(dossier) == []
    later = timezone.now() + datetime.timedelta(minutes=10)

    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_reconcile(now=later) == 1
    assert twin_statuses(dossier)[:2] == ["receiving", "new"]
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_reconcile(now=later) == 0


def test_the_api_shows_the_dossiers_national_sync(
    connected, people, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.RECEIVED, **people)
    client.force_login(people["applicant"])
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    national = body["national"]
    assert national["code"] == dossier.code
    assert national["sync_state"] == "delivered"
    assert national["last_synced_at"]


def test_the_api_says_when_the_portal_is_not_connected(settings, people, client):
    settings.NATIONAL_PORTAL_BACKEND = ""
    dossier = make_dossier(**people)
    client.force_login(people["applicant"])
    body = client.get(f"/api/v1/dossiers/{dossier.code}/").json()
    assert body["national"] == {
        "code": None,
        "sync_state": "not_connected",
        "last_synced_at": None,
    }


def test_the_officers_page_shows_the_sync(
    connected, people, client, login_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.RECEIVED, **people)
    login_staff(client, people["officer"])
    page = client.get(reverse("dossiers:dossier-work", args=[dossier.code]))
    html = page.content.decode()
    assert "Đồng bộ lên Cổng Dịch vụ công quốc gia" in html
    assert "Đã đồng bộ" in html


def test_the_twin_shows_what_it_received_to_staff_only(
    connected,
    people,
    client,
    login_staff,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = make_dossier(status=Status.RECEIVED, **people)
    url = reverse("national:sandbox")
    client.force_login(people["applicant"])
    assert client.get(url).status_code == 403
    client = Client()
    login_staff(client, people["officer"])
    html = client.get(url, {"code": dossier.code}).content.decode()
    assert dossier.code in html
    assert "<code>receiving</code>" in html
    assert "<code>new</code>" in html

    connected.NATIONAL_SANDBOX_ENABLED = False
    assert client.get(url).status_code == 404
