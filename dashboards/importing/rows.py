"""A row of a historical dossiers file (docs/dashboards.md): its columns, the
statuses it may hold, its checks (`parse_dossier_row`, shared by the Python and
the PostgreSQL paths), and the procedure and placeholder applicant it refers to."""

from __future__ import annotations

import datetime
import itertools
import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dossiers.models import Channel, Dossier, Rating, Status
from procedures.models import Procedure
from units.models import OrgUnit

from .common import (
    IMPORT_USERNAME_PREFIX,
    ZONE,
    BadValue,
    UnitLookup,
    parse_flag,
    parse_moment,
    parse_whole,
)

DOSSIER_COLUMNS = (
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "submitted_at",
    "received_at",
    "due_at",
    "completed_at",
    "returned_at",
    "status",
    "result_digitized",
    "fee_vnd",
    "paid_online",
    "rating",
)
IMPORT_STATUSES = (
    Status.SUBMITTED,
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.PROCESSING,
    Status.RESULT_READY,
    Status.RETURNED,
    Status.REFUSED,
    Status.WITHDRAWN,
    Status.STOPPED,
)
OPEN = {
    Status.RECEIVED,
    Status.SUPPLEMENT_REQUESTED,
    Status.AWAITING_PAYMENT,
    Status.PROCESSING,
}

# --- Dossier rows -------------------------------------------------------------------

# The dossier code's length (a 35-character agency code and Circular 04/2025's rest).
CODE_MAX_LENGTH: int = Dossier._meta.get_field("code").max_length or 64


@dataclass(frozen=True)
class DossierRow:
    line: int
    code: str
    procedure_id: int
    receiving_unit_id: int
    admin_unit_id: int
    channel: str
    status: str
    submitted_at: datetime.datetime
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    result_digitized: bool | None
    fee_vnd: int | None
    paid_online: bool | None
    rating: str
    # Not in the import format; set by seed_demo for counter-assisted filings.
    assisted_by_id: int | None = None


def _check_order(row: dict[str, datetime.datetime | None]) -> None:
    order = ["submitted_at", "received_at", "completed_at", "returned_at"]
    present = [(name, row[name]) for name in order if row[name] is not None]
    for (first, a), (second, b) in itertools.pairwise(present):
        if a is not None and b is not None and b < a:
            raise BadValue(
                _("%(second)s không được trước %(first)s."), first=first, second=second
            )
    due, received = row["due_at"], row["received_at"]
    if due is not None and received is not None and due < received:
        raise BadValue(_("due_at không được trước received_at."))


def _check_status(status: str, t: dict[str, datetime.datetime | None]) -> None:
    def need(*names: str) -> None:
        for name in names:
            if t[name] is None:
                raise BadValue(
                    _("Hồ sơ trạng thái %(status)s phải có %(column)s."),
                    status=status,
                    column=name,
                )

    def empty(*names: str) -> None:
        for name in names:
            if t[name] is not None:
                raise BadValue(
                    _("Hồ sơ trạng thái %(status)s không được có %(column)s."),
                    status=status,
                    column=name,
                )

    if status == Status.SUBMITTED:
        empty("received_at", "completed_at", "returned_at")
    elif status in OPEN:
        need("received_at")
        empty("completed_at", "returned_at")
    elif status == Status.RESULT_READY:
        need("received_at", "completed_at")
        empty("returned_at")
    elif status == Status.RETURNED:
        need("received_at", "completed_at", "returned_at")
    elif status == Status.STOPPED:
        need("received_at", "completed_at")
    elif status == Status.REFUSED:
        need("completed_at")
    elif status == Status.WITHDRAWN:
        empty("completed_at", "returned_at")
    if t["received_at"] is not None:
        need("due_at")


