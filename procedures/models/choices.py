"""Choices of the catalogue's models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyLevel(models.TextChoices):
    COMMUNE = "commune", _("Cấp xã")
    DISTRICT = "district", _("Cấp huyện")
    PROVINCE = "province", _("Cấp tỉnh")
    CENTRAL = "central", _("Trung ương")


class OnlineLevel(models.TextChoices):
    """Levels of NĐ 42/2022/NĐ-CP; empty = not yet known."""

    FULL = "toan_trinh", _("Toàn trình")
    PARTIAL = "mot_phan", _("Một phần")
    NONE = "none", _("Không trực tuyến")


class Verified(models.TextChoices):
    """How far the reference confirmed an entry (services-53.md)."""

    YES = "yes", _("Đã xác minh")
    YES_MAPPED = "yes-mapped", _("Đã xác minh (đối chiếu thủ tục mới)")
    PARTIAL = "partial", _("Xác minh một phần")
    LIST_ONLY = "list-only", _("Chỉ có trong danh sách")
    CANDIDATE = "candidate", _("Dự kiến thuộc danh sách")


class Kind(models.TextChoices):
    SINGLE = "single", _("Thủ tục đơn lẻ")
    LINKED = "linked", _("Nhóm thủ tục liên thông")
