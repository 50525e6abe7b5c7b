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


# --- The development systems of the linked chains (docs/agencies.md) ------------------
# Each table is the "remote" state of one development system: what the population
# registry, the civil-status registry, the residence system, social insurance or
# social affairs would hold on their side. A write is keyed by the caller's
# idempotency key (unique): the same key asked again returns the same row and
# only counts the repeat.


class AgencySystem(models.TextChoices):
    POPULATION = "population", _("CSDL quốc gia về dân cư")
    CIVIL_STATUS = "civil_status", _("Hệ thống đăng ký, quản lý hộ tịch")
    RESIDENCE = "residence", _("Hệ thống thông tin về cư trú")
    SOCIAL_INSURANCE = "social_insurance", _("Hệ thống của Bảo hiểm xã hội")
    SOCIAL_AFFAIRS = "social_affairs", _("Hệ thống của cơ quan lao động - xã hội")
    NATIONAL = "national", _("Cổng Dịch vụ công quốc gia")


class RemoteWrite(models.Model):
    """What every write of a development system keeps."""

    idempotency_key = models.CharField(
        _("khóa chống trùng"), max_length=120, unique=True
    )
    request = models.JSONField(_("yêu cầu"), default=dict)
    # How many times the same key came again (each got the first answer).
    repeats = models.PositiveIntegerField(_("số lần hỏi lại"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class IssuedPersonalId(RemoteWrite):
    """A personal ID number the development population registry gave a newborn."""

    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True
    )

    class Meta:
        verbose_name = _("số định danh cấp cho trẻ (CSDL dân cư mẫu)")
        verbose_name_plural = _("số định danh cấp cho trẻ (CSDL dân cư mẫu)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.personal_id


class RecordedDeath(RemoteWrite):
    """A death the development population registry recorded."""

    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    date_of_death = models.DateField(_("ngày mất"))

    class Meta:
        verbose_name = _("xác nhận khai tử (CSDL dân cư mẫu)")
        verbose_name_plural = _("xác nhận khai tử (CSDL dân cư mẫu)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.personal_id} {self.date_of_death}"


class CivilStatusEntry(RemoteWrite):
    """A birth or death entered in the development civil-status registry."""

    class Kind(models.TextChoices):
        BIRTH = "birth", _("Khai sinh")
        DEATH = "death", _("Khai tử")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    number = models.PositiveIntegerField(_("số"))
    book = models.CharField(_("quyển số"), max_length=30)
    office = models.CharField(_("cơ quan đăng ký"), max_length=200)
    registered_on = models.DateField(_("ngày đăng ký"))
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    full_name = models.CharField(_("họ, chữ đệm và tên"), max_length=150)

    class Meta:
        verbose_name = _("sổ hộ tịch (mẫu)")
        verbose_name_plural = _("sổ hộ tịch (mẫu)")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "office", "book", "number"],
                name="civilstatusentry_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.number}/{self.book}"


class ResidenceEntry(RemoteWrite):
    """A permanent-residence registration or deregistration in the development
    residence system."""

    class Kind(models.TextChoices):
        REGISTER = "register", _("Đăng ký thường trú")
        DEREGISTER = "deregister", _("Xóa đăng ký thường trú")

    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    number = models.CharField(_("số thông báo"), max_length=40, unique=True)
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    full_name = models.CharField(_("họ, chữ đệm và tên"), max_length=150)
    address = models.CharField(_("địa chỉ thường trú"), max_length=300, blank=True)
    admin_unit_code = models.CharField(_("mã đơn vị hành chính"), max_length=10)
    recorded_on = models.DateField(_("ngày thực hiện"))

    class Meta:
        verbose_name = _("thông tin cư trú (mẫu)")
        verbose_name_plural = _("thông tin cư trú (mẫu)")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.number


class InsuranceCard(RemoteWrite):
    """A health-insurance card the development social-insurance system issued."""

    # 15 characters: beneficiary code, benefit level, province code of issue and
    # the 10-digit social-insurance number (identifiers.md, QĐ 1351/QĐ-BHXH).
    card_code = models.CharField(_("mã thẻ"), max_length=15, unique=True)
    social_insurance_number = models.CharField(
        _("mã số bảo hiểm xã hội"), max_length=10, unique=True
    )
    personal_id = models.CharField(_("số định danh cá nhân"), max_length=12)
    full_name = models.CharField(_("họ, chữ đệm và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"))
    province_code = models.CharField(_("mã tỉnh nơi cấp"), max_length=2)
    facility = models.CharField(
        _("nơi đăng ký khám bệnh, chữa bệnh ban đầu"), max_length=200
    )
    valid_from = models.DateField(_("có giá trị từ"))

    class Meta:
        verbose_name = _("thẻ bảo hiểm y tế (mẫu)")
        verbose_name_plural = _("thẻ bảo hiểm y tế (mẫu)")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(card_code__regex=r"^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$"),
                name="insurancecard_code_format",
            ),
        ]

    def __str__(self) -> str:
        return self.card_code


