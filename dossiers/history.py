"""How a dossier's events read for people: one label per action code.

The action codes (`Event.action`: submit, receive, forward, ...) are for code:
the API's `action` field and the data export keep them. Every page and text
that names an event for people reads `Event.label` (this mapping), never the
code (issue 15: the officer's history showed "submit", "forward"). An event may
carry its own title as a msgid in `details["label"]` (the steps of a linked
dossier, a recomputed due date); it wins over the action's label.
"""

from typing import Any

from django.utils.translation import gettext, pgettext_lazy

# A line of the history, not a button: the "history" context (a literal, for
# makemessages) lets English read "Dossier received" here and "Receive" on the
# officer's action.

ACTION_LABELS = {
    "submit": pgettext_lazy("history", "Nộp hồ sơ"),
    "receive": pgettext_lazy("history", "Tiếp nhận hồ sơ"),
    "request_supplement": pgettext_lazy("history", "Yêu cầu bổ sung hồ sơ"),
    "supplement": pgettext_lazy("history", "Nộp bổ sung hồ sơ"),
    "request_payment": pgettext_lazy("history", "Yêu cầu nộp phí, lệ phí"),
    "confirm_payment": pgettext_lazy("history", "Xác nhận đã nộp phí, lệ phí"),
    "forward": pgettext_lazy("history", "Chuyển xử lý"),
    "assign": pgettext_lazy("history", "Giao cán bộ xử lý"),
    # Dossiers approved under the earlier flow keep their events (decision 234).
    "approve": pgettext_lazy("history", "Phê duyệt"),
    "appraise": pgettext_lazy("history", "Thẩm định, dự thảo kết quả"),
    "submit_for_signature": pgettext_lazy("history", "Trình lãnh đạo ký duyệt"),
    "sign": pgettext_lazy("history", "Lãnh đạo ký duyệt"),
    "send_back": pgettext_lazy("history", "Lãnh đạo trả lại chuyên viên"),
    "issue_result": pgettext_lazy("history", "Phát hành kết quả"),
    "record_result": pgettext_lazy(
        "history", "Ghi nhận kết quả từ hệ thống của cơ quan"
    ),
    "return_result": pgettext_lazy("history", "Trả kết quả"),
    "refuse": pgettext_lazy("history", "Từ chối hồ sơ"),
    "stop": pgettext_lazy("history", "Dừng xử lý hồ sơ"),
    "stop_on_request": pgettext_lazy(
        "history", "Dừng giải quyết hồ sơ theo đề nghị của người nộp"
    ),
    "withdraw": pgettext_lazy("history", "Rút hồ sơ"),
    "apologize": pgettext_lazy("history", "Xin lỗi và hẹn lại ngày trả kết quả"),
    "rate": pgettext_lazy("history", "Đánh giá sự hài lòng"),
    "reschedule": pgettext_lazy("history", "Hẹn trả kết quả được tính lại"),
    "correct_data": pgettext_lazy("history", "Người nộp sửa tờ khai"),
    "chain_step": pgettext_lazy("history", "Cập nhật bước liên thông"),
    "seed_demo": pgettext_lazy("history", "Dữ liệu mẫu"),
}
# An action this table does not know yet still reads as words.
OTHER = pgettext_lazy("history", "Cập nhật hồ sơ")


def event_label(action: str, details: dict[str, Any] | None = None) -> str:
    """The event's title in the active language."""
    own = (details or {}).get("label")
    if own:
        return gettext(str(own))
    return str(ACTION_LABELS.get(action, OTHER))
