"""Permission checks read in one statement (accounts.backends): the same answers
as Django's ModelBackend, for every kind of user."""

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.backends import PermissionBackend
from accounts.models import User
from accounts.roles import Role
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

PERMS = [
    "dossiers.receive_dossier",
    "dossiers.view_unit_dossiers",
    "dossiers.view_area_dossiers",
    "dossiers.file_for_citizen",
    "accounts.view_user",
    "dashboards.view_dashboard",
]


def _fresh(user: User) -> User:
    """The user as a new request loads it: no permission read yet."""
    return User.objects.get(pk=user.pk)


def _users(unit_a) -> dict[str, User]:
    officer = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)
    own = UserFactory(roles=[Role.CITIZEN])
    own.user_permissions.add(Permission.objects.get(codename="view_user"))
    both = UserFactory(roles=[Role.SPECIALIST], org_unit=unit_a)
    both.user_permissions.add(Permission.objects.get(codename="view_area_dossiers"))
    two_groups = UserFactory(roles=[Role.RECEIVING_OFFICER, Role.DISTRICT_STAFF])
    inactive = UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a)
    inactive.is_active = False
    inactive.save()
    superuser = UserFactory(is_superuser=True, is_staff=True)
    return {
        "officer": officer,
        "own permission": own,
        "group and own": both,
        "two groups": two_groups,
        "inactive": inactive,
        "superuser": superuser,
        "no role": UserFactory(),
    }


def test_a_users_permissions_are_djangos(unit_a):
    for name, user in _users(unit_a).items():
        django = ModelBackend().get_all_permissions(_fresh(user))
        ours = PermissionBackend().get_all_permissions(_fresh(user))
        if user.is_superuser:
            assert ours == set(), name  # listed by Django's backend
        else:
            assert ours == django, name
        checked = _fresh(user)
        # Through the user, all backends in their order, as the pages ask.
        assert {p for p in PERMS if checked.has_perm(p)} == {
            p for p in PERMS if user.is_active and (user.is_superuser or p in django)
        }, name
        for app in ("dossiers", "accounts", "payments"):
            assert _fresh(user).has_module_perms(
                app
            ) == ModelBackend().has_module_perms(_fresh(user), app), (name, app)
    anonymous = AnonymousUser()
    assert not anonymous.has_perm("dossiers.receive_dossier")
    assert not anonymous.has_module_perms("dossiers")


def test_a_request_reads_its_permissions_once_in_one_statement(unit_a):
    user = _fresh(UserFactory(roles=[Role.RECEIVING_OFFICER], org_unit=unit_a))

    with CaptureQueriesContext(connections["default"]) as queries:
        assert user.has_perm("dossiers.receive_dossier")
        assert not user.has_perm("dossiers.view_area_dossiers")
        assert user.has_module_perms("dossiers")
        assert not user.has_perm("dossiers.receive_dossier", obj=unit_a)

    assert len(queries.captured_queries) == 1


def test_a_role_given_shows_at_the_next_request(unit_a):
    user = UserFactory(roles=[Role.CITIZEN])
    assert not _fresh(user).has_perm("dossiers.receive_dossier")

    Group.objects.get(name=Role.RECEIVING_OFFICER).user_set.add(user)

    assert _fresh(user).has_perm("dossiers.receive_dossier")
