"""Forms of the chains' pages (the data form itself comes from the group's schema)."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _


class ResubmitNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ghi chú cho cơ quan (không bắt buộc)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: đã sửa ngày sinh của trẻ theo giấy chứng sinh."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
