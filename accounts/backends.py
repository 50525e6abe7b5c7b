"""Django's model permissions, read in one statement.

Django's ModelBackend reads a user's own permissions and their groups' in two
queries, compiled on every request; a staff page checks its permissions on each
request (two of the officer's dossier page's statements, about 1 ms). This
backend, listed before it, reads both in one prepared read
(portal.db.PreparedRead) and answers every permission check of a user who is
not an active superuser (Django answers those without any backend): yes, or
PermissionDenied, which ends the check as Django's own "no" would, without its
two queries. What a user may do is Django's rule unchanged: an inactive or
anonymous user nothing, others their own and their groups' permissions, and no
object permissions. Signing in and loading the session's user stay Django's
ModelBackend's, so the sessions and logins of before stay valid.
"""

from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from portal.db import PreparedRead

from .models import User


def _permissions(user: int) -> Any:
    own = User.user_permissions.through.objects.filter(user_id=user)
    grouped = Group.permissions.through.objects.filter(group__user=user)
    return Permission.objects.filter(
        Q(pk__in=own.values("permission_id"))
        | Q(pk__in=grouped.values("permission_id"))
    ).values_list("content_type__app_label", "codename")


PERMISSIONS = PreparedRead(_permissions, user=int)


class PermissionBackend:
    """Not a BaseBackend: without `get_user` it is never a session's backend
    (nor the test client's `force_login`'s, which takes the first that has one)."""

    def authenticate(self, request: Any, **credentials: Any) -> None:
        return None  # signing in is Django's ModelBackend's

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if user_obj.is_superuser:
            return set()  # all of them: Django's ModelBackend lists them
        # Django's ModelBackend keeps the same set under the same name.
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = {
                f"{app}.{codename}"
                for app, codename in PERMISSIONS.rows(user=user_obj.pk)
            }
        cached: set[str] = user_obj._perm_cache
        return cached

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if perm in self.get_all_permissions(user_obj, obj):
            return True
        if user_obj.is_active and user_obj.is_superuser:
            return False  # left to Django's ModelBackend
        raise PermissionDenied

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        if any(
            perm.partition(".")[0] == app_label
            for perm in self.get_all_permissions(user_obj)
        ):
            return True
        if user_obj.is_active and user_obj.is_superuser:
            return False
        raise PermissionDenied
