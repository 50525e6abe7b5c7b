"""The TOTP step's device read by a prepared statement (accounts.otp): the same
device as django-otp's own lookup finds, and django-otp's checks after it."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.otp import OTPMiddleware
from tests.accounts.factories import TOTPDeviceFactory, login_with_otp

pytestmark = pytest.mark.django_db


def _verified(user, persistent_id: str):
    """`request.user` as the middleware leaves it, and the request's session."""
    request = RequestFactory().get("/")
    request.session = SessionStore()
    request.session[DEVICE_ID_SESSION_KEY] = persistent_id
    request.user = user
    return OTPMiddleware(lambda request: request.user)(request), request.session


def test_the_device_is_the_one_django_otp_finds(officer):
    device = TOTPDeviceFactory(user=officer)
    ours, theirs = OTPMiddleware(lambda r: r), DjangoOTPMiddleware(lambda r: r)
    for persistent_id in (
        device.persistent_id,
        f"otp_totp.totpdevice/{device.pk + 1000}",  # gone
        "otp_totp.totpdevice/x",
        "otp_totp.totpdevice/",
        "no_such_app.device/1",
        "otp_totp.totpdevice",
        # The legacy form of an id (a full import path), normalised by django-otp.
        f"django_otp.plugins.otp_totp.models.TOTPDevice/{device.pk}",
    ):
        found = ours._device_from_persistent_id(persistent_id)
        assert found == theirs._device_from_persistent_id(persistent_id), persistent_id
        if found is not None:
            assert found.key == device.key
            assert found.user_id == officer.pk


def test_a_verified_session_reads_its_device_in_one_statement_compiled_once(
    officer, compiled_reads
):
    device = TOTPDeviceFactory(user=officer)
    _verified(officer, device.persistent_id)
    with (
        compiled_reads() as compiled,
        CaptureQueriesContext(connections["default"]) as queries,
    ):
        user, session = _verified(officer, device.persistent_id)
        assert user.is_verified()
    assert len(queries.captured_queries) == 1
    assert TOTPDevice not in compiled
    assert user.otp_device == device
    assert session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_another_users_or_an_unconfirmed_device_does_not_verify(officer, specialist):
    others = TOTPDeviceFactory(user=specialist)
    unconfirmed = TOTPDeviceFactory(user=officer, confirmed=False)
    for device in (others, unconfirmed):
        user, session = _verified(officer, device.persistent_id)
        assert not user.is_verified()
        assert DEVICE_ID_SESSION_KEY not in session


def test_staff_pages_open_after_the_totp_step_and_close_when_the_device_goes(
    client, officer
):
    staff_home = reverse("portal:staff-home")
    device = login_with_otp(client, officer)
    assert client.get(staff_home).status_code == 200

    device.delete()
    response = client.get(staff_home)
    assert response.status_code in (302, 403)
