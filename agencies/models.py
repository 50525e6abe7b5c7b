"""Tables of the development implementations of other agencies' systems."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RegistryRecord(models.Model):
    """A person in the development population registry.

    Stands in for the national population database (Cơ sở dữ liệu quốc gia về
    dân cư) on a laptop or a demo server: the development adapter answers from
    this table. A real deployment never reads it.
    """

    class Sex(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")

    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True
    )
    full_name = models.CharField(_("họ, chữ đệm và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=50, blank=True)
    nationality = models.CharField(_("quốc tịch"), max_length=50, blank=True)
    place_of_birth = models.CharField(
        _("nơi đăng ký khai sinh"), max_length=255, blank=True
    )
    place_of_origin = models.CharField(_("quê quán"), max_length=255, blank=True)
    permanent_address = models.CharField(
        _("nơi thường trú"), max_length=255, blank=True
    )
    current_address = models.CharField(_("nơi ở hiện tại"), max_length=255, blank=True)
    household_code = models.CharField(_("mã hộ"), max_length=20, blank=True)
    relation_to_head = models.CharField(
        _("quan hệ với chủ hộ"), max_length=30, blank=True
    )
    date_of_death = models.DateField(_("ngày mất"), null=True, blank=True)

    class Meta:
        verbose_name = _("công dân trong CSDL dân cư mẫu")
        verbose_name_plural = _("công dân trong CSDL dân cư mẫu")
        ordering = ["household_code", "personal_id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(personal_id__regex=r"^[0-9]{12}$"),
                name="registryrecord_personal_id_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(sex__in=["male", "female"]),
                name="registryrecord_sex_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.personal_id})"
