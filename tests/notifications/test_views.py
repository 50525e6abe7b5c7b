"""The bell, the list of one's own notifications, and the channel preferences."""

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from notifications import services
from notifications.models import Notification, Preference
from tests.a11y import accessibility_problems

pytestmark = pytest.mark.django_db


def tell(user, key="k", template="result_ready", code="000.00.59.H00-260302-0001"):
    return services.notify(
        recipient=user,
        event_key="dossier.result_ready",
        template=template,
        context={"code": code},
        dedup_key=key,
        url=f"/dossiers/{code}/",
    )


def test_the_bell_counts_unread_notifications(client, citizen):
    tell(citizen, "a")
    tell(citizen, "b")
    client.force_login(citizen)

    page = client.get(reverse("portal:home"))

    assert 'class="badge rounded-pill text-bg-warning">2<' in page.text
    assert "chưa đọc" in page.text


def test_the_bell_shows_99_plus_past_99_unread_and_counts_no_further(client, citizen):
    from notifications.selectors import bell_count, unread_count

    for index in range(101):
        tell(citizen, f"n{index}")
    client.force_login(citizen)

    assert 'text-bg-warning">99+<' in client.get(reverse("portal:home")).text
    # Counted up to 100 for the bell; the list's own count is exact.
    assert bell_count(user=citizen) == 100
    assert unread_count(user=citizen) == 101

    Notification.objects.filter(recipient=citizen, dedup_key__in=["n0", "n1"]).update(
        read_at=timezone.now()
    )
    assert 'text-bg-warning">99<' in client.get(reverse("portal:home")).text


def test_no_bell_for_anonymous_visitors(client, django_assert_num_queries):
    page = client.get(reverse("portal:home"))

    assert "notification-bell" not in page.text


def test_the_list_shows_only_ones_own(client, citizen, other_citizen):
    tell(citizen, code="000.00.59.H00-260302-0001")
    tell(other_citizen, code="000.00.59.H00-260302-0099")
    client.force_login(citizen)

    page = client.get(reverse("notifications:notification-list"))

    assert page.status_code == 200
    assert "260302-0001" in page.text
    assert "260302-0099" not in page.text
    assert accessibility_problems(page.text) == []


def test_the_list_shows_short_text_and_a_labelled_button_not_the_address(
    client, citizen, settings
):
    settings.PORTAL_URL = "https://dichvucong.test"
    notification = tell(citizen)
    client.force_login(citizen)

    page = client.get(reverse("notifications:notification-list"))

    assert "dichvucong.test" not in page.text
    assert "http" not in notification.body
    open_url = reverse("notifications:notification-open", args=[notification.pk])
    assert (
        f'<a class="btn btn-sm btn-notification" href="{open_url}">'
        "Xem, tải kết quả hoặc hẹn nhận</a>"
    ) in page.text
    assert accessibility_problems(page.text) == []


def test_opening_marks_read_and_follows_the_link(client, citizen):
    notification = tell(citizen)
    client.force_login(citizen)

    response = client.get(
        reverse("notifications:notification-open", args=[notification.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == "/dossiers/000.00.59.H00-260302-0001/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_another_persons_notification_is_404(client, citizen, other_citizen):
    notification = tell(citizen)
    client.force_login(other_citizen)

    response = client.get(
        reverse("notifications:notification-open", args=[notification.pk])
    )

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read(client, citizen, other_citizen):
    tell(citizen, "a")
    tell(citizen, "b")
    theirs = tell(other_citizen, "a")
    client.force_login(citizen)

    client.post(reverse("notifications:notification-read-all"))

    assert not citizen.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_preferences_form_saves_the_channels_and_language(client, citizen):
    client.force_login(citizen)
    url = reverse("notifications:preference-edit")

    page = client.get(url)
    saved = client.post(url, {"email": "", "sms": "on", "language": "en"})

    assert page.status_code == 200
    assert accessibility_problems(page.text) == []
    assert "chưa có địa chỉ thư điện tử" in page.text
    assert saved.status_code == 302
    preference = Preference.objects.get(user=citizen)
    assert (preference.email, preference.sms, preference.language) == (
        False,
        True,
        "en",
    )


def test_a_bad_preference_is_refused_and_nothing_is_saved(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("notifications:preference-edit"), {"sms": "on", "language": "fr"}
    )

    assert response.status_code == 400
    assert 'href="#id_language"' in response.text
    assert not Preference.objects.exists()


def test_the_account_page_links_the_preferences(client, citizen):
    client.force_login(citizen)

    page = client.get(reverse("accounts:account-home"))

    assert reverse("notifications:preference-edit") in page.text


def test_pages_need_a_login(client):
    for name in ("notification-list", "preference-edit"):
        response = client.get(reverse(f"notifications:{name}"))
        assert response.status_code == 302


def test_the_api_lists_ones_own_notifications(citizen, other_citizen, officer):
    first = tell(citizen, "a")
    tell(citizen, "b")
    tell(other_citizen, "a")
    api = APIClient()
    url = reverse("notifications-api:notification-list")

    assert api.get(url).status_code == 401
    api.force_authenticate(citizen)
    everything = api.get(url).json()
    services.notification_mark_read(notification=first, user=citizen)
    unread = api.get(url, {"unread": "1"}).json()
    api.force_authenticate(officer)
    nothing = api.get(url).json()

    assert everything["count"] == 2
    assert set(everything["results"][0]) == {
        "id",
        "event_key",
        "title",
        "body",
        "url",
        "link_label",
        "created_at",
        "read_at",
    }
    assert unread["count"] == 1
    assert nothing["count"] == 0


def test_the_schema_describes_the_paginated_api_list(citizen):
    # Found by the API fuzzing: the schema said a bare array.
    from tests.openapi import api_call

    tell(citizen)

    response = api_call(citizen, "GET", "/api/v1/notifications/")

    assert response.json()["count"] == 1
