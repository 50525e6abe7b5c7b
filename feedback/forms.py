from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MODERATED, Kind, Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class FeedbackForm(forms.Form):
    """The shape of a feedback; the service checks routing, limits and papers."""

    kind = forms.ChoiceField(label=_("Loại phản ánh, kiến nghị"), choices=Kind.choices)
    procedure = forms.CharField(
        label=_("Mã thủ tục (nếu có)"), max_length=40, required=False
    )
    dossier = forms.CharField(
        label=_("Mã hồ sơ (nếu phản ánh về hồ sơ đã nộp)"),
        max_length=40,
        required=False,
    )
    unit = forms.ChoiceField(
        label=_("Cơ quan giải quyết"),
        required=False,
        help_text=_(
            "Không cần chọn khi đã nhập mã hồ sơ, hoặc khi thủ tục chỉ một cơ "
            "quan tiếp nhận."
        ),
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    content = forms.CharField(
        label=_("Nội dung"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tối đa 5.000 ký tự. Không ghi số định danh cá nhân."),
    )
    papers = MultipleFileField(
        label=_("Tài liệu kèm theo (PDF, JPG, PNG)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    publish_consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý công khai nội dung phản ánh và câu trả lời (đã bỏ "
            "thông tin cá nhân)"
        ),
        required=False,
    )
    # Anonymous senders only (removed for a citizen's account).
    name = forms.CharField(
        label=_("Họ và tên (không bắt buộc)"), max_length=150, required=False
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Mã xác nhận và câu trả lời được gửi đến số này."),
    )
    phone_code = forms.CharField(
        label=_("Mã xác nhận (6 chữ số)"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
    )

    def __init__(
        self, *args: Any, anonymous: bool, units: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["unit"])
        field.choices = [("", _("— Chọn cơ quan —")), *units]
        if not anonymous:
            for name in ("name", "phone", "phone_code"):
                del self.fields[name]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Nội dung trả lời"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    publish = forms.BooleanField(
        label=_("Công khai câu trả lời (người gửi đã đồng ý)"), required=False
    )


class ModerateForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Trạng thái"),
        choices=[(s.value, s.label) for s in Status if s in MODERATED]
        + [(Status.RECEIVED.value, _("Khôi phục để xử lý"))],
    )
    reason = forms.CharField(
        label=_("Lý do (người gửi xem được)"), max_length=500, required=False
    )


class RerouteForm(forms.Form):
    unit = forms.ChoiceField(label=_("Chuyển đến cơ quan"))
    reason = forms.CharField(label=_("Lý do"), max_length=300, required=False)

    def __init__(self, *args: Any, units: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["unit"])
        field.choices = units
