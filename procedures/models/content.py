"""Guides for first-time users, questions people ask about a procedure, and
announcements of the units."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import AdminUnit, OrgUnit

from .catalogue import Procedure


class Guide(models.Model):
    """A step-by-step guide for first-time and elderly users."""

    slug = models.SlugField(_("khóa"), max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("tiêu đề"), max_length=200)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=200)
    summary = models.TextField(_("tóm tắt"))
    summary_en = models.TextField(_("tóm tắt tiếng Anh"))
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guides",
    )
    is_published = models.BooleanField(_("đang hiển thị"), default=True)

    class Meta:
        verbose_name = _("hướng dẫn")
        verbose_name_plural = _("hướng dẫn")
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procedures:guide-detail", args=[self.slug])


class GuideStep(models.Model):
    guide = models.ForeignKey(
        Guide,
        verbose_name=_("hướng dẫn"),
        on_delete=models.CASCADE,
        related_name="steps",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    text = models.TextField(_("nội dung"))
    text_en = models.TextField(_("nội dung tiếng Anh"))
    # A path under our static files: pictures never come from elsewhere.
    image = models.CharField(
        _("hình minh họa"),
        max_length=200,
        blank=True,
        help_text=_("Đường dẫn trong thư mục static, ví dụ procedures/guides/a.png."),
    )
    image_alt = models.CharField(_("mô tả hình"), max_length=300, blank=True)
    image_alt_en = models.CharField(
        _("mô tả hình (tiếng Anh)"), max_length=300, blank=True
    )

    class Meta:
        verbose_name = _("bước hướng dẫn")
        verbose_name_plural = _("bước hướng dẫn")
        ordering = ["guide", "order"]
        constraints = [
            models.UniqueConstraint(fields=["guide", "order"], name="guidestep_unique"),
            # A picture always comes with its description for screen readers.
            models.CheckConstraint(
                condition=Q(image="") | (~Q(image_alt="") & ~Q(image_alt_en="")),
                name="guidestep_image_has_alt",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guide}: {self.order}"


class Announcement(models.Model):
    """A notice of a commune or of the district, shown on the home page and on
    the unit's page."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    title_en = models.CharField(_("tiêu đề tiếng Anh"), max_length=200, blank=True)
    body = models.TextField(_("nội dung"))
    body_en = models.TextField(_("nội dung tiếng Anh"), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("cơ quan"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
    )
    admin_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("địa bàn"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="announcements",
        help_text=_("Thông báo chung cho cả địa bàn và các đơn vị trực thuộc."),
    )
    published_from = models.DateTimeField(_("hiển thị từ"))
    published_until = models.DateTimeField(
        _("hiển thị đến"), null=True, blank=True, help_text=_("Để trống: không hạn.")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-published_from", "-pk"]
        indexes = [models.Index(fields=["published_from"], name="announcement_pub")]
        constraints = [
            models.CheckConstraint(
                condition=Q(org_unit__isnull=False) | Q(admin_unit__isnull=False),
                name="announcement_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(published_until__isnull=True)
                | Q(published_until__gt=F("published_from")),
                name="announcement_period",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("procedures:announcement-detail", args=[self.pk])

    @property
    def unit(self) -> OrgUnit | AdminUnit | None:
        """Who the notice is from: the agency, else the area."""
        return self.org_unit or self.admin_unit


class Faq(models.Model):
    """A question people often ask about a procedure, with its answer.

    Shown on the procedure's page and on /help/. The source stays in the admin:
    an answer says what the law or the agency says, so it keeps where that was read.
    """

    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("thủ tục"),
        on_delete=models.CASCADE,
        related_name="faqs",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    question = models.CharField(_("câu hỏi"), max_length=300)
    question_en = models.CharField(
        _("câu hỏi (tiếng Anh)"),
        max_length=300,
        blank=True,
        help_text=_("Để trống: trang tiếng Anh hiện câu hỏi bằng tiếng Việt."),
    )
    answer = models.TextField(_("trả lời"))
    answer_en = models.TextField(_("trả lời (tiếng Anh)"), blank=True)
    is_published = models.BooleanField(_("đang hiển thị"), default=True)
    source = models.TextField(
        _("nguồn"),
        blank=True,
        help_text=_(
            "Văn bản, điều khoản hoặc tài liệu làm căn cứ cho câu trả lời; chỉ "
            "hiện trong trang quản trị."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("câu hỏi thường gặp")
        verbose_name_plural = _("câu hỏi thường gặp")
        ordering = ["procedure", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(question="") & ~Q(answer=""),
                name="faq_has_question_and_answer",
                violation_error_message=_(
                    "Câu hỏi và câu trả lời không được để trống."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.question
