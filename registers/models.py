from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class RegisterKind(models.TextChoices):
    """The registers an agency keeps its results in. The labels are the registers'
    names as printed (Vietnamese: an official paper)."""

    BIRTH = "birth", _("Sổ đăng ký khai sinh")
    DEATH = "death", _("Sổ đăng ký khai tử")
    MARRIAGE = "marriage", _("Sổ đăng ký kết hôn")
    CIVIL_STATUS = "civil_status", _("Sổ hộ tịch khác")
    CERT_COPY = "cert_copy", _("Sổ chứng thực bản sao từ bản chính")
    CERT_SIGNATURE = "cert_signature", _("Sổ chứng thực chữ ký")
    CERT_CONTRACT = "cert_contract", _("Sổ chứng thực hợp đồng, giao dịch")
    PERMIT = "permit", _("Sổ cấp giấy phép và kết quả khác")


class Register(models.Model):
    """One book of an agency's register of one kind in one year: "Quyển số
    01/2026" of the births register of UBND xã An. Its numbers start at 1;
    `last_number` is the last one given (the row is locked to give the next).
    One book of a kind and year is open at a time; closing it (a full book, a
    new book decided by the agency) makes the next result open the next book."""

    unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan"),
        on_delete=models.PROTECT,
        related_name="registers",
    )
    kind = models.CharField(_("loại sổ"), max_length=20, choices=RegisterKind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    sequence = models.PositiveSmallIntegerField(_("quyển thứ"), default=1)
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)
    opened_at = models.DateTimeField(_("ngày mở sổ"))
    closed_at = models.DateTimeField(_("ngày khóa sổ"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người khóa sổ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sổ đăng ký kết quả")
        verbose_name_plural = _("sổ đăng ký kết quả")
        ordering = ["unit", "-year", "kind", "-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year", "sequence"],
                name="register_book_unique",
            ),
            # One open book per agency, kind and year: every issue of that kind
            # waits on the same row, so no two take the same number.
            models.UniqueConstraint(
                fields=["unit", "kind", "year"],
                condition=models.Q(closed_at__isnull=True),
                name="register_one_open_book",
            ),
            models.CheckConstraint(
                condition=models.Q(sequence__gte=1), name="register_sequence_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.book}"

    @property
    def book(self) -> str:
        """The book's number as printed: "01/2026"."""
        return f"{self.sequence:02d}/{self.year}"


class RegisterEntry(models.Model):
    """A line of a register: the number given to one dossier's result. Written
    once, in the issue's transaction, never changed (the admin shows it read
    only)."""

    register = models.ForeignKey(
        Register,
        verbose_name=_("sổ"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    number = models.PositiveIntegerField(_("số"))
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        verbose_name=_("hồ sơ"),
        on_delete=models.PROTECT,
        related_name="register_entry",
    )
    title = models.CharField(_("tên kết quả"), max_length=255)
    # The person the result is about (the child, the deceased, the applicant), as
    # written in the register: searchable by officers.
    subject = models.CharField(_("họ tên"), max_length=255, blank=True)
    entered_at = models.DateTimeField(_("ngày vào sổ"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người vào sổ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("số vào sổ")
        verbose_name_plural = _("số vào sổ")
        ordering = ["register", "number"]
        permissions = [
            ("search_registers", _("Tra cứu sổ đăng ký kết quả của cơ quan mình")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], name="register_entry_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="register_entry_number_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.register}"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:dossier-work", kwargs={"code": self.dossier.code})
