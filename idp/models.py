"""Identities of the bundled development identity provider.

They live apart from portal accounts, as VNeID's do: the portal learns about a
person only through the ID token. django-oauth-toolkit ties its grants and tokens
to AUTH_USER_MODEL, so each identity has an inert technical user (`subject`): no
password, inactive, no role; it can never log in to the portal.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityLevel, Sex


class Identity(models.Model):
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("mức định danh"),
        choices=[
            (IdentityLevel.LEVEL_1, IdentityLevel.LEVEL_1.label),
            (IdentityLevel.LEVEL_2, IdentityLevel.LEVEL_2.label),
        ],
    )
    password = models.CharField(_("mật khẩu (đã băm)"), max_length=128)
    subject = models.OneToOneField(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="idp_identity",
        editable=False,
    )

    class Meta:
        verbose_name = _("định danh thử nghiệm")
        verbose_name_plural = _("định danh thử nghiệm")
        ordering = ["personal_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=[1, 2]), name="identity_level_1_or_2"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"
