"""The explanation of a deadline in the reader's language, step by step."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from rules.models import RULES

from .days import HOLIDAY, WEEKEND, Step, public_holidays

# --- Rendering --------------------------------------------------------------------


def weekday_names() -> list[str]:
    """Monday to Sunday as written inside a sentence, in the active language."""
    return [
        _("thứ Hai"),
        _("thứ Ba"),
        _("thứ Tư"),
        _("thứ Năm"),
        _("thứ Sáu"),
        _("thứ Bảy"),
        _("Chủ nhật"),
    ]


def _weekday(day: datetime.date) -> str:
    return weekday_names()[day.weekday()]


def _day(iso: str) -> str:
    day = datetime.date.fromisoformat(iso)
    return f"{_weekday(day)} {day:%d/%m/%Y}"


def _moment(iso: str) -> str:
    moment = datetime.datetime.fromisoformat(iso)
    return f"{moment:%H:%M} {_weekday(moment.date())} {moment:%d/%m/%Y}"


def _reason(group: dict[str, str]) -> str:
    if group["kind"] == WEEKEND:
        return pgettext("day off", "cuối tuần")
    if group["kind"] == HOLIDAY:
        named = datetime.date.fromisoformat(group["named"])
        language = "en_US" if get_language().startswith("en") else "vi"
        return public_holidays(named.year, language).get(named, group["reason"])
    return group["reason"]


def _range(group: dict[str, str]) -> str:
    start = datetime.date.fromisoformat(group["from"])
    end = datetime.date.fromisoformat(group["to"])
    if start == end:
        return f"{_reason(group)} {start:%d/%m}"
    return f"{_reason(group)} {start:%d/%m}–{end:%d/%m}"


def explain_steps(
    steps: Iterable[Step | dict[str, Any]], *, staff: bool = False
) -> str:
    """A stored explanation (Deadline.steps_json()) in the active language.
    `staff`: the reader is an officer or administrator, who is also told which
    rules of the rule set rest on a source not verified (citizens never are)."""
    return " ".join(render_step(step, staff=staff) for step in steps)


def _rule_set(p: dict[str, Any], staff: bool) -> str:
    text = _("Áp dụng bộ quy tắc: %(name)s.") % {"name": p["name"]}
    unverified = [str(RULES.get(rule, rule)) for rule in p.get("unverified", [])]
    if staff and unverified:
        text += " " + _("Chưa kiểm chứng nguồn: %(rules)s.") % {
            "rules": ", ".join(unverified)
        }
    return text


def render_step(step: Step | dict[str, Any], *, staff: bool = False) -> str:
    """One explanation step as a sentence in the active language."""
    if isinstance(step, dict):
        step = Step(step["rule"], step.get("params", {}))
    p = step.params
    rule = step.rule
    if rule == "rule_set":
        return _rule_set(p, staff)
    if rule == "received":
        return _("Tiếp nhận lúc %(at)s.") % {"at": _moment(p["at"])}
    if rule == "receipt_day_not_counted":
        return _(
            "Ngày tiếp nhận không tính vào thời hạn (Điều 147 Bộ luật Dân sự 2015)."
        )
    if rule == "after_cutoff":
        return _("Tiếp nhận sau %(cutoff)s nên tính như tiếp nhận ngày %(start)s.") % {
            "cutoff": p["cutoff"],
            "start": _day(p["start"]),
        }
    if rule == "day_off_receipt":
        return _("Tiếp nhận vào ngày nghỉ nên tính như tiếp nhận ngày %(start)s.") % {
            "start": _day(p["start"])
        }
    if rule == "days_off_skipped":
        return _("Không tính ngày nghỉ: %(days)s.") % {
            "days": "; ".join(_range(group) for group in p["days"])
        }
    if rule == "counted":
        return _("Thời hạn %(days)s ngày làm việc, tính từ sau ngày %(start)s.") % {
            "days": p["days"].removesuffix(".0"),
            "start": _day(p["start"]),
        }
    if rule == "default_limit":
        return _(
            "Thời hạn của thủ tục này đang được cập nhật; tạm tính %(days)s ngày làm "
            "việc theo cài đặt của Cổng."
        ) % {"days": p["days"].removesuffix(".0")}
    if rule == "same_day":
        return _("Thủ tục giải quyết trong ngày.")
    if rule == "same_day_next":
        return _("Thủ tục giải quyết trong ngày, trả kết quả ngày làm việc tiếp theo.")
    if rule == "no_appointment_day" and "cutoff" in p:
        return _(
            "Ngày “không viết, không hẹn” (%(weekday)s hằng tuần tại %(centre)s): "
            "hồ sơ nhận trước %(cutoff)s được trả trong ngày."
        ) % {
            "weekday": weekday_names()[p["weekday"]],
            "centre": p["centre"],
            "cutoff": p["cutoff"],
        }
    if rule == "no_appointment_day":
        # Explanations stored before the rule was a centre's (issue 22).
        return _(
            "Ngày “không viết, không hẹn”: hồ sơ nhận trước giờ hạn được trả "
            "trong ngày."
        )
    if rule == "no_appointment_day_late":
        return _(
            "Ngày “không viết, không hẹn” (%(weekday)s hằng tuần tại %(centre)s): "
            "hồ sơ nhận từ %(cutoff)s được trả vào ngày làm việc tiếp theo, "
            "%(next)s."
        ) % {
            "weekday": weekday_names()[p["weekday"]],
            "centre": p["centre"],
            "cutoff": p["cutoff"],
            "next": _day(p["next"]),
        }
    if rule == "restarted_after_supplement" and p.get("cite") is False:
        return _("Thời hạn tính lại từ đầu khi nhận đủ hồ sơ bổ sung lúc %(at)s.") % {
            "at": _moment(p["at"])
        }
    if rule == "restarted_after_supplement":
        return _(
            "Thời hạn tính lại từ đầu khi nhận đủ hồ sơ bổ sung lúc %(at)s "
            "(khoản 4 Điều 19 Nghị định 61/2018/NĐ-CP)."
        ) % {"at": _moment(p["at"])}
    if rule == "paused":
        return _(
            "Tạm dừng %(days)s ngày làm việc chờ bổ sung (%(start)s – %(end)s); "
            "hạn mới %(due)s."
        ) % {
            "days": p["days"],
            "start": _day(p["from"]),
            "end": _day(p["to"]),
            "due": _moment(p["due"]),
        }
    if rule == "paused_payment":
        return _(
            "Tạm dừng %(days)s ngày làm việc chờ nộp phí, lệ phí (%(start)s – "
            "%(end)s); hạn mới %(due)s."
        ) % {
            "days": p["days"],
            "start": _day(p["from"]),
            "end": _day(p["to"]),
            "due": _moment(p["due"]),
        }
    if rule == "apology":
        return _("Cơ quan xin lỗi và hẹn lại ngày trả: %(due)s. Lý do: %(reason)s.") % {
            "due": _moment(p["due"]),
            "reason": p.get("reason", ""),
        }
    if rule == "due":
        return _("Hạn trả kết quả: %(at)s.") % {"at": _moment(p["at"])}
    return rule
