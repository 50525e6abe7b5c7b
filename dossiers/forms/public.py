from django import forms
from django.utils.translation import gettext_lazy as _


class TrackForm(forms.Form):
    """Written out in dossiers/_track_form.html (no crispy-forms helper)."""

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        help_text=_("In trên giấy tiếp nhận, ví dụ 000.11.59.H00-260309-0001."),
    )
    phone_last4 = forms.RegexField(
        label=_("4 số cuối điện thoại của người nộp"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("Nhập đúng 4 chữ số.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
