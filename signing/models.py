from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SignedDocument(models.Model):
    """What an agency signed: the document (a dossier's result, through its
    content type: signing knows no dossier), the SHA-256 of the signed file as
    stored, and the certificate it was signed with. The verification compares
    the stored file with this hash and checks the signature itself."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    document = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        "units.OrgUnit",
        verbose_name=_("cơ quan ký"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sha256 = models.CharField(_("mã băm SHA-256 của tệp đã ký"), max_length=64)
    signer_name = models.CharField(_("người ký (chứng thư số)"), max_length=255)
    signer_subject = models.CharField(_("chủ thể chứng thư"), max_length=500)
    certificate_serial = models.CharField(_("số hiệu chứng thư"), max_length=64)
    backend = models.CharField(_("cách ký"), max_length=20)
    development = models.BooleanField(
        _("khóa phát triển"),
        default=False,
        help_text=_("Ký bằng khóa phát triển, không có giá trị pháp lý."),
    )
    signed_at = models.DateTimeField(_("thời điểm ký"))

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        constraints = [
            # A document is signed once: its one file is the signed one.
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="signed_document_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} {self.sha256[:12]}"
