"""The portal's user (a citizen by personal ID number, or an officer), the citizen's
profile, household and document store, the data-access log and API tokens."""

import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from portal.db import PreparedRead

from .roles import STAFF_ROLES, Role


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class IdentityLevel(models.IntegerChoices):
    """Electronic identity level (NĐ 59/2022/NĐ-CP art. 12, kept by NĐ 69/2024)."""

    NONE = 0, _("Chưa xác thực định danh điện tử")
    LEVEL_1 = 1, _("Định danh điện tử mức độ 1")
    LEVEL_2 = 2, _("Định danh điện tử mức độ 2")


# A user's role names, read on every staff request: compiled once.
ROLES = PreparedRead(
    lambda user: Group.objects.filter(user=user).values_list("name"), user=int
)


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
        return frozenset(name for (name,) in ROLES.rows(user=self.pk))

    def has_role(self, *roles: Any) -> bool:
        return bool(self.roles & {str(role) for role in roles})

    @property
    def is_officer(self) -> bool:
        """Acts for an organisation unit in the staff area."""
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_citizen(self) -> bool:
        return Role.CITIZEN in self.roles

    @property
    def requires_otp(self) -> bool:
        """Every staff role and every admin-site user logs in with a TOTP code."""
        return self.is_officer or self.is_staff or self.is_superuser