class BenefitDecision(RemoteWrite):
    """A decision on a funeral allowance, funeral-cost support or survivor benefit
    in the development social-insurance or social-affairs system."""

    class Kind(models.TextChoices):
        FUNERAL_ALLOWANCE = "funeral_allowance", _("Trợ cấp mai táng")
        FUNERAL_SUPPORT = "funeral_support", _("Hỗ trợ chi phí mai táng")
        SURVIVOR = "survivor", _("Trợ cấp tuất")

    system = models.CharField(
        _("hệ thống"), max_length=20, choices=AgencySystem.choices
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    number = models.CharField(_("số quyết định"), max_length=40)
    deceased_personal_id = models.CharField(
        _("số định danh người mất"), max_length=12, blank=True
    )
    deceased_name = models.CharField(_("họ tên người mất"), max_length=150)
    decided_on = models.DateField(_("ngày quyết định"))

    class Meta:
        verbose_name = _("quyết định chế độ (mẫu)")
        verbose_name_plural = _("quyết định chế độ (mẫu)")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "number"], name="benefitdecision_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class AgencyFault(models.Model):
    """A scripted failure of a development system, read by every process (the web
    server, each worker): "fail 3 times, then answer", "always time out after
    writing", "refuse with this reason". Tests and demos add rows; deleting them
    makes the system healthy again."""

    class Mode(models.TextChoices):
        ERROR = "error", _("Lỗi tạm thời (trước khi xử lý)")
        TIMEOUT_AFTER = "timeout_after", _("Quá thời gian chờ (sau khi đã xử lý)")
        REFUSE = "refuse", _("Từ chối")
        # How the system acknowledges a hand-over it received (Decree 63/2024
        # art. 7(4)): after `delay_minutes`, or never.
        ACK_LATE = "ack_late", _("Xác nhận đã nhận muộn")
        ACK_NEVER = "ack_never", _("Không bao giờ xác nhận đã nhận")

    ACKNOWLEDGEMENT_MODES = ("ack_late", "ack_never")

    system = models.CharField(
        _("hệ thống"), max_length=20, choices=AgencySystem.choices
    )
    # Empty: every write of the system.
    operation = models.CharField(_("thao tác"), max_length=40, blank=True)
    mode = models.CharField(_("kiểu lỗi"), max_length=16, choices=Mode.choices)
    # How many more calls fail; empty: every call, until the row is deleted.
    remaining = models.PositiveIntegerField(_("số lần còn lại"), null=True, blank=True)
    reason = models.CharField(_("lý do (khi từ chối)"), max_length=300, blank=True)
    # "ack_late": minutes after receipt the system acknowledges.
    delay_minutes = models.PositiveIntegerField(
        _("xác nhận sau (phút)"), null=True, blank=True
    )
    triggered = models.PositiveIntegerField(_("đã gây lỗi"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lỗi giả lập của hệ thống mẫu")
        verbose_name_plural = _("lỗi giả lập của hệ thống mẫu")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(mode="refuse") | ~Q(reason=""),
                name="agencyfault_refusal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(mode="ack_late") | Q(delay_minutes__isnull=False),
                name="agencyfault_late_ack_has_delay",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.operation or '*'} {self.mode}"


class HandoffAcknowledgement(models.Model):
    """A development system's record of a request it received and when it
    acknowledged it (None: it never will): what a real system's
    acknowledgement of a linked chain's hand-over would be (Decree 63/2024
    art. 7(4)). Written by the system with the request; read by
    `acknowledged_at`."""

    system = models.CharField(
        _("hệ thống"), max_length=20, choices=AgencySystem.choices
    )
    operation = models.CharField(_("thao tác"), max_length=40, blank=True)
    idempotency_key = models.CharField(_("khóa chống trùng"), max_length=120)
    received_at = models.DateTimeField(_("nhận lúc"))
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("xác nhận đã nhận (hệ thống mẫu)")
        verbose_name_plural = _("xác nhận đã nhận (hệ thống mẫu)")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "idempotency_key"], name="handoffack_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.system} {self.idempotency_key}"
