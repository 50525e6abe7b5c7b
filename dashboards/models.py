"""Pre-aggregated dossier counts, the per-dossier facts they are summed from, and
the e-ID figures of administrative units (docs/dashboards.md)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The counted columns of a bucket, in the order of docs/dashboards.md. Every
# column but the two deltas is a plain count of dossiers; `open_delta` and
# `overdue_delta` are +1 on the day a dossier starts being open (or overdue) and
# -1 on the day it stops, so a stock at the end of day T is their sum up to T.
COUNT_COLUMNS = (
    "received",
    "assisted",
    "fee",
    "paid_online",
    "completed_early",
    "completed_on_time",
    "completed_late",
    "results_in_scope",
    "results_digitized",
    "ratings",
    "satisfied",
    "open_delta",
    "overdue_delta",
)


class Grain(models.TextChoices):
    DAY = "D", _("ngày")
    MONTH = "M", _("tháng")
    YEAR = "Y", _("năm")


class DossierFacts(models.Model):
    """What one dossier contributes to the counts, as last counted.

    Written by the transition listener, the import and `rebuild_stats`; the
    listener subtracts the old contribution and adds the new one, so counts stay
    right when a due date moves or a dossier changes status.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # The bucket key (snapshots: no foreign keys, so bulk writes stay cheap).
    receiving_unit_id = models.BigIntegerField()
    procedure_id = models.BigIntegerField()
    channel = models.CharField(max_length=10)
    received_on = models.DateField(null=True)
    assisted = models.BooleanField(default=False)
    fee = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    completed_on = models.DateField(null=True)
    timeliness = models.CharField(max_length=8, blank=True)
    result_in_scope = models.BooleanField(default=False)
    result_digitized = models.BooleanField(default=False)
    rating = models.CharField(max_length=16, blank=True)
    # Open from `received_on` until the day before `open_to` (None: still open).
    open_to = models.DateField(null=True)
    # Overdue from `overdue_from` until the day before `overdue_to`.
    overdue_from = models.DateField(null=True)
    overdue_to = models.DateField(null=True)

    class Meta:
        verbose_name = _("số liệu của hồ sơ")
        verbose_name_plural = _("số liệu của hồ sơ")
        # The drill-down lists read these by unit and day.
        indexes = [
            models.Index(
                fields=["receiving_unit_id", "received_on", "channel"],
                name="facts_unit_received",
            ),
            models.Index(
                fields=["receiving_unit_id", "completed_on", "timeliness"],
                name="facts_unit_completed",
            ),
            models.Index(
                fields=["receiving_unit_id", "overdue_from"], name="facts_unit_overdue"
            ),
        ]

    def __str__(self) -> str:
        return str(self.dossier_id)


class BucketBase(models.Model):
    """Counts of dossiers over one day, month or year (each change is written
    at the three grains, so a period is read as a few whole years, whole months
    and days)."""

    grain = models.CharField(max_length=1, choices=Grain.choices)
    start = models.DateField()
    receiving_unit = models.ForeignKey(
        "units.OrgUnit", on_delete=models.PROTECT, db_index=False, related_name="+"
    )
    channel = models.CharField(max_length=10)
    received = models.IntegerField(default=0)
    assisted = models.IntegerField(default=0)
    fee = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    completed_early = models.IntegerField(default=0)
    completed_on_time = models.IntegerField(default=0)
    completed_late = models.IntegerField(default=0)
    results_in_scope = models.IntegerField(default=0)
    results_digitized = models.IntegerField(default=0)
    ratings = models.IntegerField(default=0)
    satisfied = models.IntegerField(default=0)
    open_delta = models.IntegerField(default=0)
    overdue_delta = models.IntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.grain}{self.start} {self.receiving_unit_id}"


class StatBucket(BucketBase):
    """Counts per receiving unit × procedure × channel × day/month/year."""

    procedure = models.ForeignKey(
        "procedures.Procedure",
        on_delete=models.PROTECT,
        db_index=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ô số liệu tổng hợp")
        verbose_name_plural = _("ô số liệu tổng hợp")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "receiving_unit", "procedure", "channel"],
                name="statbucket_key",
            ),
            models.CheckConstraint(
                condition=Q(grain__in=Grain.values), name="statbucket_grain_known"
            ),
        ]
        permissions = [
            (
                "view_area_stats",
                _("Xem số liệu thống kê của mọi đơn vị trên địa bàn"),
            ),
            ("view_unit_stats", _("Xem số liệu thống kê của đơn vị mình")),
        ]


class UnitBucket(BucketBase):
    """The same counts for all procedures together (receiving unit × channel ×
    day/month/year): figures without a procedure filter read these, a few
    rows per unit whatever the number of procedures."""

    class Meta:
        verbose_name = _("ô số liệu tổng hợp theo đơn vị")
        verbose_name_plural = _("ô số liệu tổng hợp theo đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "start", "receiving_unit", "channel"],
                name="unitbucket_key",
            ),
            models.CheckConstraint(
                condition=Q(grain__in=Grain.values), name="unitbucket_grain_known"
            ),
        ]
        # The figures read a few grains and periods of each unit of the area: with
        # the unit first, each unit's rows are one range (make bench: 0.8 s at
        # 5M dossiers through the key, whose first column is the grain).
        indexes = [
            models.Index(
                fields=["receiving_unit", "grain", "start"], name="unitbucket_unit"
            )
        ]


class UnitStat(models.Model):
    """E-ID accounts activated and the target population of a unit on a date.

    The figures come from the police (imported with `import_unit_stats`), not
    from this portal.
    """

    admin_unit = models.ForeignKey(
        "units.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    as_of = models.DateField(_("số liệu tính đến ngày"))
    eid_activated = models.PositiveIntegerField(_("tài khoản định danh đã kích hoạt"))
    eid_population = models.PositiveIntegerField(_("dân số cần cấp định danh"))
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("số liệu định danh điện tử")
        verbose_name_plural = _("số liệu định danh điện tử")
        ordering = ["admin_unit", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["admin_unit", "as_of"], name="unitstat_unit_day"
            ),
            models.CheckConstraint(
                condition=Q(eid_activated__lte=models.F("eid_population")),
                name="unitstat_activated_within_population",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.admin_unit_id} {self.as_of}"
