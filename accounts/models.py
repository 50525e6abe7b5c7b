"""The portal's user: a citizen (username = personal ID number) or an officer."""

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .roles import STAFF_ROLES, Role


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class IdentityLevel(models.IntegerChoices):
    """Electronic identity level (NĐ 59/2022/NĐ-CP art. 12, kept by NĐ 69/2024)."""

    NONE = 0, _("Chưa xác thực định danh điện tử")
    LEVEL_1 = 1, _("Định danh điện tử mức độ 1")
    LEVEL_2 = 2, _("Định danh điện tử mức độ 2")


class User(AbstractUser):
    # Vietnamese names are written family name first; one field keeps them whole.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(
        _("giới tính"), max_length=6, choices=Sex.choices, blank=True
    )
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    identity_level = models.PositiveSmallIntegerField(
        _("mức định danh điện tử"),
        choices=IdentityLevel.choices,
        default=IdentityLevel.NONE,
    )
    org_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan, đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Cán bộ thuộc một cơ quan; công dân để trống."),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        permissions = [
            ("access_staff_area", _("Vào khu vực làm việc của cán bộ")),
            ("manage_users", _("Quản lý tài khoản cán bộ")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(identity_level__in=[0, 1, 2]),
                name="user_identity_level_known",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's role names (their groups); cached for the request."""
        return frozenset(self.groups.values_list("name", flat=True))

    def has_role(self, *roles: Any) -> bool:
        return bool(self.roles & {str(role) for role in roles})

    @property
    def is_officer(self) -> bool:
        """Acts for an organisation unit in the staff area."""
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_citizen(self) -> bool:
        return Role.CITIZEN in self.roles
