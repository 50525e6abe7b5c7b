"""Accounts and roles: the roles' permissions gathered from every app, a user's
roles, creating a user."""

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from ..models import (
    IdentityLevel,
    User,
)
from ..roles import Role


def _role_permissions() -> dict[str, set[str]]:
    """Gather `role_permissions` from every installed app's config."""
    wanted: dict[str, set[str]] = {role.value: set() for role in Role}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[str(role)].update(perms)
    return wanted


@transaction.atomic
def roles_sync(*, using: str = "default") -> None:
    """Create a group per role and give it exactly the permissions apps declare."""
    for role, perms in _role_permissions().items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        objects = []
        for perm in sorted(perms):
            app_label, codename = perm.split(".", 1)
            objects.append(
                Permission.objects.using(using).get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(objects)


@transaction.atomic
def user_set_roles(*, user: User, roles: Iterable[Role | str]) -> None:
    """Replace the user's roles."""
    user.groups.set(Group.objects.filter(name__in=[str(role) for role in roles]))
    user.__dict__.pop("roles", None)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    full_name: str,
    roles: Iterable[Role | str],
    email: str = "",
    phone: str = "",
    date_of_birth: datetime.date | None = None,
    sex: str = "",
    identity_level: int = IdentityLevel.NONE,
    org_unit_id: int | None = None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    """Create a user with their roles (no password: cannot log in by password)."""
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        sex=sex,
        identity_level=identity_level,
        org_unit_id=org_unit_id,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user_set_roles(user=user, roles=roles)
    return user