class CitizenProfile(models.Model):
    """What a citizen keeps on file to prefill forms: addresses, commune."""

    user = models.OneToOneField(
        User,
        verbose_name=_("công dân"),
        on_delete=models.CASCADE,
        related_name="profile",
    )
    permanent_address = models.CharField(
        _("nơi thường trú"), max_length=255, blank=True
    )
    current_address = models.CharField(
        _("nơi ở hiện tại"),
        max_length=255,
        blank=True,
        help_text=_("Để trống nếu giống nơi thường trú."),
    )
    # The commune the citizen lives in: officers of that commune (and of the
    # units above it) may open the profile.
    commune = models.ForeignKey(
        "units.AdminUnit",
        verbose_name=_("xã, phường, thị trấn nơi ở"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hồ sơ cá nhân")
        verbose_name_plural = _("hồ sơ cá nhân")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def address(self) -> str:
        """Where to reach the citizen: the current address, else the permanent."""
        return self.current_address or self.permanent_address


class Relation(models.TextChoices):
    SPOUSE = "spouse", _("Vợ/chồng")
    CHILD = "child", _("Con")
    FATHER = "father", _("Cha")
    MOTHER = "mother", _("Mẹ")
    OTHER = "other", _("Khác")


class HouseholdMember(models.Model):
    """A family member the citizen declares once and reuses in forms."""

    owner = models.ForeignKey(
        User,
        verbose_name=_("công dân"),
        on_delete=models.CASCADE,
        related_name="household_members",
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    relation = models.CharField(_("quan hệ"), max_length=10, choices=Relation.choices)
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    sex = models.CharField(
        _("giới tính"), max_length=6, choices=Sex.choices, blank=True
    )
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("thành viên gia đình")
        verbose_name_plural = _("thành viên gia đình")
        ordering = ["owner", "relation", "date_of_birth", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(personal_id="")
                | models.Q(personal_id__regex=r"^[0-9]{12}$"),
                name="householdmember_personal_id_12_digits",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class DocumentType(models.TextChoices):
    BIRTH_CERTIFICATE = "birth_certificate", _("Giấy khai sinh")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Giấy chứng nhận kết hôn")
    MARITAL_STATUS = "marital_status", _("Giấy xác nhận tình trạng hôn nhân")
    DEATH_CERTIFICATE = "death_certificate", _("Giấy chứng tử, trích lục khai tử")
    IDENTITY_CARD = "identity_card", _("Thẻ căn cước, căn cước công dân")
    RESIDENCE = "residence", _("Xác nhận thông tin về cư trú")
    HEALTH_INSURANCE = "health_insurance", _("Thẻ bảo hiểm y tế")
    OTHER = "other", _("Giấy tờ khác")


class DocumentSource(models.TextChoices):
    UPLOAD = "upload", _("Công dân tải lên")
    RESULT = "result", _("Kết quả giải quyết thủ tục")
    REGISTRY = "registry", _("Cơ sở dữ liệu quốc gia")
    NATIONAL = "national", _("Kho dữ liệu trên Cổng Dịch vụ công quốc gia")


def stored_document_path(instance: "StoredDocument", filename: str) -> str:
    # Random names: the owner's original file name is kept in the title only, and
    # nothing under MEDIA_ROOT is ever served directly.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/stored-documents/{instance.owner_id}/{uuid.uuid4().hex}.{suffix}"


class StoredDocument(models.Model):
    """A document in the citizen's personal store ("kho dữ liệu cá nhân").

    Dossiers attach one by reference (its primary key); the checksum, size and
    content type let them record exactly which file they used.
    """

    owner = models.ForeignKey(
        User,
        verbose_name=_("chủ sở hữu"),
        on_delete=models.PROTECT,
        related_name="stored_documents",
    )
    doc_type = models.CharField(
        _("loại giấy tờ"), max_length=30, choices=DocumentType.choices
    )
    title = models.CharField(_("tên giấy tờ"), max_length=200)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    issued_by = models.CharField(_("cơ quan cấp"), max_length=200, blank=True)
    issued_on = models.DateField(_("ngày cấp"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to=stored_document_path, max_length=255)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    checksum = models.CharField(_("mã băm SHA-256"), max_length=64)
    source = models.CharField(
        _("nguồn"),
        max_length=10,
        choices=DocumentSource.choices,
        default=DocumentSource.UPLOAD,
    )
    # A paper taken from the citizen's store on the national portal: its
    # reference there, so the same paper chosen again is not fetched twice.
    national_reference = models.CharField(
        _("mã tham chiếu trên Cổng quốc gia"), max_length=80, blank=True
    )
    created_at = models.DateTimeField(_("lưu lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("giấy tờ đã lưu")
        verbose_name_plural = _("giấy tờ đã lưu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(checksum__regex=r"^[0-9a-f]{64}$"),
                name="storeddocument_checksum_sha256",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    source__in=["upload", "result", "registry", "national"]
                ),
                name="storeddocument_source_known",
            ),
            models.UniqueConstraint(
                fields=["owner", "national_reference"],
                condition=~models.Q(national_reference=""),
                name="storeddocument_national_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("accounts:stored-document-detail", kwargs={"pk": self.pk})


class DataAccessLog(models.Model):
    """A staff user opened a citizen's data. Rows are only ever appended."""

    staff = models.ForeignKey(
        User,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        related_name="data_accesses_made",
    )
    # The unit the officer acted for at that moment (they may move later).
    staff_unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    citizen = models.ForeignKey(
        User,
        verbose_name=_("công dân"),
        on_delete=models.PROTECT,
        related_name="data_accesses",
    )
    obj_label = models.CharField(_("dữ liệu được xem"), max_length=200)
    context = models.CharField(_("lý do, bối cảnh"), max_length=255)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu")
        verbose_name_plural = _("nhật ký truy cập dữ liệu")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["citizen", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.staff} → {self.citizen}: {self.obj_label}"


class ApiToken(models.Model):
    """An API token; only its SHA-256 hash is stored."""

    user = models.ForeignKey(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"


# --- Text messages and one-time codes (accounts/adapters/sms.py) -----------------


class OutboundSms(models.Model):
    """A text message as the development SMS backend "sent" it.

    A real gateway keeps its own records; this table stands in for the phone, so
    that testers can read what a citizen would receive. Administrators see it in
    the admin; in DEBUG or demo mode a small page shows it too.
    """

    message_id = models.CharField(_("mã tin nhắn"), max_length=64, unique=True)
    phone = models.CharField(_("số điện thoại"), max_length=15)
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm gửi"), auto_now_add=True)

    class Meta:
        verbose_name = _("tin nhắn SMS thử nghiệm")
        verbose_name_plural = _("tin nhắn SMS thử nghiệm")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["-created_at"])]

    def __str__(self) -> str:
        return self.message_id


class PhoneCodePurpose(models.TextChoices):
    FILE_FOR_CITIZEN = (
        "file_for_citizen",
        _("Đồng ý cho Tổ công nghệ số cộng đồng nộp hồ sơ giúp"),
    )
    FEEDBACK_SENDER = (
        "feedback_sender",
        _("Xác nhận số điện thoại của người gửi phản ánh, kiến nghị"),
    )


class PhoneCode(models.Model):
    """A one-time code sent by SMS to a user's phone to confirm they agree to
    something (e.g. that a digital-team member files a dossier for them), or to
    a bare number to show it is the sender's (anonymous feedback).

    Only a salted HMAC of the code is kept; the code expires, allows a few wrong
    attempts, and confirms one use (accounts/services/phone_codes.py).
    """

    user = models.ForeignKey(
        User,
        verbose_name=_("chủ số điện thoại"),
        on_delete=models.CASCADE,
        related_name="phone_codes",
        null=True,
        blank=True,
    )
    # Only for a number without an account (the code is matched by it).
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("người yêu cầu"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    purpose = models.CharField(
        _("mục đích"), max_length=32, choices=PhoneCodePurpose.choices
    )
    # Where it went, masked (09*****678): enough to tell the citizen which phone.
    phone_hint = models.CharField(_("gửi đến"), max_length=15)
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    message_id = models.CharField(_("mã tin nhắn"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"))
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    confirmed_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã xác nhận qua SMS")
        verbose_name_plural = _("mã xác nhận qua SMS")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "-created_at"]),
            models.Index(
                fields=["phone", "created_at"],
                name="phonecode_bare_number",
                condition=models.Q(user__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose__in=["file_for_citizen", "feedback_sender"]),
                name="phonecode_purpose_known",
            ),
            # A user's code goes to their phone; any other to the number kept.
            models.CheckConstraint(
                condition=(
                    models.Q(user__isnull=False, phone="")
                    | models.Q(user__isnull=True, phone__gt="")
                ),
                name="phonecode_user_or_number",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True)
                | models.Q(confirmed_at__isnull=False),
                name="phonecode_used_only_when_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gte=models.F("created_at")),
                name="phonecode_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