def parse_dossier_row(
    line: int,
    values: dict[str, str],
    *,
    units: UnitLookup,
    procedures: dict[str, int],
) -> DossierRow:
    """A checked row, or BadValue with the first reason it is not valid."""
    if "__extra__" in values:
        raise BadValue(_("Dòng có nhiều giá trị hơn số cột."))
    code = values["code"]
    if not code or len(code) > CODE_MAX_LENGTH or re.search(r"\s", code):
        raise BadValue(
            _("code phải có từ 1 đến %(max)s ký tự, không có khoảng trắng."),
            max=CODE_MAX_LENGTH,
        )
    procedure_id = procedures.get(values["procedure_code"])
    if procedure_id is None:
        raise BadValue(
            _("Không có thủ tục mang mã “%(code)s”."), code=values["procedure_code"]
        )
    channel = values["channel"]
    if channel not in Channel.values:
        raise BadValue(
            _("channel phải là online, counter hoặc post, không phải “%(value)s”."),
            value=channel,
        )
    status = values["status"]
    if status not in IMPORT_STATUSES:
        raise BadValue(
            _("status “%(value)s” không hợp lệ; dùng một trong: %(values)s."),
            value=status,
            values=", ".join(IMPORT_STATUSES),
        )
    times = {
        name: parse_moment(values[name], name)
        for name in ("submitted_at", "received_at", "due_at", "completed_at")
    }
    times["returned_at"] = parse_moment(values["returned_at"], "returned_at")
    submitted_at = times["submitted_at"]
    if submitted_at is None:
        raise BadValue(_("Thiếu submitted_at."))
    _check_order(times)
    _check_status(status, times)
    digitized = parse_flag(values["result_digitized"], "result_digitized")
    if digitized and status not in {Status.RESULT_READY, Status.RETURNED}:
        raise BadValue(
            _(
                "result_digitized = true chỉ dùng cho hồ sơ đã có kết quả "
                "(result_ready, returned)."
            )
        )
    fee_vnd = parse_whole(values["fee_vnd"], "fee_vnd")
    paid_online = parse_flag(values["paid_online"], "paid_online")
    if paid_online and not fee_vnd:
        raise BadValue(_("paid_online = true nhưng hồ sơ không có phí (fee_vnd)."))
    rating = values["rating"]
    if rating and rating not in Rating.Overall.values:
        raise BadValue(
            _(
                "rating phải là very_satisfied, satisfied, dissatisfied hoặc để "
                "trống, không phải “%(value)s”."
            ),
            value=rating,
        )
    if rating and status != Status.RETURNED:
        raise BadValue(_("Chỉ hồ sơ đã trả kết quả (returned) mới có rating."))
    day = timezone.localtime(submitted_at, ZONE).date()
    receiving_unit_id, admin_unit_id = units.receiving_unit(
        values["unit_code"], day, in_force=True
    )
    return DossierRow(
        line=line,
        code=code,
        procedure_id=procedure_id,
        receiving_unit_id=receiving_unit_id,
        admin_unit_id=admin_unit_id,
        channel=channel,
        status=status,
        submitted_at=submitted_at,
        received_at=times["received_at"],
        due_at=times["due_at"],
        completed_at=times["completed_at"],
        returned_at=times["returned_at"],
        result_digitized=digitized,
        fee_vnd=fee_vnd,
        paid_online=paid_online,
        rating=rating,
    )


def procedure_codes() -> dict[str, int]:
    """Procedure code (or key, for entries without a national code) → id."""
    rows = list(Procedure.objects.values_list("pk", "code", "key"))
    codes = {key: pk for pk, _code, key in rows}
    codes.update({code: pk for pk, code, _key in rows if code})
    return codes


def import_applicant(
    org_unit_id: int,
    *,
    prefix: str = IMPORT_USERNAME_PREFIX,
    label: Promise | None = None,
) -> int:
    """The placeholder applicant of dossiers imported for a unit.

    The old systems' files carry no applicant: each receiving unit gets one
    inactive account, plainly named as imported data, that cannot log in and
    is no real person.
    """
    unit = OrgUnit.objects.get(pk=org_unit_id)
    username = f"{prefix}{unit.agency_code}"
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        text = label or _("Dữ liệu nhập từ hệ thống cũ – %(unit)s")
        with translation.override("vi"):
            name = str(text) % {"unit": unit.name}
        user = user_model(username=username, full_name=name[:150], is_active=False)
        user.set_unusable_password()
        user.save()
    return int(user.pk)
