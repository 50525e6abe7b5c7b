"""Sessions read by a prepared statement (accounts.sessions) and roles read once:
the same sessions as Django's store, expired ones refused."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.sessions import SessionStore
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

ME = reverse("accounts-api:me")


def _signed_in(user) -> str:
    """A session of `user` written by Django's own store (those of before)."""
    store = DjangoStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_a_session_of_before_is_read_in_one_statement(client, citizen):
    key = _signed_in(citizen)
    store = SessionStore(key)

    with CaptureQueriesContext(connections["default"]) as queries:
        assert store["_auth_user_id"] == str(citizen.pk)
    assert len(queries.captured_queries) == 1

    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(ME).json()["username"] == citizen.username


def test_an_expired_or_unknown_session_is_empty_and_gets_a_new_key(client, citizen):
    key = _signed_in(citizen)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    for stale in (key, "x" * 32, ""):
        store = SessionStore(stale or None)
        assert dict(store.items()) == {}
        assert store.session_key is None

    client.cookies[settings.SESSION_COOKIE_NAME] = key
    assert client.get(ME).status_code in (401, 403)


def test_a_users_roles_are_their_groups(unit_a):
    officer = UserFactory(
        roles=[Role.RECEIVING_OFFICER, Role.SPECIALIST], org_unit=unit_a
    )
    citizen = UserFactory(roles=[Role.CITIZEN])

    assert officer.roles == {Role.RECEIVING_OFFICER, Role.SPECIALIST}
    assert citizen.roles == {Role.CITIZEN}
    assert UserFactory().roles == frozenset()
