"""The queue's filters and assignment."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from ...models import Channel, Status
from ...selectors import (
    APOLOGY,
    DUE_SOON,
    OVERDUE,
    PLACE_ANYWHERE,
    PLACE_COMPETENT,
    PLACE_RECEIVED,
    QUEUE_ALL,
    QUEUE_CLOSED,
    QUEUE_OPEN,
    WAITS_APPRAISE,
    WAITS_ISSUE,
    WAITS_RETURN,
    WAITS_SIGN,
)
from .fields import no_tag_helper

# --- Queue --------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    """The queue's filters, kept in the URL (GET)."""

    q = forms.CharField(
        label=_("Tìm theo mã hồ sơ, tên hoặc số định danh của người nộp"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    # Empty or absent: the open dossiers (the queue's default, first choice).
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        initial=QUEUE_OPEN,
        choices=[
            (QUEUE_OPEN, _("Chưa kết thúc")),
            (QUEUE_CLOSED, _("Đã kết thúc (đã trả, từ chối, dừng, rút)")),
            (QUEUE_ALL, _("Tất cả")),
            (_("Từng trạng thái"), Status.choices),
        ],
    )
    # Choices: what the queue holds at the chosen status (the view sets them).
    procedure = forms.ChoiceField(label=_("Thủ tục"), required=False)
    admin_unit = forms.ChoiceField(label=_("Địa bàn"), required=False)
    channel = forms.ChoiceField(
        label=_("Kênh nộp"),
        required=False,
        choices=[("", _("Tất cả")), *Channel.choices],
    )
    assignee = forms.ChoiceField(
        label=_("Cán bộ giữ"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("mine", _("Của tôi")),
            ("unassigned", _("Chưa giao ai")),
        ],
    )
    # What waits for the officer's role (issue 18).
    waits = forms.ChoiceField(
        label=_("Chờ tôi"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            (WAITS_APPRAISE, _("Chờ thẩm định")),
            (WAITS_SIGN, _("Chờ ký duyệt")),
            (WAITS_ISSUE, _("Chờ phát hành kết quả")),
            (WAITS_RETURN, _("Chờ trả kết quả")),
        ],
    )
    timing = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            (DUE_SOON, _("Sắp đến hạn (trong 1 ngày làm việc)")),
            (OVERDUE, _("Quá hạn")),
            (APOLOGY, _("Cần cân nhắc xin lỗi, hẹn lại")),
        ],
    )
    # Received here, or decided here whatever the place of receipt (issue 17).
    place = forms.ChoiceField(
        label=_("Nơi tiếp nhận, thẩm quyền"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            (PLACE_RECEIVED, _("Tiếp nhận tại đơn vị tôi")),
            (PLACE_COMPETENT, _("Thuộc thẩm quyền đơn vị tôi")),
            (PLACE_ANYWHERE, _("Nộp không phụ thuộc địa giới hành chính")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        required=False,
        choices=[
            ("due", _("Hạn trả gần nhất trước")),
            ("-due", _("Hạn trả xa nhất trước")),
            ("-submitted", _("Nộp mới nhất trước")),
            ("submitted", _("Nộp cũ nhất trước")),
        ],
    )

    def __init__(
        self,
        *args: Any,
        procedures: list[tuple[str, str]],
        admin_units: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        everything = ("", _("Tất cả"))
        procedure = self.fields["procedure"]
        admin_unit = self.fields["admin_unit"]
        assert isinstance(procedure, forms.ChoiceField)  # noqa: S101
        assert isinstance(admin_unit, forms.ChoiceField)  # noqa: S101
        procedure.choices = [everything, *procedures]
        admin_unit.choices = [everything, *admin_units]
        self._lists = (tuple(procedures), tuple(admin_units))

    def rendering_key(self) -> tuple[Any, ...]:
        """All the fields' markup depends on (besides the language): the data
        as given and the choice lists of the queue's rows (the page keeps the
        markup per key: `{% rendered_once_per %}`, portal/templatetags/layout.py)."""
        data = None
        if self.is_bound:
            lists = getattr(self.data, "lists", None)
            items = lists() if lists else ((k, [v]) for k, v in self.data.items())
            data = tuple(sorted((str(k), tuple(map(str, v))) for k, v in items))
        return (data, *self._lists)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Giao cho cán bộ"),
        queryset=User.objects.none(),
        empty_label=None,
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, colleagues: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        assignee = self.fields["assignee"]
        assert isinstance(assignee, forms.ModelChoiceField)  # noqa: S101
        assignee.queryset = colleagues
        self.helper = no_tag_helper()
