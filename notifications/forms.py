from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("Nhận thông báo qua thư điện tử"),
        required=False,
        help_text=_("Gửi đến địa chỉ thư điện tử trong tài khoản của bạn."),
    )
    sms = forms.BooleanField(
        label=_("Nhận thông báo qua tin nhắn SMS"),
        required=False,
        help_text=_("Gửi đến số điện thoại di động trong tài khoản của bạn."),
    )
    language = forms.ChoiceField(
        label=_("Ngôn ngữ của thông báo"), choices=settings.LANGUAGES
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("save", _("Lưu cài đặt")))
