"""How a dossier's events read for people: one label per action code.

The action codes (`Event.action`: submit, receive, forward, ...) are for code:
the API's `action` field and the data export keep them. Every page and text
that names an event for people reads `Event.label` (this mapping), never the
code (issue 15: the officer's history showed "submit", "forward"). An event may
carry its own title as a msgid in `details["label"]` (the steps of a linked
dossier, a recomputed due date); it wins over the action's label.
"""

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "submit": _("Nộp hồ sơ"),
    "receive": _("Tiếp nhận hồ sơ"),
    "request_supplement": _("Yêu cầu bổ sung hồ sơ"),
    "supplement": _("Nộp bổ sung hồ sơ"),
    "request_payment": _("Yêu cầu nộp phí, lệ phí"),
    "confirm_payment": _("Xác nhận đã nộp phí, lệ phí"),
    "forward": _("Chuyển xử lý"),
    "assign": _("Giao cán bộ xử lý"),
    "approve": _("Phê duyệt"),
    "issue_result": _("Phát hành kết quả"),
    "record_result": _("Ghi nhận kết quả từ hệ thống của cơ quan"),
    "return_result": _("Trả kết quả"),
    "refuse": _("Từ chối hồ sơ"),
    "stop": _("Dừng xử lý hồ sơ"),
    "withdraw": _("Rút hồ sơ"),
    "apologize": _("Xin lỗi và hẹn lại ngày trả kết quả"),
    "rate": _("Đánh giá sự hài lòng"),
    "reschedule": _("Hẹn trả kết quả được tính lại"),
    "correct_data": _("Người nộp sửa tờ khai"),
    "chain_step": _("Cập nhật bước liên thông"),
    "seed_demo": _("Dữ liệu mẫu"),
}
# An action this table does not know yet still reads as words.
OTHER = _("Cập nhật hồ sơ")


def event_label(action: str, details: dict[str, Any] | None = None) -> str:
    """The event's title in the active language."""
    own = (details or {}).get("label")
    if own:
        return gettext(str(own))
    return str(ACTION_LABELS.get(action, OTHER))
